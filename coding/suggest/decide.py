"""From vectors to suggestions: zero-shot scores, learned scores where the coder has coded, combined, decided.

`score_corpus` computes every probability (arrays, fast), raised where the turns around a turn carry a code
(`coding.suggest.dialogue`, when the units know their reading order); `to_suggestions` turns chosen pairs into
`Suggestion` objects with the evidence that explains each: the nearest codebook text for zero-shot, the nearest
excerpt the coder gave that code once the learned model has the larger say, and a word when only the turns around
made the suggestion.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

from coding.suggest.dialogue import choose_weight, with_dialogue
from coding.suggest.learned import LearnedScorer, LearnedScores, LearnedSettings
from coding.suggest.prototypes import PrototypeVectors
from coding.suggest.rules import DecisionRule, combine, decide, learned_weight
from coding.suggest.units import Units
from coding.suggest.zero_shot import (
    ZeroShotScorer,
    ZeroShotScores,
    ZeroShotSettings,
    fit_calibration,
    recalibrated,
)


# Excerpts combined and decided per step of `score_corpus`'s last stage, so a large corpus reports its progress.
SCORE_BATCH = 5_000


class Suggestion(BaseModel):
    model_config = ConfigDict(frozen=True)

    excerpt: int  # row of the excerpt in the arrays scored
    excerpt_id: str | None = None
    code: str
    score: float  # combined probability, 0..1
    zero_shot: float
    learned: float | None  # None while the code has too few codings for a model
    suggested: bool
    evidence: str | None = None
    evidence_source: Literal["codebook", "coding"] | None = None
    evidence_excerpt: int | None = None  # row of the coded excerpt quoted as evidence


@dataclass(frozen=True)
class CorpusScores:
    codes: list[str]
    probability: np.ndarray  # (n_excerpts, n_codes) combined
    suggested: np.ndarray  # (n_excerpts, n_codes) bool
    learned_weight: np.ndarray  # (n_codes,)
    zero_shot: ZeroShotScores
    learned: LearnedScores | None
    rule: DecisionRule
    calibration: ZeroShotSettings | None = None  # fitted on the coder's codings; None: the prior constants
    alone: np.ndarray | None = None  # (n_excerpts, n_codes) combined, before the turns around raised it
    dialogue_from: str = "set by the caller"  # how rule.dialogue_weight was chosen


def score_corpus(
    units: Units,
    prototypes: PrototypeVectors,
    labels: np.ndarray | None = None,
    rule: DecisionRule | None = None,
    zero_shot_settings: ZeroShotSettings | None = None,
    learned_settings: LearnedSettings | None = None,
    prior_labels: float = 10.0,
    stage: Callable[[str, int], None] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CorpusScores:
    """Scores and decisions for every excerpt and code. labels: (n_units, n_codes) of 1/0/-1, or None.

    `stage(name, count)` is told as each stage starts: "zero-shot" (excerpts), "learn" (codes with enough decisions
    for a model) and "score" (excerpts); `progress(done, total)` then counts the codes learned and the excerpts
    scored."""
    announce = stage or (lambda name, count: None)
    rule = rule or DecisionRule()
    announce("zero-shot", units.n_excerpts)
    zero_shot = ZeroShotScorer(prototypes, zero_shot_settings).score(units)
    learned = None
    weight = np.zeros(len(prototypes.codes))
    calibration = None
    if labels is not None:
        calibration = fit_calibration(zero_shot, units, labels, zero_shot_settings)
        if calibration is not None:
            zero_shot = replace(zero_shot, probability=recalibrated(zero_shot, calibration))
    dialogue_from = "set by the caller"
    if rule.dialogue_weight is None:
        choice = choose_weight(zero_shot.probability, units.unit_of, units.neighbours, labels,
                               lambda probability: decide(probability, rule))
        rule, dialogue_from = rule.model_copy(update={"dialogue_weight": choice.weight}), choice.source
    if labels is not None and (np.asarray(labels) != -1).any():
        scorer = LearnedScorer(learned_settings)
        announce("learn", int(scorer.trainable(labels).sum()))
        learned = scorer.score(units, labels, prototypes.codes, progress=progress)
        weight = learned_weight(learned.positives, learned.trained, prior_labels)
    alone, probability, suggested = _combined_and_decided(zero_shot, learned, weight, rule, units, announce,
                                                          progress)
    return CorpusScores(list(prototypes.codes), probability, suggested, weight, zero_shot, learned, rule,
                        calibration, alone, dialogue_from)


def _combined_and_decided(zero_shot: ZeroShotScores, learned: LearnedScores | None, weight: np.ndarray,
                          rule: DecisionRule, units: Units, announce: Callable[[str, int], None],
                          progress: Callable[[int, int], None] | None
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Combined probabilities (each turn alone, then raised by the turns around it) and decisions, `SCORE_BATCH`
    excerpts at a time. The turns around need every turn's combined probability first, so there are two passes."""
    n = zero_shot.probability.shape[0]
    announce("score", n)
    probability = np.empty(zero_shot.probability.shape, dtype=np.float64)
    suggested = np.empty(zero_shot.probability.shape, dtype=bool)
    for start in range(0, n, SCORE_BATCH):
        rows = slice(start, min(start + SCORE_BATCH, n))
        probability[rows] = combine(zero_shot.probability[rows],
                                    None if learned is None else learned.probability[rows], weight)
    alone = probability
    probability = with_dialogue(alone, units.unit_of, units.neighbours, rule.dialogue_weight)
    for start in range(0, n, SCORE_BATCH):
        rows = slice(start, min(start + SCORE_BATCH, n))
        suggested[rows] = decide(probability[rows], rule)
        if progress is not None:
            progress(rows.stop, n)
    return alone, probability, suggested


