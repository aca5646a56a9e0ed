"""Every knob of theme discovery, with its default, in one serialisable object recorded in the run manifest."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MIN_THEME_SIZE = 5


def scaled_min_cluster_size(n_excerpts: int) -> int:
    """Smallest theme HDBSCAN may report for a corpus of `n_excerpts`: max(5, round(sqrt(n) / 2)).

    - 300 excerpts (about 10 interviews) -> 9; 2,000 -> 22; 10,000 -> 50; 100,000 -> 158.
    - The floor of 5: fewer excerpts than that is an anecdote, not a theme, and tiny clusters are mostly noise.
    - Growing like sqrt(n) means the smallest theme is a falling share of the corpus (3% at 300, 0.16% at 100k),
      so a bigger study resolves finer themes, while the most themes there can be (n / size = 2 sqrt(n): 35 at 300,
      632 at 100k) grows slowly enough to stay reviewable. A fixed size (say 10) would cut 100k excerpts into
      thousands of fragments; a fixed share (say 1%) would hide every theme smaller than 1,000 excerpts.
    """
    return max(MIN_THEME_SIZE, round(math.sqrt(max(n_excerpts, 0)) / 2))


def scaled_min_samples(min_cluster_size: int) -> int:
    """HDBSCAN's density smoothing when not set: max(3, min_cluster_size // 4).

    HDBSCAN's own default (= min_cluster_size) is very conservative: on 100k excerpts it labels about half of them
    outliers and its core-distance search with k = 158 is several times slower. A quarter of the theme size keeps
    small, tight themes intact and still treats isolated excerpts as outliers.
    """
    return max(3, min_cluster_size // 4)


class ThemeSettings(BaseModel):
    """How excerpts become candidate themes. Serialise with `model_dump()` into the run manifest."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: Literal["turns", "excerpts"] = Field(
        "turns", description="What is clustered: whole respondent turns (mean of their excerpt vectors; purer "
        "themes) or single excerpts (finer, for long monologues)"
    )
    reducer: Literal["umap", "pca", "none"] = Field(
        "umap", description="Dimension reduction before clustering: UMAP (default), PCA (fast, linear) or none"
    )
    n_components: int = Field(5, ge=2, le=100, description="Dimensions kept by the reducer")
    n_neighbors: int = Field(15, ge=2, le=200, description="UMAP neighbourhood size: larger = broader themes")
    metric: Literal["cosine", "euclidean"] = Field("cosine", description="Similarity UMAP's neighbours use")
    min_dist: float = Field(0.0, ge=0.0, le=1.0, description="UMAP min_dist; 0 packs themes tightly for HDBSCAN")
    umap_init: Literal["spectral", "pca", "random"] = Field("spectral", description="UMAP layout initialisation")
    n_epochs: int | None = Field(
        None, ge=10, description="UMAP optimisation epochs; None = clamp(2,000,000 / fitted points, 200, 500)"
    )
    fit_sample_size: int = Field(
        10_000,
        ge=100,
        description="UMAP is fitted on at most this many excerpts (a seeded sample) and the rest are placed by "
        "their nearest fitted neighbours; 10,000 keeps a 100k corpus under a minute on two cores",
    )
    min_cluster_size: int | None = Field(
        None, ge=2, description="Smallest theme; None = max(5, round(sqrt(n) / 2)) for n excerpts"
    )
    min_samples: int | None = Field(
        None, ge=1, description="HDBSCAN density smoothing; None = max(3, min_cluster_size // 4)"
    )
    # 'leaf' by default: on interview excerpts 'eom' tends to keep the root of the cluster tree, one theme holding
    # almost every excerpt (measured on corpus-dev: 3 themes, the largest 96%; 'leaf': 24 themes, none over 6%).
    cluster_selection_method: Literal["eom", "leaf"] = Field(
        "leaf", description="HDBSCAN: 'leaf' many small homogeneous themes (default); 'eom' fewer, larger ones"
    )
    wording_weight: float = Field(
        0.5, ge=0.0, le=4.0, description="How much the units' own wording (TF-IDF reduced by SVD) counts beside "
        "their meaning when clustering; 0 = meaning alone (see coding.themes.lexical)"
    )
    codebook_discount: float = Field(
        0.5, ge=0.0, le=1.0, description="How much of what the codebook's own texts describe is taken out of each "
        "unit before clustering, so that themes form around what the codes do not say; 0 = none, 1 = all of it. "
        "Needs a codebook; centres and statuses still use the full embedding (see coding.themes.codebook_discount)"
    )
    mention_keywords: int = Field(
        5, ge=0, le=100, description="A unit outside a theme is listed as a mention of it when it uses the theme's "
        "this-many most distinctive keywords as strongly as its members do; 0 = no mentions (see "
        "coding.themes.mentions)"
    )
    mention_quantile: float = Field(
        0.75, ge=0.0, le=1.0, description="The bar for a mention: this quantile of the theme's members' keyword "
        "scores (0.75 = as strongly as its upper-quartile member)"
    )
    seed: int = Field(42, description="Seed for every random step, so a run reproduces exactly")
    top_keywords: int = Field(10, ge=1, le=100, description="Keywords kept per theme")
    representatives: int = Field(5, ge=1, le=100, description="Excerpts nearest each theme's centre to show")
    extra_stop_words: tuple[str, ...] = Field((), description="Words never used as keywords, besides the built-in")

    def resolved_min_cluster_size(self, n_excerpts: int) -> int:
        return self.min_cluster_size if self.min_cluster_size is not None else scaled_min_cluster_size(n_excerpts)

    def resolved_min_samples(self, n_excerpts: int) -> int:
        if self.min_samples is not None:
            return self.min_samples
        return scaled_min_samples(self.resolved_min_cluster_size(n_excerpts))
