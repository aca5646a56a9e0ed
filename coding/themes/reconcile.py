"""Does a discovered theme fit a codebook code, fall between codes, or is it new?

Each code becomes a positive prototype (the mean embedding of its name and definition, include rules and
examples) and optional negative vectors (its exclude rules and counterexamples). `reconcile` scores every theme
centroid against every code and gives each theme a status: `matched`, `straddles` or `new`.
"""

from __future__ import annotations

import re
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from coding.embedding.base import normalise_rows

Status = Literal["matched", "straddles", "new"]

# "(TRAINING)" or "(PILOTS or COST)" in a rule names the code to use instead; it is not content to embed.
_CODE_REFERENCE = re.compile(r"\s*\((?:[A-Z][A-Z0-9_.\-]*)(?:\s*(?:,|or|and|/)\s*[A-Z][A-Z0-9_.\-]*)*\)")


def _clean(text: str) -> str:
    return _CODE_REFERENCE.sub("", text).strip()


def code_prototype_texts(code: Any) -> tuple[list[str], list[str]]:
    """(positives, negatives) to embed for a code: any object with name, definition, include, exclude, examples
    and counterexamples (missing attributes count as empty).

    Positives: "name: definition" (or just the name), each include rule, each example. Negatives: each exclude rule
    and counterexample. References to other codes in parentheses are removed from the rules.
    """
    name = str(getattr(code, "name", "") or "").strip()
    definition = str(getattr(code, "definition", "") or "").strip()
    head = f"{name}: {definition}" if name and definition else name or definition
    positives = [head] if head else []
    for attribute in ("include", "examples"):
        positives += [_clean(t) for t in getattr(code, attribute, None) or () if _clean(t)]
    negatives = [_clean(t) for a in ("exclude", "counterexamples") for t in getattr(code, a, None) or () if _clean(t)]
    return positives, negatives


class ReconcileSettings(BaseModel):
    """Thresholds for theme-to-code statuses. Defaults are tuned on all-MiniLM-L6-v2 (see `reconcile`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    negative_weight: float = Field(
        1.0, ge=0.0, le=5.0, description="How much a theme's resemblance to a code's exclude rules and "
        "counterexamples counts against the code: weight x how far the best negative beats the positive similarity"
    )
    calibrate: bool = Field(
        True, description="Subtract each code's mean score over all themes, so codes that resemble everything "
        "(a broad 'time savings' code) do not win every theme"
    )
    min_themes_to_calibrate: int = Field(
        5, ge=2, description="With fewer themes the per-code mean is too noisy: use `fallback_baseline` instead"
    )
    fallback_baseline: float = Field(
        0.5, ge=-1.0, le=1.0, description="Baseline subtracted from every code when not calibrating per code: a "
        "typical MiniLM cosine between a theme centre and an unrelated code of the same study"
    )
    match_threshold: float = Field(
        0.11, ge=-1.0, le=1.0, description="A theme fits a code when its (calibrated) score is at least this"
    )
    straddle_margin: float = Field(
        0.03, ge=0.0, le=1.0, description="Codes scoring within this of the best (and above the threshold) "
        "make the theme straddle them"
    )


class CodeScore(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    score: float  # calibrated score, the one the status is decided on
    similarity: float  # raw cosine of the theme centre to the code's positive prototype
    negative_similarity: float | None  # best cosine to the code's negatives, None without negatives


class ThemeCodeMatch(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    status: Status
    scores: list[CodeScore]  # every code, best first
    codes: list[str]  # the matched code, or the straddled codes (best first); empty for a new theme

    @property
    def best(self) -> CodeScore | None:
        return self.scores[0] if self.scores else None


def _best_negative(theme_centroids: np.ndarray, negatives: list[np.ndarray | None]) -> np.ndarray:
    """(themes x codes) best cosine to each code's negatives; NaN where a code has none."""
    result = np.full((theme_centroids.shape[0], len(negatives)), np.nan, dtype=np.float64)
    for j, vectors in enumerate(negatives):
        if vectors is not None and len(vectors):
            result[:, j] = (theme_centroids @ normalise_rows(np.atleast_2d(vectors)).T).max(axis=1)
    return result


