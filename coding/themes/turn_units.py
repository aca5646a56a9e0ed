"""Whole respondent turns as the units themes are found in: the mean of a turn's excerpt vectors.

Measured on two corpora (corpus-dev and an unseen set): clustering turns instead of 1-3-sentence excerpts raised
purity from 0.54 to 0.71-0.83 and NMI from 0.29 to 0.40-0.46, because a turn carries its topic more fully than any
one of its sentences. Excerpts stay the stored members (every excerpt of a turn joins the turn's theme), so the
review, coding and export of themes do not change.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from coding.embedding.base import normalise_rows


@dataclass(frozen=True)
class PooledUnits:
    vectors: np.ndarray  # (n_units, dim) unit-length mean of each unit's excerpt vectors
    excerpts_of: list[np.ndarray]  # excerpt indices per unit, in input order
    unit_of: np.ndarray  # unit index per excerpt
    keys: list[Hashable]  # the key of each unit, in order of first appearance


def pool_by_key(vectors: np.ndarray, keys: Sequence[Hashable]) -> PooledUnits:
    """Group excerpt rows that share a key (e.g. (document, turn)) into one unit each."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if len(keys) != len(vectors):
        raise ValueError(f"{len(keys)} keys for {len(vectors)} vectors: give one per excerpt")
    index: dict[Hashable, int] = {}
    unit_of = np.array([index.setdefault(key, len(index)) for key in keys], dtype=np.int64)
    pooled = np.zeros((len(index), vectors.shape[1] if vectors.ndim == 2 else 0), dtype=np.float32)
    if len(vectors):
        np.add.at(pooled, unit_of, vectors)
    order = np.argsort(unit_of, kind="stable")
    bounds = np.searchsorted(unit_of[order], np.arange(len(index) + 1))
    excerpts_of = [order[bounds[u]:bounds[u + 1]] for u in range(len(index))]
    return PooledUnits(normalise_rows(pooled) if len(pooled) else pooled, excerpts_of, unit_of, list(index))
