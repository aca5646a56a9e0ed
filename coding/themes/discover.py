"""Candidate themes from excerpt vectors: reduce, cluster, then describe each cluster in the original space.

`discover_themes` is pure: the same vectors, texts and settings give an identical `ThemeResult` (all random steps
are seeded and ties are broken by excerpt index). Storage and the CLI live elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable

import time
from importlib import metadata
from typing import Any

import numpy as np
from pydantic import Field

from coding.embedding.base import normalise_rows
from coding.models import Frozen
from coding.themes.cluster import as_clusterer, make_clusterer
from coding.themes.codebook_discount import discount_codebook
from coding.themes.keywords import keyword_label, normaliser_name, term_counts, theme_keywords
from coding.themes.lexical import with_wording
from coding.themes.mentions import theme_mentions
from coding.themes.reduce import Reducer, describe_stage, make_reducer
from coding.themes.settings import ThemeSettings


class Theme(Frozen):
    id: int  # 1..k, largest theme first
    label: str  # top keywords, e.g. "training / professional development / teacher"
    keywords: list[str]
    keyword_scores: list[float]  # c-TF-IDF weight of each keyword
    size: int  # excerpts in the theme
    documents: int  # distinct documents (interviews) the excerpts come from
    speakers: int  # distinct speakers, a speaker being a (document, speaker label) pair
    members: list[int]  # excerpt indices, ascending
    member_probabilities: list[float]  # HDBSCAN membership strength per member, same order
    representatives: list[int]  # members nearest the centroid, nearest first
    centroid: list[float]  # unit mean of the members' embeddings (original space)
    cohesion: float  # mean cosine of members to the centroid
    mentions: list[int] = Field(default_factory=list)  # units outside it that use its keywords as its members do
    mention_scores: list[float] = Field(default_factory=list)  # their keyword scores, same order (highest first)


class Outlier(Frozen):
    index: int
    nearest_theme: int | None  # None when no theme was found at all
    similarity: float | None  # cosine to that theme's centroid


class ThemeResult(Frozen):
    themes: list[Theme]
    outliers: list[Outlier]
    theme_of: list[int | None]  # theme id per excerpt, None for outliers
    manifest: dict[str, Any] = Field(default_factory=dict)

    def theme(self, theme_id: int) -> Theme:
        return next(t for t in self.themes if t.id == theme_id)


_VERSIONED = ("umap-learn", "hdbscan", "scikit-learn", "numpy", "scipy")


def library_versions() -> dict[str, str | None]:
    versions: dict[str, str | None] = {}
    for name in _VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def _check_inputs(vectors: np.ndarray, texts: list[str], groups: list[str], speakers: list[str]) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        raise ValueError(f"vectors must be a 2-d array (excerpts x dimensions), got shape {vectors.shape}")
    n = vectors.shape[0]
    for name, values in (("texts", texts), ("groups", groups), ("speakers", speakers)):
        if len(values) != n:
            raise ValueError(f"{len(values)} {name} for {n} vectors: give one per excerpt")
    if not np.isfinite(vectors).all():
        raise ValueError("vectors contain NaN or infinite values")
    return normalise_rows(vectors)


def _relabel_by_size(labels: np.ndarray) -> np.ndarray:
    """Clusterer labels -> theme ids 1..k by size descending (ties: the cluster whose first excerpt comes first);
    outliers -> 0."""
    theme_ids = np.zeros(len(labels), dtype=np.int64)
    clusters = [int(c) for c in np.unique(labels) if c >= 0]
    keyed = sorted(clusters, key=lambda c: (-int(np.sum(labels == c)), int(np.argmax(labels == c))))
    for theme_id, cluster in enumerate(keyed, start=1):
        theme_ids[labels == cluster] = theme_id
    return theme_ids


def discover_themes(
    vectors: np.ndarray,
    texts: list[str],
    groups: list[str],
    speakers: list[str],
    settings: ThemeSettings | None = None,
    reducer: Reducer | None = None,
    clusterer: Any | None = None,
    timings: dict[str, float] | None = None,
    stage: Callable[[str, int], None] | None = None,
    code_prototypes: np.ndarray | None = None,
) -> ThemeResult:
    """Cluster excerpt vectors into themes, with keywords, labels, representatives and outliers' nearest themes.

    `groups` names the document of each excerpt and `speakers` its speaker label (for the breadth counts; the same
    label in two documents counts as two speakers). `reducer` and
    `clusterer` replace the stages the settings would build (any scikit-learn style object works; pass
    `IdentityReducer()` and `PrecomputedClusterer(labels)` to describe labels you already have). `timings`, when
    given, receives seconds per stage; it is kept out of the result so results compare equal across runs.
    `stage(name, count)`, when given, is called as each stage starts (reduce, cluster, keywords, mentions,
    describe) with the number of items it works on, so a caller can show that long work is alive.
    `code_prototypes` (codes x dimensions, the codebook's code vectors) lets `settings.codebook_discount` shrink
    what the codebook describes in the space that is clustered (`coding.themes.codebook_discount`); without them
    nothing is discounted.
    """
    announce = stage or (lambda name, count: None)
    settings = settings or ThemeSettings()
    unit = _check_inputs(vectors, texts, groups, speakers)
    n = unit.shape[0]
    clock = (time.perf_counter(), time.process_time())
    stage_times: dict[str, float] = {}

    def lap(name: str) -> None:  # wall seconds, and CPU seconds of all threads under "<name>_cpu"
        nonlocal clock
        now = (time.perf_counter(), time.process_time())
        stage_times[name] = now[0] - clock[0]
        stage_times[f"{name}_cpu"] = now[1] - clock[1]
        clock = now

    reducer = reducer if reducer is not None else make_reducer(settings)
    clusterer = clusterer if clusterer is not None else make_clusterer(settings, n)
    space = unit
    discounted = (np.asarray(code_prototypes) if code_prototypes is not None and settings.codebook_discount > 0
                  else np.zeros((0, unit.shape[1])))
    if len(discounted) and discounted.shape[-1] != unit.shape[1]:
        raise ValueError(f"code prototypes have {discounted.shape[-1]} dimensions and the vectors {unit.shape[1]}: "
                         f"embed both with the same model")
    space = discount_codebook(unit, discounted, settings.codebook_discount)
    if settings.wording_weight > 0 and n:
        announce("wording", n)
        space = with_wording(space, texts, settings.wording_weight, settings.seed, settings.extra_stop_words)
        lap("wording")
    announce("reduce", n)
    reduced = reducer.fit_transform(space) if n else np.zeros((0, settings.n_components), dtype=np.float32)
    lap("reduce")
    announce("cluster", n)
    clustering = as_clusterer(clusterer).cluster(reduced)
    theme_ids = _relabel_by_size(np.asarray(clustering.labels))
    lap("cluster")

    k = int(theme_ids.max()) if n else 0
    members_of = [np.flatnonzero(theme_ids == t) for t in range(1, k + 1)]
    centroids = normalise_rows(np.stack([unit[m].mean(axis=0) for m in members_of])) if k else np.zeros((0, 0))
    announce("keywords", k)
    terms = term_counts(texts, settings.extra_stop_words) if k else None
    keywords = theme_keywords(
        texts, theme_ids - 1, top_n=settings.top_keywords, extra_stop_words=settings.extra_stop_words, terms=terms
    )
    lap("keywords")
    announce("mentions", k)
    mentions = theme_mentions(terms, [keywords.get(t, []) for t in range(k)], members_of, settings.mention_keywords,
                              settings.mention_quantile)
    lap("mentions")

    announce("describe", k)
    themes = []
    for t, members in enumerate(members_of, start=1):
        centroid = centroids[t - 1]
        similarity = unit[members] @ centroid
        nearest = members[np.lexsort((members, -similarity))][: settings.representatives]
        terms = keywords.get(t - 1, [])
        themes.append(
            Theme(
                id=t,
                label=keyword_label([term for term, _ in terms]),
                keywords=[term for term, _ in terms],
                keyword_scores=[round(score, 6) for _, score in terms],
                size=len(members),
                documents=len({groups[i] for i in members}),
                speakers=len({(groups[i], speakers[i]) for i in members}),
                members=members.tolist(),
                member_probabilities=[float(p) for p in np.asarray(clustering.probabilities)[members]],
                representatives=nearest.tolist(),
                centroid=[float(x) for x in centroid],
                cohesion=float(similarity.mean()),
                mentions=[unit for unit, _ in mentions[t - 1]],
                mention_scores=[score for _, score in mentions[t - 1]],
            )
        )
    outliers = _outliers(unit, theme_ids, centroids)
    lap("describe")

    if timings is not None:
        timings.update(stage_times)
    return ThemeResult(
        themes=themes,
        outliers=outliers,
        theme_of=[int(t) if t > 0 else None for t in theme_ids],
        manifest=_manifest(settings, reducer, clusterer, n, unit.shape[1] if unit.ndim == 2 else 0, themes, outliers,
                           len(discounted)),
    )


def _outliers(unit: np.ndarray, theme_ids: np.ndarray, centroids: np.ndarray) -> list[Outlier]:
    indices = np.flatnonzero(theme_ids == 0)
    if len(centroids) == 0:
        return [Outlier(index=int(i), nearest_theme=None, similarity=None) for i in indices]
    similarity = unit[indices] @ centroids.T
    best = similarity.argmax(axis=1)  # ties -> the larger (lower id) theme
    return [
        Outlier(index=int(i), nearest_theme=int(b) + 1, similarity=float(similarity[row, b]))
        for row, (i, b) in enumerate(zip(indices, best))
    ]


def _manifest(
    settings: ThemeSettings,
    reducer: Any,
    clusterer: Any,
    n: int,
    dimension: int,
    themes: list[Theme],
    outliers: list[Outlier],
    discounted_codes: int = 0,
) -> dict[str, Any]:
    return {
        "n_excerpts": n,
        "dimension": dimension,
        "seed": settings.seed,
        "settings": settings.model_dump(mode="json"),
        "min_cluster_size": settings.resolved_min_cluster_size(n),
        "min_samples": settings.resolved_min_samples(n),
        "reducer": describe_stage(reducer),
        "clusterer": describe_stage(clusterer),
        "keywords": {
            "method": "c-TF-IDF",
            "ngrams": "words and adjacent-word bigrams",
            "stop_words": "spaCy English + interview fillers",
            "lemmatiser": normaliser_name(),
        },
        "versions": library_versions(),
        "n_themes": len(themes),
        "n_outliers": len(outliers),
        "codebook_discounted_codes": discounted_codes,  # codes whose directions were discounted; 0 = none
    }
