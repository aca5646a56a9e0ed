"""The base learners of the learned scorer: ridge regression and a similarity-weighted neighbour vote.

Both are closed form or a single matrix product, so retraining after every review stays well under a second.
Ridge regression on 0/1 targets gives the same direction as a shrunk linear discriminant; it is calibrated later.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits


@dataclass(frozen=True)
class RidgeModel:
    weights: np.ndarray  # (dim, n_codes)
    feature_mean: np.ndarray
    target_mean: np.ndarray

    def predict(self, features: np.ndarray) -> np.ndarray:
        return features @ self.weights + (self.target_mean - self.feature_mean @ self.weights)


@dataclass(frozen=True)
class GramStats:
    """Sufficient statistics of a training set, so folds can be fitted by subtraction instead of recomputation."""

    gram: np.ndarray  # X'X
    feature_sum: np.ndarray
    cross: np.ndarray  # X'Y
    target_sum: np.ndarray
    n: int

    @classmethod
    def of(cls, features: np.ndarray, targets: np.ndarray) -> GramStats:
        # float32 products (twice as fast), float64 sums: plenty for unit vectors of a few hundred dimensions.
        features = np.asarray(features, dtype=np.float32)
        targets = np.asarray(targets, dtype=np.float32)
        return cls((features.T @ features).astype(np.float64), features.sum(0, dtype=np.float64),
                   (features.T @ targets).astype(np.float64), targets.sum(0, dtype=np.float64), len(features))

    def __sub__(self, other: GramStats) -> GramStats:
        return GramStats(self.gram - other.gram, self.feature_sum - other.feature_sum, self.cross - other.cross,
                         self.target_sum - other.target_sum, self.n - other.n)

    def fit(self, penalty: float) -> RidgeModel:
        mean_x = self.feature_sum / self.n
        mean_y = self.target_sum / self.n
        centred_gram = self.gram - self.n * np.outer(mean_x, mean_x)
        centred_cross = self.cross - self.n * np.outer(mean_x, mean_y)
        # One BLAS thread: multi-threaded LAPACK solves of this size ran 40 times slower on a busy 2-core machine.
        with threadpool_limits(limits=1, user_api="blas"):
            weights = np.linalg.solve(centred_gram + penalty * np.eye(len(mean_x)), centred_cross)
        return RidgeModel(weights.astype(np.float32), mean_x.astype(np.float32), mean_y)


def neighbour_vote(
    queries: np.ndarray,
    labelled: np.ndarray,
    targets: np.ndarray,
    k: int,
    temperature: float,
    exclude: np.ndarray | None = None,
    chunk: int = 2048,
) -> np.ndarray:
    """Per query row, the softmax(temperature * cosine)-weighted share of its k nearest labelled rows per code.

    queries, labelled: unit vectors; targets: (n_labelled, n_codes) 0/1. exclude: per query, the labelled row that
    is the query itself (-1 for none), so a labelled unit is not its own neighbour. Queries are processed in chunks
    so the similarity matrix never has to exist whole.
    """
    targets = np.asarray(targets, dtype=np.float64)
    labelled = np.asarray(labelled, dtype=np.float32)
    votes = np.zeros((len(queries), targets.shape[1]))
    k = max(1, min(k, len(labelled)))
    for start in range(0, len(queries), chunk):
        similarity = np.asarray(queries[start : start + chunk], dtype=np.float32) @ labelled.T
        if exclude is not None:
            rows = np.flatnonzero(exclude[start : start + chunk] >= 0)
            similarity[rows, exclude[start : start + chunk][rows]] = -np.inf
        votes[start : start + chunk] = _vote(similarity, targets, k, temperature)
    return votes


def _vote(similarity: np.ndarray, targets: np.ndarray, k: int, temperature: float) -> np.ndarray:
    n_labelled = similarity.shape[1]
    nearest = np.argpartition(similarity, n_labelled - k, axis=1)[:, n_labelled - k :]
    values = np.take_along_axis(similarity, nearest, 1).astype(np.float64)
    top = values.max(1, keepdims=True)
    weights = np.exp(temperature * (values - np.where(np.isfinite(top), top, 0.0)))  # -inf (excluded) -> 0
    total = weights.sum(1, keepdims=True)
    votes = np.einsum("qk,qkc->qc", weights, targets[nearest])
    return np.divide(votes, total, out=np.zeros_like(votes), where=total > 0)
