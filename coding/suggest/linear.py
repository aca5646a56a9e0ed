"""The base learners of the learned scorer: ridge regression and a similarity-weighted neighbour vote.

Both are closed form or a single matrix product, so retraining after every review stays well under a second.
Ridge regression on 0/1 targets gives the same direction as a shrunk linear discriminant; it is calibrated later.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
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
    similarity: np.ndarray,
    targets: np.ndarray,
    k: int,
    temperature: float,
    exclude: np.ndarray | None = None,
    overwrite: bool = False,
) -> np.ndarray:
    """Per query row, the softmax(temperature * cosine)-weighted share of its k nearest labelled rows per code.

    similarity: (n_queries, n_labelled) cosines. exclude: per query, the labelled column that is the query itself
    (-1 for none), so a labelled unit is not its own neighbour; `overwrite` lets that happen in the caller's
    array instead of a copy. The k-th largest value is found by partitioning
    values, not indices, which is several times faster on large matrices; ties at the k-th value all count.
    """
    similarity = np.asarray(similarity, dtype=np.float32)
    if exclude is not None:
        if not overwrite:
            similarity = similarity.copy()
        rows = np.flatnonzero(exclude >= 0)
        similarity[rows, exclude[rows]] = -np.inf
    n_queries, n_labelled = similarity.shape
    k = max(1, min(k, n_labelled))
    kth = np.partition(similarity, n_labelled - k, axis=1)[:, n_labelled - k]
    rows, columns = np.nonzero(similarity >= kth[:, None])
    values = similarity[rows, columns]
    finite = np.isfinite(values)
    rows, columns, values = rows[finite], columns[finite], values[finite]
    top = np.full(n_queries, -np.inf, dtype=np.float32)
    np.maximum.at(top, rows, values)
    weights = np.exp(temperature * (values - top[rows]).astype(np.float64))
    matrix = sparse.csr_matrix((weights, (rows, columns)), shape=(n_queries, n_labelled))
    votes = np.asarray(matrix @ targets.astype(np.float64))
    total = np.asarray(matrix.sum(1))
    return np.divide(votes, total, out=np.zeros_like(votes), where=total > 0)
