"""The dimension-reduction stage: unit vectors in, a few coordinates per excerpt out, for HDBSCAN.

A reducer is any object with `fit_transform(vectors) -> array` (scikit-learn style, so a configured `umap.UMAP`
or `sklearn.decomposition.PCA` can be passed as is); qcode's own reducers also `describe()` themselves for the
run manifest. All of them are deterministic for a given seed.
"""

from __future__ import annotations

import warnings
from typing import Any, Protocol

import numpy as np

from coding.errors import Problem, QcodeError
from coding.themes.knn import approximate_knn, exact_knn
from coding.themes.settings import ThemeSettings


class Reducer(Protocol):
    def fit_transform(self, vectors: np.ndarray) -> np.ndarray: ...


def describe_stage(stage: object) -> dict[str, Any]:
    """What the manifest records about a stage: its own `describe()`, else its class and scikit-learn params."""
    describe = getattr(stage, "describe", None)
    if callable(describe):
        return dict(describe())
    info: dict[str, Any] = {"class": f"{type(stage).__module__}.{type(stage).__qualname__}"}
    get_params = getattr(stage, "get_params", None)
    if callable(get_params):
        info["params"] = {k: v for k, v in get_params().items() if isinstance(v, str | int | float | bool | None)}
    return info


class IdentityReducer:
    """Clusters the vectors as they are (slow for HDBSCAN beyond a few thousand high-dimensional points)."""

    def fit_transform(self, vectors: np.ndarray) -> np.ndarray:
        return np.asarray(vectors, dtype=np.float32)

    def describe(self) -> dict[str, Any]:
        return {"name": "none"}


class PcaReducer:
    """Linear projection onto the top principal components: fast, deterministic, less able to separate themes."""

    def __init__(self, n_components: int = 5, seed: int = 42):
        self.n_components = n_components
        self.seed = seed
        self._used_components: int | None = None

    def fit_transform(self, vectors: np.ndarray) -> np.ndarray:
        from sklearn.decomposition import PCA

        vectors = np.asarray(vectors, dtype=np.float32)
        self._used_components = max(1, min(self.n_components, vectors.shape[0], vectors.shape[1]))
        pca = PCA(n_components=self._used_components, random_state=self.seed)
        return pca.fit_transform(vectors).astype(np.float32)

    def describe(self) -> dict[str, Any]:
        return {"name": "pca", "n_components": self._used_components or self.n_components, "seed": self.seed}


