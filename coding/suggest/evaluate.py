"""How well suggestions agree with a human coder, per code, at the unit (turn) level.

A unit carries a code if any of its excerpts is suggested it. Zero-shot is scored on every unit; the learned model
is scored leave one document out: for each document, train on the coder's codes for all the other documents
(every unit there counts as reviewed: its codes positive, all others negative) and predict that document.
Agreement figures come from `coding.stats.agreement_report` (Cohen's kappa, F1, precision, recall, support).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from coding.errors import Problem
from coding.stats.agreement import AgreementReport, agreement_report
from coding.suggest.dialogue import choose_weight, with_dialogue
from coding.suggest.errors import SuggestionInputError
from coding.suggest.labels import label_matrix
from coding.suggest.learned import LearnedScorer, LearnedSettings
from coding.suggest.prototypes import PrototypeVectors
from coding.suggest.rules import DecisionRule, combine, decide, learned_weight
from coding.suggest.units import Units, unit_decisions, unit_maximum
from coding.suggest.zero_shot import ZeroShotScorer, ZeroShotSettings, fit_calibration, recalibrated


@dataclass(frozen=True)
class Evaluation:
    codes: list[str]
    zero_shot: AgreementReport
    learned: AgreementReport  # learned probabilities alone, leave one document out
    combined: AgreementReport  # learned combined with zero-shot, as suggestions are made
    zero_shot_probability: np.ndarray  # (n_units, n_codes): best excerpt per unit
    learned_probability: np.ndarray
    combined_probability: np.ndarray
    gold: np.ndarray  # (n_units, n_codes) bool
    learned_excerpt_probability: np.ndarray | None = None  # (n_excerpts, n_codes), leave one document out
    combined_excerpt_probability: np.ndarray | None = None
    dialogue_weights: dict[str, float] | None = None  # per held-out document, the weight of the turns around it


def agreement(
    unit_ids: Sequence[Hashable], gold: Mapping[Hashable, set[str]], decided: np.ndarray, codes: Sequence[str]
) -> AgreementReport:
    assistant = {unit: {codes[j] for j in np.flatnonzero(row)} for unit, row in zip(unit_ids, decided)}
    return agreement_report(list(unit_ids), {"gold": gold, "assistant": assistant}, list(codes), "turn", "gold")


def evaluate(
    units: Units,
    prototypes: PrototypeVectors,
    unit_ids: Sequence[Hashable],
    gold: Mapping[Hashable, set[str]],
    rule: DecisionRule | None = None,
    zero_shot_settings: ZeroShotSettings | None = None,
    learned_settings: LearnedSettings | None = None,
    prior_labels: float = 10.0,
) -> Evaluation:
    """Zero-shot and leave-one-document-out learned agreement with `gold` ({unit id: codes}; absent = uncoded)."""
    rule = rule or DecisionRule()
    codes = list(prototypes.codes)
    if len(unit_ids) != units.n_units:
        raise SuggestionInputError(f"{len(unit_ids)} unit ids for {units.n_units} units")
    if units.documents is None:
        raise SuggestionInputError(Problem("leave-one-document-out needs the document of every unit",
                                           hint="pass documents= to build_units"))
    gold = {unit: set(gold.get(unit, ())) for unit in unit_ids}
    labels = label_matrix(len(unit_ids), codes, {row: gold[unit] for row, unit in enumerate(unit_ids)})
    zero_shot_scores = ZeroShotScorer(prototypes, zero_shot_settings).score(units)
    zero_shot = zero_shot_scores.probability
    learned = np.full(zero_shot.shape, np.nan)
    combined = zero_shot.copy()
    scorer = LearnedScorer(learned_settings)
    dialogue: dict[str, float] = {}
    for document in np.unique(units.documents):
        held_units = units.documents == document
        training = labels.copy()
        training[held_units] = -1
        result = scorer.score(units, training, codes)
        held = held_units[units.unit_of]
        learned[held] = result.probability[held]
        weight = learned_weight(result.positives, result.trained, prior_labels)
        # as suggestions are made: the zero-shot calibration is fitted on the coder's other documents
        calibration = fit_calibration(zero_shot_scores, units, training, zero_shot_settings)
        calibrated = zero_shot if calibration is None else recalibrated(zero_shot_scores, calibration)
        combined[held] = combine(calibrated[held], result.probability[held], weight)
        # as suggestions are made: the weight of the turns around is chosen on the coder's other documents
        dialogue[str(document)] = rule.dialogue_weight if rule.dialogue_weight is not None else choose_weight(
            calibrated, units.unit_of, units.neighbours, training, lambda probability: decide(probability, rule)).weight
    n = units.n_units
    # each held-out document's turns are raised by its own turns around them (no labels), with its own weight
    zero_shot, learned, combined = (_raised_per_document(p, units, dialogue) for p in (zero_shot, learned, combined))

    def report(probability: np.ndarray) -> AgreementReport:
        return agreement(unit_ids, gold, unit_decisions(decide(probability, rule), units.unit_of, n), codes)

    return Evaluation(
        codes=codes,
        zero_shot=report(zero_shot),
        learned=report(learned),
        combined=report(combined),
        zero_shot_probability=unit_maximum(zero_shot, units.unit_of, n),
        learned_probability=unit_maximum(learned, units.unit_of, n),
        combined_probability=unit_maximum(combined, units.unit_of, n),
        gold=labels == 1,
        learned_excerpt_probability=learned,
        combined_excerpt_probability=combined,
        dialogue_weights=dialogue,
    )


def _raised_per_document(probability: np.ndarray, units: Units, weights: dict[str, float]) -> np.ndarray:
    """`probability` raised by the turns around each turn, with each document's own weight (neighbours never cross
    documents, so each weight can be applied to the whole array and its document's rows kept)."""
    raised = np.array(probability, dtype=np.float64, copy=True)
    excerpt_documents = units.documents[units.unit_of].astype(str)
    for weight in sorted(set(weights.values())):
        rows = np.isin(excerpt_documents, [d for d, w in weights.items() if w == weight])
        raised[rows] = with_dialogue(probability, units.unit_of, units.neighbours, weight)[rows]
    return raised
