"""The turns around a turn: a code that the neighbouring answers carry is likelier in this one too.

Semi-structured interviews move through topics: a follow-up question keeps the topic of the answer before it, so an
answer is read with the ones beside it, as a researcher reads it. On corpus-dev's gold codes a code in one respondent
turn is 3 to 5 times likelier in the next (conditional 0.10-0.45 against base rates of 0.04-0.12).

    score = min(1, p + weight x mean over the previous and next turn of the same document of that turn's highest
                                  excerpt probability for the code)

The boost only adds: evidence in the turn itself still decides most suggestions, and a turn with no neighbours (or
weight 0) keeps its own probability.

Not every study keeps its topics from turn to turn (a focus group, a protocol that jumps), so how much the turns
around count is chosen on the project itself once the coder has coded enough turns (`choose_weight`): the weight
among 0-0.5 whose zero-shot suggestions agree best with the coder's coded turns (zero-shot, because the learned
model has seen those turns; it needs no retraining). Before that, 0.4 is the prior: the weight the tuning halves
chose (five times of six, 0.5 once) when it was chosen together with the decision rule.

Measured on corpus-dev (`python -m benchmarks.bench_suggestions`), 6 document splits (2-fold by document, seeds
0-2), mean kappa over 15 codes on the check halves, learned + zero-shot combined, default rule:
- each turn alone 0.727 (min 0.711, max 0.747); the turns around at 0.4, 0.741 (0.725-0.758); at the weight chosen
  on each tuning half's codes (0.2 or 0.3 each time), 0.737 (0.721-0.756). Weights above 0.5 lose (0.6: 0.697):
  the neighbours then outvote the turn itself.
- the same interviews with their turns shuffled, so topics no longer carry on: each turn alone 0.727; a fixed 0.4
  costs (0.709); the chosen weight (0 on five halves of six) keeps 0.727.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from coding.suggest.units import NO_NEIGHBOUR, adjacent_units, unit_decisions, unit_maximum

PRIOR_WEIGHT = 0.4
CANDIDATE_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
MIN_CODED_PAIRS = 20  # coded (turn, code) pairs, as for the zero-shot calibration, before the project decides


def around_mean(unit_values: np.ndarray, neighbours: np.ndarray) -> np.ndarray:
    """(n_units, n_codes): the mean of the previous and next unit's values (one of them where only one exists,
    zero where neither does)."""
    unit_values = np.asarray(unit_values, dtype=np.float64)
    total = np.zeros_like(unit_values)
    count = np.zeros((len(unit_values), 1))
    for side in (0, 1):
        present = neighbours[:, side] != NO_NEIGHBOUR
        total[present] += unit_values[neighbours[present, side]]
        count[present] += 1
    return np.divide(total, count, out=np.zeros_like(total), where=count > 0)


def with_dialogue(probability: np.ndarray, unit_of: np.ndarray, neighbours: np.ndarray | None,
                  weight: float) -> np.ndarray:
    """Excerpt probabilities (n_excerpts, n_codes) raised by what the turns around each excerpt's turn carry.

    NaN (a code without a model) counts as 0 in the neighbours and stays NaN in the excerpt itself."""
    probability = np.asarray(probability, dtype=np.float64)
    if neighbours is None or weight == 0 or probability.size == 0:
        return probability
    unit_of = np.asarray(unit_of, dtype=np.int64)
    unit_best = np.maximum(unit_maximum(probability, unit_of, len(neighbours)), 0.0)  # a unit of NaN only: 0
    return np.minimum(1.0, probability + weight * around_mean(unit_best, neighbours)[unit_of])


class WeightChoice(NamedTuple):
    weight: float
    source: str  # how it was chosen, for the run manifest and the evaluation report


def choose_weight(zero_shot: np.ndarray, unit_of: np.ndarray, neighbours: np.ndarray | None,
                  labels: np.ndarray | None, decide: Callable[[np.ndarray], np.ndarray]) -> WeightChoice:
    """The dialogue weight for this project: among CANDIDATE_WEIGHTS, the one whose zero-shot suggestions (`decide`
    applied to the raised excerpt probabilities, rolled up to turns) agree best with the coder on the turns they
    have coded for every code (mean Cohen's kappa over codes; ties go to the weight nearest the prior). The prior
    when the reading order is unknown or the coder has coded fewer than MIN_CODED_PAIRS (turn, code) pairs."""
    if neighbours is None:
        return WeightChoice(0.0, "no reading order: each turn alone")
    labels = None if labels is None else np.asarray(labels)
    coded = np.zeros(0, dtype=bool) if labels is None else (labels != -1).all(1)
    if labels is None or (labels[coded] == 1).sum() < MIN_CODED_PAIRS:
        return WeightChoice(PRIOR_WEIGHT, f"prior (the coder has fewer than {MIN_CODED_PAIRS} coded turn-code pairs)")
    truth = labels[coded] == 1
    unit_of = np.asarray(unit_of, dtype=np.int64)

    def agreement(weight: float) -> float:
        suggested = decide(with_dialogue(zero_shot, unit_of, neighbours, weight))
        return _mean_kappa(unit_decisions(suggested, unit_of, len(neighbours))[coded], truth)

    scored = {weight: agreement(weight) for weight in CANDIDATE_WEIGHTS}
    best = max(scored, key=lambda w: (round(scored[w], 9), -abs(w - PRIOR_WEIGHT)))
    return WeightChoice(best, f"chosen on the coder's {int(coded.sum())} coded turns (zero-shot agreement)")


def _mean_kappa(decided: np.ndarray, truth: np.ndarray) -> float:
    """Mean over codes of Cohen's kappa between two boolean (turns x codes) matrices; codes where chance agreement
    is certain (nobody, or everybody, has the code on both sides) tell nothing and are left out."""
    a, b = decided.astype(np.float64), truth.astype(np.float64)
    observed = (a == b).mean(0)
    pa, pb = a.mean(0), b.mean(0)
    chance = pa * pb + (1 - pa) * (1 - pb)
    informative = chance < 1 - 1e-12
    if not informative.any():
        return 0.0
    return float(np.mean((observed[informative] - chance[informative]) / (1 - chance[informative])))