def reconcile(
    theme_centroids: np.ndarray,
    code_ids: list[str],
    code_positive: np.ndarray,
    code_negative: list[np.ndarray | None],
    thresholds: ReconcileSettings | None = None,
) -> list[ThemeCodeMatch]:
    """One `ThemeCodeMatch` per theme (in input order) with every code scored and a status.

    Score of theme i for code j, with sim = cosine to the positive prototype and neg = best cosine to the code's
    negatives (exclude rules, counterexamples):
        penalised = sim - negative_weight * max(0, neg - sim)
        score     = penalised - baseline_j
    where baseline_j is the mean of code j's penalised scores over all themes (when `calibrate` is on and there
    are at least `min_themes_to_calibrate` themes), else `fallback_baseline`.

    Why a per-code baseline: MiniLM cosines between a theme centre and a code description sit in a narrow band
    (0.6-0.8 for the best code on the development corpus, as a centre averages many excerpts), and a broad code
    resembles every theme of a study: with raw cosines TIME_SAVINGS won 5 of the 15 gold-code themes of
    corpus-dev; relative to each code's mean over themes 14 of 15 went to their own code.
    Why the negatives only count where they beat the positive: exclude rules are near misses by design, so a
    code's own theme resembles them too; subtracting 0.5 x neg outright cost SKILLS_EROSION its own theme (its
    exclude rule is about cheating). Counted this way a negative hurts exactly the themes that look more like the
    excluded thing than like the code.

    Status, on scores: `new` if the best is below `match_threshold`; `straddles` if two or more codes are at least
    `match_threshold` and within `straddle_margin` of the best; otherwise `matched`. Defaults (0.11, 0.03) read
    off corpus-dev: gold-code themes scored 0.12-0.33 for their own code, the staff-shortage theme that the
    codebook lacks 0.105, and small talk (consent, thanks) below 0; clusters found by `discover_themes` there
    matched mostly at 0.15-0.42. Raise the threshold to call more themes new, lower it to call fewer.
    """
    settings = thresholds or ReconcileSettings()
    centroids = normalise_rows(np.atleast_2d(np.asarray(theme_centroids, dtype=np.float32)))
    if len(code_ids) != len(code_negative) or len(code_ids) != len(code_positive):
        raise ValueError(
            f"{len(code_ids)} code ids, {len(code_positive)} positive prototypes and {len(code_negative)} negative "
            "lists: give one of each per code"
        )
    n_themes = centroids.shape[0] if np.asarray(theme_centroids).size else 0
    if n_themes == 0:
        return []
    if not code_ids:
        return [ThemeCodeMatch(status="new", scores=[], codes=[]) for _ in range(n_themes)]
    positive = normalise_rows(np.asarray(code_positive, dtype=np.float32))
    similarity = (centroids @ positive.T).astype(np.float64)
    negative = _best_negative(centroids, code_negative)
    beaten_by_negative = np.maximum(np.nan_to_num(negative, nan=-np.inf) - similarity, 0.0)
    penalised = similarity - settings.negative_weight * beaten_by_negative
    if settings.calibrate and n_themes >= settings.min_themes_to_calibrate:
        baseline = penalised.mean(axis=0, keepdims=True)
    else:
        baseline = np.full((1, len(code_ids)), settings.fallback_baseline)
    scores = penalised - baseline
    return [
        _match(code_ids, scores[i], similarity[i], negative[i], settings) for i in range(n_themes)
    ]


def _match(
    code_ids: list[str], scores: np.ndarray, similarity: np.ndarray, negative: np.ndarray, settings: ReconcileSettings
) -> ThemeCodeMatch:
    order = sorted(range(len(code_ids)), key=lambda j: (-scores[j], code_ids[j]))
    ranked = [
        CodeScore(
            code=code_ids[j],
            score=float(scores[j]),
            similarity=float(similarity[j]),
            negative_similarity=None if np.isnan(negative[j]) else float(negative[j]),
        )
        for j in order
    ]
    best = ranked[0].score
    if best < settings.match_threshold:
        return ThemeCodeMatch(status="new", scores=ranked, codes=[])
    floor = max(settings.match_threshold, best - settings.straddle_margin)
    close = [s.code for s in ranked if s.score >= floor]
    if len(close) >= 2:
        return ThemeCodeMatch(status="straddles", scores=ranked, codes=close)
    return ThemeCodeMatch(status="matched", scores=ranked, codes=[ranked[0].code])
