"""The vectors suggestions are computed from: excerpts, the turns (units) they belong to, optional unit context.

Codes are decided per excerpt, but an excerpt of one to three sentences often means little without the rest of its
turn, so every score mixes the excerpt's own vector with its unit's (the mean of the unit's excerpt vectors). A unit
may also carry a context vector, such as the interviewer question the turn answers: answers like "Not nearly
enough" are only codable through the question. All vectors are centred on the corpus mean before use: sentence
embeddings share a large common direction, and removing it spreads cosines out so codes separate better.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from coding.suggest.errors import SuggestionInputError

NO_NEIGHBOUR = -1


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (float32); zero rows stay zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


@dataclass(frozen=True)
class Units:
    """Excerpt vectors grouped into units (turns), centred and normalised once for all scorers.

    `excerpts[i]` is excerpt i's own vector, `units[u]` the pooled vector of unit u (its excerpts' mean),
    `context[u]` unit u's context vector (zero where a unit has none; None when no context was given), `unit_of[i]`
    the unit of excerpt i, `documents[u]` the document of unit u (keeps cross-validation folds apart; None when
    unknown).
    """

    excerpts: np.ndarray
    units: np.ndarray
    context: np.ndarray | None
    unit_of: np.ndarray
    documents: np.ndarray | None
    mean: np.ndarray  # the corpus mean that was removed, to centre vectors from outside the corpus the same way
    # (n_units, 2) previous and next unit of the same document (-1: none); None when the reading order is unknown
    neighbours: np.ndarray | None = None

    @property
    def n_excerpts(self) -> int:
        return len(self.excerpts)

    @property
    def n_units(self) -> int:
        return len(self.units)

    def centre(self, vectors: np.ndarray) -> np.ndarray:
        """Other vectors (prototype texts, say) in the same centred space."""
        return unit_rows(np.asarray(vectors, dtype=np.float32) - self.mean)

    def units_with_context(self, weight: float) -> np.ndarray:
        """Unit vectors with `weight` times the context added (measured better than appending it as columns)."""
        if self.context is None or weight == 0:
            return self.units
        return unit_rows(self.units + weight * self.context)

    def excerpt_max(self, excerpt_scores: np.ndarray) -> np.ndarray:
        """Per unit, the highest score of its excerpts (a unit carries a code if any of its excerpts does)."""
        out = np.full((self.n_units, excerpt_scores.shape[1]), -np.inf, dtype=np.float64)
        np.maximum.at(out, self.unit_of, excerpt_scores)
        return out


def build_units(
    vectors: np.ndarray,
    unit_of: np.ndarray | list[int] | None = None,
    documents: np.ndarray | list | None = None,
    context: np.ndarray | None = None,
    positions: np.ndarray | list | None = None,
) -> Units:
    """Centre and pool excerpt vectors.

    vectors: (n_excerpts, dim) unit vectors. unit_of: unit index 0..n_units-1 per excerpt (None: each excerpt is its
    own unit). documents: one label per unit. context: (n_units, dim) vectors, e.g. the question each turn answers
    (a row of zeros means "no context" for that unit). positions: each unit's place in its document (e.g. its turn
    number); with documents it tells which units are neighbours (see coding.suggest.dialogue).
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or len(vectors) == 0:
        raise SuggestionInputError("vectors must be a non-empty 2-D array (one row per excerpt)")
    unit_of = np.arange(len(vectors)) if unit_of is None else np.asarray(unit_of, dtype=np.int64)
    if unit_of.shape != (len(vectors),):
        raise SuggestionInputError(f"unit_of has {unit_of.size} entries for {len(vectors)} excerpts")
    if unit_of.min() < 0:
        raise SuggestionInputError("unit_of holds a negative unit index")
    n_units = int(unit_of.max()) + 1
    if np.bincount(unit_of, minlength=n_units).min() == 0:
        raise SuggestionInputError("every unit index 0..max(unit_of) must have at least one excerpt")
    mean = vectors.mean(0)
    excerpts = unit_rows(vectors - mean)
    pooled = np.zeros((n_units, vectors.shape[1]), dtype=np.float32)
    np.add.at(pooled, unit_of, vectors)
    pooled = unit_rows(pooled)
    units = unit_rows(pooled - pooled.mean(0))
    centred = None
    if context is not None:
        context = np.asarray(context, dtype=np.float32)
        if context.shape != (n_units, vectors.shape[1]):
            raise SuggestionInputError(f"context must have shape ({n_units}, {vectors.shape[1]}), got {context.shape}")
        present = np.linalg.norm(context, axis=1) > 0
        centred = np.zeros_like(context)
        if present.any():
            centred[present] = unit_rows(context[present] - context[present].mean(0))
    if documents is not None:
        documents = np.asarray(documents)
        if documents.shape != (n_units,):
            raise SuggestionInputError(f"documents has {documents.size} entries for {n_units} units")
    neighbours = None
    if positions is not None:
        if documents is None:
            raise SuggestionInputError("positions need documents: a unit's neighbours are in its own document")
        if len(positions) != n_units:
            raise SuggestionInputError(f"positions has {len(positions)} entries for {n_units} units")
        neighbours = adjacent_units(list(documents), list(positions))
    return Units(excerpts, units, centred, unit_of, documents, mean, neighbours)


def unit_decisions(suggested: np.ndarray, unit_of: np.ndarray, n_units: int) -> np.ndarray:
    """(n_units, n_codes) bool: a unit carries a code if any of its excerpts does."""
    out = np.zeros((n_units, suggested.shape[1]), dtype=bool)
    np.logical_or.at(out, unit_of, suggested)
    return out


def unit_maximum(values: np.ndarray, unit_of: np.ndarray, n_units: int) -> np.ndarray:
    """(n_units, n_codes): the highest value of each unit's excerpts (NaN counts as nothing: -inf if all are NaN)."""
    out = np.full((n_units, values.shape[1]), -np.inf)
    np.maximum.at(out, unit_of, np.nan_to_num(values, nan=-np.inf))
    return out


def adjacent_units(documents: Sequence[Hashable], positions: Sequence[float]) -> np.ndarray:
    """(n_units, 2): the index of each unit's previous and next unit in reading order within its document
    (`positions`, e.g. turn numbers), NO_NEIGHBOUR at a document's first and last unit. Input order does not matter."""
    if len(documents) != len(positions):
        raise ValueError(f"{len(documents)} documents for {len(positions)} positions: give one of each per unit")
    n = len(documents)
    neighbours = np.full((n, 2), NO_NEIGHBOUR, dtype=np.int64)
    order = sorted(range(n), key=lambda u: (str(documents[u]), positions[u], u))
    for before, after in zip(order, order[1:]):
        if documents[before] == documents[after]:
            neighbours[after, 0] = before
            neighbours[before, 1] = after
    return neighbours
