"""The turns around a turn: a code that the neighbouring answers carry is likelier in this one too.

Semi-structured interviews move through topics: a follow-up question keeps the topic of the answer before it, so an
answer is read with the ones beside it, as a researcher reads it. On corpus-dev's gold codes a code in one respondent
turn is 3 to 5 times likelier in the next (conditional 0.10-0.45 against base rates of 0.04-0.12).

    score = min(1, p + weight x mean over the previous and next turn of the same document of that turn's highest
                                  excerpt probability for the code)

The boost only adds: evidence in the turn itself still decides most suggestions, and a turn with no neighbours (or
weight 0) keeps its own probability.

Measured on corpus-dev, 6 document splits (2-fold by document, seeds 0-2), the weight and the decision rule chosen
together on each tuning half and scored on the check half (`python -m benchmarks.bench_suggestions`): learned +
zero-shot combined 0.737 (min 0.720, max 0.754) against 0.714 (0.668-0.740) with the rule alone chosen the same way;
the tuning halves chose 0.4 five times out of six (0.5 once), so 0.4 is the default. Within the same run, weights
above 0.5 lose (0.6: 0.697), as neighbours then outvote the turn itself.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np

NO_NEIGHBOUR = -1


def adjacent_units(documents: Sequence[Hashable], positions: Sequence[float]) -> np.ndarray:
    """(n_units, 2): the index of each unit's previous and next unit in reading order within its document
    (`positions`, e.g. turn numbers), NO_NEIGHBOUR at a document's first and last unit. Input order does not matter."""
    if len(documents) != len(positions):
        raise ValueError(f"{len(documents)} documents for {len(positions)} positions: give one of each per unit")
    n = len(documents)
    neighbours = np.full((n, 2), NO_NEIGHBOUR, dtype=np.int64)
    order = sorted(range(n), key=lambda u: (str(documents[u]), positions[u], u))
    for before, after in zip(order, order[1:]):
        if documents[before] == documents[after]:
            neighbours[after, 0] = before
            neighbours[before, 1] = after
    return neighbours


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
    unit_best = np.zeros((len(neighbours), probability.shape[1]))
    np.maximum.at(unit_best, unit_of, np.nan_to_num(probability, nan=0.0))
    return np.minimum(1.0, probability + weight * around_mean(unit_best, neighbours)[unit_of])