def _epochs_for(n_fitted: int) -> int:
    # A budget of about 2 million point-epochs: UMAP's own 500 for small corpora, 200 (its large-data default)
    # once the fitted sample passes 10,000.
    return int(min(500, max(200, 2_000_000 // max(n_fitted, 1))))


class UmapReducer:
    """UMAP on cosine neighbourhoods, fitted on at most `fit_sample_size` excerpts.

    Speed on small machines comes from three choices, each recorded by `describe()`:
    - neighbours are found exactly by `exact_knn` and passed to UMAP (its own search is recompiled by numba in
      every process, about a minute on two cores);
    - beyond `fit_sample_size` excerpts UMAP is fitted on a seeded sample and every other excerpt is placed at the
      similarity-weighted mean position of its `n_neighbors` nearest fitted excerpts (found by `approximate_knn`),
      which is how UMAP starts its own `transform`; with 10,000 fitted points a theme of 0.15% of the corpus
      still has about `n_neighbors` points in the sample, matching the smallest theme `scaled_min_cluster_size`
      allows at 100k;
    - epochs follow a fixed work budget (see `_epochs_for`) unless `n_epochs` is given.
    With `random_state` set UMAP runs single-threaded and returns the same layout every time.
    """

    def __init__(
        self,
        n_components: int = 5,
        n_neighbors: int = 15,
        metric: str = "cosine",
        min_dist: float = 0.0,
        seed: int = 42,
        fit_sample_size: int = 10_000,
        n_epochs: int | None = None,
        init: str = "spectral",
    ):
        if metric not in ("cosine", "euclidean"):
            raise QcodeError(Problem(f"UMAP metric '{metric}' is not supported", hint="use cosine or euclidean"))
        self.n_components = n_components
        self.n_neighbors = n_neighbors
        self.metric = metric
        self.min_dist = min_dist
        self.seed = seed
        self.fit_sample_size = fit_sample_size
        self.n_epochs = n_epochs
        self.init = init
        self._fitted_on: int | None = None
        self._epochs_used: int | None = None
        self._neighbors_used: int | None = None

    def fit_transform(self, vectors: np.ndarray) -> np.ndarray:
        vectors = np.asarray(vectors, dtype=np.float32)
        n = vectors.shape[0]
        if n <= self.n_components + 2:
            # Too few points for a UMAP layout; their own coordinates serve (HDBSCAN will find no theme anyway).
            self._fitted_on = 0
            return vectors
        sample = self._sample_indices(n)
        fitted = vectors[sample]
        k = min(self.n_neighbors, len(sample) - 1)
        self._neighbors_used = k
        layout = self._fit(fitted, k)
        if len(sample) == n:
            return layout
        positions = np.empty((n, layout.shape[1]), dtype=np.float32)
        positions[sample] = layout
        rest = np.setdiff1d(np.arange(n), sample, assume_unique=True)
        indices, distances = approximate_knn(vectors[rest], fitted, k, seed=self.seed)
        positions[rest] = _weighted_positions(layout, indices, distances)
        return positions

    def _sample_indices(self, n: int) -> np.ndarray:
        if n <= self.fit_sample_size:
            return np.arange(n)
        rng = np.random.default_rng(self.seed)
        return np.sort(rng.choice(n, size=self.fit_sample_size, replace=False))

    def _fit(self, fitted: np.ndarray, k: int) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*ParametricUMAP.*")  # needs TensorFlow; qcode never uses it
            import umap

        m = fitted.shape[0]
        others, distances = exact_knn(fitted, fitted, k - 1, exclude_self=True)
        # UMAP's neighbour lists start with the point itself at distance 0.
        knn_indices = np.hstack([np.arange(m)[:, None], others])
        knn_distances = np.hstack([np.zeros((m, 1), np.float32), distances])
        if self.metric == "euclidean":  # unit vectors: euclidean distance = sqrt(2 * cosine distance)
            knn_distances = np.sqrt(2.0 * knn_distances)
        self._fitted_on = m
        self._epochs_used = self.n_epochs or _epochs_for(m)
        model = umap.UMAP(
            n_neighbors=k,
            n_components=self.n_components,
            metric=self.metric,
            min_dist=self.min_dist,
            n_epochs=self._epochs_used,
            init=self.init,
            random_state=self.seed,
            precomputed_knn=(knn_indices, knn_distances.astype(np.float32), None),
        )
        with warnings.catch_warnings():
            # Expected and harmless here: random_state forces one thread; no search index (we never call transform).
            warnings.filterwarnings("ignore", message=".*n_jobs.*overridden.*")
            warnings.filterwarnings("ignore", message=".*precomputed_knn.*")
            warnings.filterwarnings("ignore", message=".*knn_search_index.*")
            return np.asarray(model.fit_transform(fitted), dtype=np.float32)

    def describe(self) -> dict[str, Any]:
        return {
            "name": "umap",
            "n_components": self.n_components,
            "n_neighbors": self._neighbors_used or self.n_neighbors,
            "metric": self.metric,
            "min_dist": self.min_dist,
            "init": self.init,
            "n_epochs": self._epochs_used or self.n_epochs,
            "seed": self.seed,
            "fit_sample_size": self.fit_sample_size,
            "fitted_on": self._fitted_on,
            "neighbours": "exact cosine, qcode.themes.knn",
            "others_placed_by": "similarity-weighted mean of nearest fitted excerpts (approximate_knn)",
        }


def _weighted_positions(layout: np.ndarray, indices: np.ndarray, distances: np.ndarray) -> np.ndarray:
    """Mean layout position of each point's neighbours, weighted like UMAP's memberships: exp(-(d - d_min) / s)
    with s the mean excess distance, so the nearest neighbour counts most and far ones fade."""
    excess = distances - distances[:, :1]
    scale = np.maximum(excess.mean(axis=1, keepdims=True), 1e-6)
    weights = np.exp(-excess / scale)
    weights /= weights.sum(axis=1, keepdims=True)
    return np.einsum("nk,nkd->nd", weights, layout[indices]).astype(np.float32)


def make_reducer(settings: ThemeSettings) -> Reducer:
    if settings.reducer == "umap":
        return UmapReducer(
            n_components=settings.n_components,
            n_neighbors=settings.n_neighbors,
            metric=settings.metric,
            min_dist=settings.min_dist,
            seed=settings.seed,
            fit_sample_size=settings.fit_sample_size,
            n_epochs=settings.n_epochs,
            init=settings.umap_init,
        )
    if settings.reducer == "pca":
        return PcaReducer(n_components=settings.n_components, seed=settings.seed)
    return IdentityReducer()