def to_suggestions(
    scores: CorpusScores,
    excerpt_ids: Sequence[str] | None = None,
    texts: Sequence[str] | None = None,
    only_suggested: bool = True,
    excerpts: Sequence[int] | None = None,
) -> list[Suggestion]:
    """Suggestion objects, by excerpt then code; `texts` (excerpt texts) lets learned evidence quote a coding."""
    chosen = scores.suggested.copy() if only_suggested else np.ones_like(scores.suggested)
    if excerpts is not None:
        keep = np.zeros(len(chosen), dtype=bool)
        keep[np.asarray(excerpts, dtype=np.int64)] = True
        chosen &= keep[:, None]
    rows, columns = np.nonzero(chosen)
    evidence_rows = _learned_evidence(scores, rows, columns, texts is not None)
    lifted = _raised_by_turns_around(scores)
    learned = None if scores.learned is None else scores.learned.probability
    result = []
    for row, column, quoted in zip(rows.tolist(), columns.tolist(), evidence_rows.tolist()):
        learned_value = None if learned is None or np.isnan(learned[row, column]) else float(learned[row, column])
        if quoted >= 0 and texts is not None:
            evidence, source, evidence_excerpt = texts[quoted], "coding", quoted
        else:
            evidence, source, evidence_excerpt = scores.zero_shot.evidence(row, column), "codebook", None
        if lifted is not None and lifted[row, column]:
            evidence = (f"the turns just before and after carry it ({scores.alone[row, column]:.2f} on its own)"
                        + (f" · {evidence}" if evidence else ""))
        result.append(Suggestion(
            excerpt=row,
            excerpt_id=None if excerpt_ids is None else excerpt_ids[row],
            code=scores.codes[column],
            score=float(scores.probability[row, column]),
            zero_shot=float(scores.zero_shot.probability[row, column]),
            learned=learned_value,
            suggested=bool(scores.suggested[row, column]),
            evidence=evidence,
            evidence_source=source,
            evidence_excerpt=evidence_excerpt,
        ))
    return result


def _raised_by_turns_around(scores: CorpusScores) -> np.ndarray | None:
    """(n_excerpts, n_codes): suggested only because the turns around carry the code (alone it would not be)."""
    if scores.alone is None:
        return None
    return scores.suggested & ~decide(scores.alone, scores.rule)


def _learned_evidence(scores: CorpusScores, rows: np.ndarray, columns: np.ndarray, wanted: bool) -> np.ndarray:
    """Per chosen pair, the coded excerpt to quote (-1: quote the codebook), where the learned model leads."""
    found = np.full(len(rows), -1, dtype=np.int64)
    if not wanted or scores.learned is None:
        return found
    for column in np.unique(columns):
        if scores.learned_weight[column] <= 0.5:
            continue
        pairs = np.flatnonzero(columns == column)
        found[pairs] = scores.learned.evidence_excerpts(rows[pairs], int(column))
    return found
