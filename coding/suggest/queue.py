"""In what order to show excerpts for review.

Active learning: an excerpt teaches the models most when its decision is a close call, i.e. some code's probability
sits near the threshold (uncertainty). Close calls in dense regions of the corpus count more, since a decision
there generalises to many similar excerpts (density), and the first batch is spread out so it does not hold ten
near-copies of one question (diversity, by maximal marginal relevance). Document order is the alternative for
coders who prefer to read interviews straight through.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coding.suggest.errors import SuggestionInputError

DENSITY_SAMPLE = 1000  # density is estimated against this many excerpts, so the cost stays linear


@dataclass(frozen=True)
class ReviewQueue:
    order: np.ndarray  # excerpt rows, most useful first; reviewed excerpts are left out
    uncertainty: np.ndarray  # (n_excerpts,) in (0, 1]; 1 = a probability exactly at the threshold
    code: np.ndarray  # (n_excerpts,) column of the code whose decision is closest to the threshold


def uncertainty(probability: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """Per excerpt, the closeness to the threshold of its closest code, and that code's column.

    Closeness is exp(-|logit(p) - logit(threshold)|): distances in log-odds, so 0.01 counts as far from a 0.3
    threshold (it is a confident no) while 0.5 counts as near.
    """
    probability = np.clip(np.nan_to_num(np.asarray(probability, dtype=np.float64), nan=0.0), 1e-6, 1 - 1e-6)
    limit = min(max(threshold, 1e-6), 1 - 1e-6)
    closeness = np.exp(-np.abs(_logit(probability) - _logit(limit)))
    code = closeness.argmax(1)
    return closeness[np.arange(len(closeness)), code], code


def _logit(p: np.ndarray | float) -> np.ndarray:
    return np.log(p) - np.log1p(-np.asarray(p))


def density(vectors: np.ndarray, neighbours: int = 10, seed: int = 0) -> np.ndarray:
    """Mean cosine of each row to its nearest rows in a fixed sample of the corpus, scaled to 0..1."""
    vectors = np.asarray(vectors, dtype=np.float32)
    sample = np.random.default_rng(seed).permutation(len(vectors))[:DENSITY_SAMPLE]
    similarity = vectors @ vectors[sample].T
    similarity[sample, np.arange(len(sample))] = -np.inf  # a row is not its own neighbour
    k = max(1, min(neighbours, len(sample) - 1))
    if len(sample) < 2:
        return np.ones(len(vectors))
    top = -np.partition(-similarity, k - 1, axis=1)[:, :k]
    mean = top.mean(1)
    spread = mean.max() - mean.min()
    return (mean - mean.min()) / spread if spread > 0 else np.ones(len(vectors))


def review_order(
    probability: np.ndarray,
    threshold: float,
    reviewed: np.ndarray | None = None,
    vectors: np.ndarray | None = None,
    density_weight: float = 0.5,
    diverse_first: int = 50,
    redundancy: float = 0.5,
) -> ReviewQueue:
    """Unreviewed excerpts ordered by uncertainty, weighted by density and diversified when vectors are given.

    score = uncertainty * (1 - density_weight + density_weight * density). The first `diverse_first` picks
    maximise score - redundancy * (highest cosine to an excerpt picked before); the rest follow by score.
    """
    probability = np.asarray(probability)
    n = len(probability)
    reviewed = np.zeros(n, dtype=bool) if reviewed is None else np.asarray(reviewed, dtype=bool)
    if reviewed.shape != (n,):
        raise SuggestionInputError(f"reviewed has {reviewed.size} entries for {n} excerpts")
    closeness, code = uncertainty(probability, threshold)
    score = closeness.copy()
    if vectors is not None and density_weight > 0:
        score *= 1.0 - density_weight + density_weight * density(vectors)
    open_rows = np.flatnonzero(~reviewed)
    ranked = open_rows[np.argsort(-score[open_rows], kind="stable")]
    if vectors is None or diverse_first <= 1 or len(ranked) <= 1:
        return ReviewQueue(ranked, closeness, code)
    pool = ranked[: max(diverse_first * 4, diverse_first)]
    picked = _diverse(pool, score, np.asarray(vectors, dtype=np.float32), diverse_first, redundancy)
    rest = ranked[~np.isin(ranked, picked)]
    return ReviewQueue(np.concatenate([picked, rest]), closeness, code)


def _diverse(pool: np.ndarray, score: np.ndarray, vectors: np.ndarray, count: int, redundancy: float) -> np.ndarray:
    similarity = vectors[pool] @ vectors[pool].T
    nearest_picked = np.full(len(pool), -np.inf)
    available = np.ones(len(pool), dtype=bool)
    picked: list[int] = []
    for _ in range(min(count, len(pool))):
        value = score[pool] - redundancy * np.maximum(nearest_picked, 0.0)
        value[~available] = -np.inf
        best = int(value.argmax())
        picked.append(best)
        available[best] = False
        nearest_picked = np.maximum(nearest_picked, similarity[best])
    return pool[picked]


def document_order(
    keys: list[tuple] | None = None, n: int | None = None, reviewed: np.ndarray | None = None
) -> np.ndarray:
    """Excerpt rows in reading order: sorted by `keys` (e.g. (document, turn, index)) or as given, unreviewed only."""
    if keys is None and n is None:
        raise SuggestionInputError("document_order needs the excerpts' sort keys or their number")
    count = len(keys) if keys is not None else int(n)
    order = np.arange(count) if keys is None else np.array(sorted(range(count), key=keys.__getitem__), dtype=np.int64)
    if reviewed is not None:
        order = order[~np.asarray(reviewed, dtype=bool)[order]]
    return order
