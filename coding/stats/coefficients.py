"""Agreement coefficients for coders who label the same units.

Labels are plain hashable values (bool, int or str); a missing label is `None` (or a float NaN). Every function
returns a finite float: where a textbook formula would divide 0 by 0, the docstring says which value we return and
why, so that reports and JSON never carry NaN.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from coding.errors import Problem, QcodeError

Label = Hashable
ReliabilityMatrix = Sequence[Sequence[Label | None]]  # units x coders, None where a coder gave no label


class AgreementDataError(QcodeError):
    """Coders' labels cannot be compared as given (unequal lengths, nothing to compare, bad parameters)."""


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _paired(a: Sequence[Label], b: Sequence[Label]) -> list[tuple[Label, Label]]:
    """The (a, b) label pairs, after checking both coders labelled the same, non-empty list of units."""
    if len(a) != len(b):
        raise AgreementDataError(
            Problem(
                f"the two coders labelled different numbers of units ({len(a)} and {len(b)})",
                hint="pass one label per unit for each coder, in the same unit order",
            )
        )
    if len(a) == 0:
        raise AgreementDataError(Problem("there are no units to compare", hint="pass at least one labelled unit"))
    for index, (x, y) in enumerate(zip(a, b)):
        if is_missing(x) or is_missing(y):
            raise AgreementDataError(
                Problem(
                    f"unit {index} has no label from one of the coders",
                    hint="Cohen's kappa needs every unit labelled by both coders; "
                    "use krippendorff_alpha_nominal for data with missing labels",
                )
            )
    return list(zip(a, b))


def percent_agreement(a: Sequence[Label], b: Sequence[Label]) -> float:
    """Share of units on which the two coders gave the same label (0.0 to 1.0)."""
    pairs = _paired(a, b)
    return sum(x == y for x, y in pairs) / len(pairs)


def cohen_kappa(a: Sequence[Label], b: Sequence[Label]) -> float:
    """Cohen's kappa for two coders labelling the same units: (po - pe) / (1 - pe).

    po is the observed share of agreement, pe the agreement expected from each coder's own label frequencies.
    Degenerate case: pe == 1 only when both coders used one and the same label on every unit, so po == 1 too and
    the formula is 0/0; we return 1.0 (they agree on every unit). Two coders who are each constant but on
    different labels get pe == 0 and po == 0, so kappa is 0.0 by the ordinary formula.
    """
    pairs = _paired(a, b)
    n = len(pairs)
    agreed = sum(x == y for x, y in pairs)
    counts_a = Counter(x for x, _ in pairs)
    counts_b = Counter(y for _, y in pairs)
    chance = sum(counts_a[label] * counts_b[label] for label in counts_a)  # = pe * n^2, an exact integer
    if chance == n * n:
        return 1.0
    # (agreed/n - chance/n^2) / (1 - chance/n^2), multiplied through by n^2 to stay exact until the last step.
    return (agreed * n - chance) / (n * n - chance)


@dataclass(frozen=True)
class Coincidences:
    """Each pairable unit's contribution to Krippendorff's coincidence matrix, kept per unit for resampling.

    Entry i adds `value[i]` to flattened cell `cell[i]` (row * n_labels + column) for unit `unit[i]`; a unit
    with m labels contributes n_uc * n_uk / (m - 1) to cell (c, k), counting ordered pairs of its labels.
    """

    unit: np.ndarray
    cell: np.ndarray
    value: np.ndarray
    n_units: int
    n_labels: int

    def matrix(self, unit_weights: np.ndarray | None = None) -> np.ndarray:
        """The coincidence matrix, with each unit counted `unit_weights[u]` times (once when None)."""
        value = self.value if unit_weights is None else self.value * unit_weights[self.unit]
        flat = np.bincount(self.cell, weights=value, minlength=self.n_labels * self.n_labels)
        return flat.reshape(self.n_labels, self.n_labels)


def coincidences(matrix: ReliabilityMatrix) -> Coincidences:
    """Collect the coincidences of the units that carry at least two labels; fewer than two cannot be paired."""
    label_index: dict[Label, int] = {}
    unit: list[int] = []
    cell: list[tuple[int, int]] = []
    value: list[float] = []
    n_units = 0
    for row in matrix:
        labels = [label for label in row if not is_missing(label)]
        if len(labels) < 2:
            continue
        counts = Counter(label_index.setdefault(label, len(label_index)) for label in labels)
        pairs_per_label = len(labels) - 1
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_c - 1) if c == k else n_c * n_k
                if pairs:
                    unit.append(n_units)
                    cell.append((c, k))
                    value.append(pairs / pairs_per_label)
        n_units += 1
    if n_units == 0:
        raise AgreementDataError(
            Problem(
                "no unit was labelled by at least two coders, so there is nothing to compare",
                hint="reliability data is units x coders with None for a missing label",
            )
        )
    n_labels = len(label_index)
    flat_cells = [c * n_labels + k for c, k in cell]
    return Coincidences(
        unit=np.asarray(unit, dtype=np.int64),
        cell=np.asarray(flat_cells, dtype=np.int64),
        value=np.asarray(value, dtype=np.float64),
        n_units=n_units,
        n_labels=n_labels,
    )


def alpha_from_coincidences(observed: np.ndarray) -> float:
    """Nominal alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c * n_k.

    When only one label occurs among the pairable values there is no variation: expected disagreement is 0 and
    Krippendorff calls alpha undefined. We return 1.0, because observed disagreement is then 0 as well (every
    coder gave the same label to every unit), matching `cohen_kappa`'s convention.
    """
    label_totals = observed.sum(axis=1)
    if np.count_nonzero(label_totals > 0) <= 1:
        return 1.0
    n = float(label_totals.sum())
    observed_disagreement = n - float(np.trace(observed))
    expected_disagreement = n * n - float(np.square(label_totals).sum())
    return 1.0 - (n - 1.0) * observed_disagreement / expected_disagreement


def krippendorff_alpha_nominal(matrix: ReliabilityMatrix) -> float:
    """Krippendorff's alpha for nominal labels: units x coders, None for missing, any number of coders.

    Units with fewer than two labels are ignored (they cannot be paired). No variation at all gives 1.0, see
    `alpha_from_coincidences`. Raises `AgreementDataError` when no unit has two labels.
    """
    return alpha_from_coincidences(coincidences(matrix).matrix())


def bootstrap_alpha_ci(
    matrix: ReliabilityMatrix, n_boot: int = 1000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap interval for nominal alpha, resampling pairable units with replacement.

    The same seed gives the same interval. Resamples without variation count as 1.0, as in the point estimate.
    """
    if n_boot < 1:
        raise AgreementDataError(Problem(f"n_boot must be at least 1, got {n_boot}", hint="1000 is usual"))
    if not 0.0 < level < 1.0:
        raise AgreementDataError(Problem(f"level must be between 0 and 1, got {level}", hint="0.95 is usual"))
    data = coincidences(matrix)
    rng = np.random.default_rng(seed)
    alphas = np.empty(n_boot)
    for draw in range(n_boot):
        picked = rng.integers(0, data.n_units, size=data.n_units)
        weights = np.bincount(picked, minlength=data.n_units).astype(np.float64)
        alphas[draw] = alpha_from_coincidences(data.matrix(weights))
    tail = (1.0 - level) / 2.0
    low, high = np.quantile(alphas, [tail, 1.0 - tail])
    return float(low), float(high)
