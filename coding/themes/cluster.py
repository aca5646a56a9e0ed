"""The clustering stage: HDBSCAN over reduced coordinates, -1 marking outliers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from coding.themes.settings import ThemeSettings


@dataclass(frozen=True)
class Clustering:
    labels: np.ndarray  # int, one per excerpt; -1 = outlier, else 0..k-1 in the clusterer's own order
    probabilities: np.ndarray  # float in [0, 1]: how firmly each excerpt belongs to its cluster (0 for outliers)


class Clusterer(Protocol):
    def cluster(self, points: np.ndarray) -> Clustering: ...


class HdbscanClusterer:
    """HDBSCAN with the settings' sizes; deterministic (no random steps) for the same points."""

    def __init__(self, min_cluster_size: int, min_samples: int | None = None, cluster_selection_method: str = "eom"):
        self.min_cluster_size = min_cluster_size
        self.min_samples = min_samples
        self.cluster_selection_method = cluster_selection_method

    def cluster(self, points: np.ndarray) -> Clustering:
        n = points.shape[0]
        if n < 2 * self.min_cluster_size:  # HDBSCAN needs room for two clusters; fewer points are all outliers
            return Clustering(np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.float64))
        import hdbscan

        model = hdbscan.HDBSCAN(
            min_cluster_size=self.min_cluster_size,
            min_samples=min(self.min_samples or self.min_cluster_size, n - 1),
            cluster_selection_method=self.cluster_selection_method,
            core_dist_n_jobs=1,  # joblib worker processes cost more than they save on a small machine
        )
        labels = model.fit_predict(np.asarray(points, dtype=np.float64))
        return Clustering(np.asarray(labels, dtype=np.int64), np.asarray(model.probabilities_, dtype=np.float64))

    def describe(self) -> dict[str, Any]:
        return {
            "name": "hdbscan",
            "min_cluster_size": self.min_cluster_size,
            "min_samples": self.min_samples,
            "cluster_selection_method": self.cluster_selection_method,
            "metric": "euclidean",
        }


class PrecomputedClusterer:
    """Skips clustering: uses labels the caller already has (e.g. from another tool), all with probability 1."""

    def __init__(self, labels: list[int] | np.ndarray):
        self.labels = np.asarray(labels, dtype=np.int64)

    def cluster(self, points: np.ndarray) -> Clustering:
        if len(self.labels) != points.shape[0]:
            raise ValueError(f"{len(self.labels)} precomputed labels for {points.shape[0]} excerpts")
        return Clustering(self.labels.copy(), np.where(self.labels >= 0, 1.0, 0.0))

    def describe(self) -> dict[str, Any]:
        return {"name": "precomputed"}


def make_clusterer(settings: ThemeSettings, n_excerpts: int) -> HdbscanClusterer:
    return HdbscanClusterer(
        min_cluster_size=settings.resolved_min_cluster_size(n_excerpts),
        min_samples=settings.resolved_min_samples(n_excerpts),
        cluster_selection_method=settings.cluster_selection_method,
    )


class _SklearnStyle:
    """Adapts a scikit-learn style clusterer (fit + labels_, optionally probabilities_) to `Clusterer`."""

    def __init__(self, model: Any):
        self.model = model

    def cluster(self, points: np.ndarray) -> Clustering:
        self.model.fit(points)
        labels = np.asarray(self.model.labels_, dtype=np.int64)
        probabilities = getattr(self.model, "probabilities_", None)
        if probabilities is None:
            probabilities = np.where(labels >= 0, 1.0, 0.0)
        return Clustering(labels, np.asarray(probabilities, dtype=np.float64))


def as_clusterer(stage: Any) -> Clusterer:
    """qcode clusterers as they are; scikit-learn style ones (hdbscan.HDBSCAN, sklearn KMeans...) wrapped."""
    if callable(getattr(stage, "cluster", None)):
        return stage
    if callable(getattr(stage, "fit", None)):
        return _SklearnStyle(stage)
    raise TypeError(f"{type(stage).__name__} is not a clusterer: it needs cluster(points) or fit(points) + labels_")
