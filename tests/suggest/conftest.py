"""Synthetic corpora for the suggestion tests: vectors built from known directions, so the right answer is known."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pytest

from coding.suggest import PrototypeVectors


def code(id: str, parent: str | None = None, **fields) -> SimpleNamespace:
    """A duck-typed code, like the codebook's `Code`."""
    values = dict(name=id.title(), definition="", include=(), exclude=(), examples=(), counterexamples=())
    values.update(fields)
    return SimpleNamespace(id=id, parent=parent, **values)


@dataclass
class Planted:
    """Units (turns) in documents; each coded unit's excerpts point along its code's hidden direction."""

    vectors: np.ndarray
    unit_of: np.ndarray
    documents: np.ndarray
    unit_ids: list[tuple[str, int]]
    gold: dict[tuple[str, int], set[str]]
    codes: list[str]
    directions: np.ndarray  # (n_codes, dim) the hidden code directions


def unit_vector(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=-1, keepdims=True)


def planted_corpus(
    n_codes: int = 4, documents: int = 6, units_per_document: int = 12, dim: int = 32, noise: float = 0.3,
    seed: int = 0,
) -> Planted:
    rng = np.random.default_rng(seed)
    directions = unit_vector(rng.normal(size=(n_codes, dim)))
    codes = [f"C{j}" for j in range(n_codes)]
    vectors, unit_of, unit_documents, unit_ids, gold = [], [], [], [], {}
    for d in range(documents):
        for t in range(units_per_document):
            unit = len(unit_ids)
            unit_id = (f"D{d}", t + 1)
            unit_ids.append(unit_id)
            unit_documents.append(f"D{d}")
            which = t % (n_codes + 2)  # codes 0..n-1, then two uncoded units per cycle
            centre = directions[which] if which < n_codes else unit_vector(rng.normal(size=dim))
            if which < n_codes:
                gold[unit_id] = {codes[which]}
            for _ in range(2):  # two excerpts per unit
                vectors.append(unit_vector(centre + noise * rng.normal(size=dim) / np.sqrt(dim)))
                unit_of.append(unit)
    return Planted(np.array(vectors, dtype=np.float32), np.array(unit_of), np.array(unit_documents), unit_ids,
                   gold, codes, directions)


def prototype_vectors(codes: list[str], positive: np.ndarray, negative: np.ndarray | None = None,
                      negative_owner: list[int] | None = None) -> PrototypeVectors:
    negative = np.zeros((0, positive.shape[1]), dtype=np.float32) if negative is None else negative
    return PrototypeVectors(
        codes=codes,
        positive=np.asarray(positive, dtype=np.float32),
        positive_owner=np.arange(len(codes)),
        positive_texts=[f"text of {c}" for c in codes],
        negative=np.asarray(negative, dtype=np.float32),
        negative_owner=np.array(negative_owner or [], dtype=np.int64),
        negative_texts=[f"negative {i}" for i in range(len(negative))],
    )


@pytest.fixture
def planted() -> Planted:
    return planted_corpus()
