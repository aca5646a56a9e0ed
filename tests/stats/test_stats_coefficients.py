"""Kappa, alpha and the bootstrap interval against values worked out by hand (arithmetic in the comments)."""

from __future__ import annotations

import math

import pytest

from coding.errors import QcodeError
from coding.stats.agreement import (
    AgreementDataError,
    bootstrap_alpha_ci,
    cohen_kappa,
    krippendorff_alpha_nominal,
    percent_agreement,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: nominal data, 4 observers (A-D)
# by 12 units, None where an observer gave no value. Rows here are units, columns observers A, B, C, D.
KRIPPENDORFF_2011 = [
    [1, 1, None, 1],
    [2, 2, 3, 2],
    [3, 3, 3, 3],
    [3, 3, 3, 3],
    [2, 2, 2, 2],
    [1, 2, 3, 4],
    [4, 4, 4, 4],
    [1, 1, 2, 1],
    [2, 2, 2, 2],
    [None, 5, 5, 5],
    [None, None, 1, 1],
    [None, 3, None, None],  # a single value: not pairable, ignored
]


def table(both_yes: int, only_a: int, only_b: int, both_no: int) -> tuple[list[bool], list[bool]]:
    a = [True] * both_yes + [True] * only_a + [False] * only_b + [False] * both_no
    b = [True] * both_yes + [False] * only_a + [True] * only_b + [False] * both_no
    return a, b


def test_cohen_kappa_on_textbook_two_by_two_table() -> None:
    # a=20 (both yes), b=5 (A yes, B no), c=10 (A no, B yes), d=15 (both no); n = 50
    # po = (20 + 15) / 50 = 0.7; A says yes 25/50 = 0.5, B says yes 30/50 = 0.6
    # pe = 0.5 * 0.6 + 0.5 * 0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    a, b = table(20, 5, 10, 15)
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert percent_agreement(a, b) == pytest.approx(0.7)


def test_cohen_kappa_works_on_string_labels_with_three_categories() -> None:
    # pairs: (x,x) (x,y) (y,y) (z,z) (z,x) (y,y); agree 4/6 -> po = 2/3
    # A: x2 y2 z2; B: x2 y3 z1 -> pe = (2*2 + 2*3 + 2*1) / 36 = 12/36 = 1/3
    # kappa = (2/3 - 1/3) / (1 - 1/3) = 0.5
    a = ["x", "x", "y", "z", "z", "y"]
    b = ["x", "y", "y", "z", "x", "y"]
    assert cohen_kappa(a, b) == pytest.approx(0.5)


def test_cohen_kappa_is_one_when_both_coders_are_constant_and_agree() -> None:
    # pe = 1 and po = 1: the formula is 0/0, we return 1.0
    assert cohen_kappa([False] * 5, [False] * 5) == 1.0


def test_cohen_kappa_is_zero_when_constant_coders_disagree_or_one_is_constant() -> None:
    # constant on different labels: po = 0, pe = 0 -> 0.0
    assert cohen_kappa([True] * 4, [False] * 4) == 0.0
    # A always True, B half: po = 0.5, pe = 1 * 0.5 = 0.5 -> 0 / 0.5 = 0.0
    assert cohen_kappa([True] * 4, [True, True, False, False]) == 0.0


def test_kappa_rejects_unequal_lengths_and_missing_labels() -> None:
    with pytest.raises(AgreementDataError, match="different numbers of units"):
        cohen_kappa([True, False], [True])
    with pytest.raises(QcodeError, match="unit 1 has no label"):
        cohen_kappa([True, None], [True, False])
    with pytest.raises(AgreementDataError, match="no units"):
        percent_agreement([], [])


def test_krippendorff_alpha_matches_canonical_nominal_example() -> None:
    # Coincidences per unit (o_ck += n_uc * n_uk / (m_u - 1)), diagonal: o11 = 3 + 2 + 2 = 7 (units 1, 8, 11),
    # o22 = 2 + 4 + 4 = 10, o33 = 4 + 4 = 8, o44 = 4, o55 = 3 -> 32 of n = 40 pairable values; off-diagonal 8.
    # Label totals n_c = 9, 13, 10, 5, 3; sum n_c^2 = 81 + 169 + 100 + 25 + 9 = 384.
    # alpha = 1 - (n - 1) * 8 / (n^2 - 384) = 1 - 39 * 8 / 1216 = 1 - 312 / 1216 = 0.7434
    assert krippendorff_alpha_nominal(KRIPPENDORFF_2011) == pytest.approx(1 - 312 / 1216)
    assert round(krippendorff_alpha_nominal(KRIPPENDORFF_2011), 3) == 0.743


def test_krippendorff_alpha_two_coders_binary_example() -> None:
    # Krippendorff (2011), section A: A = 0100000010, B = 1110010000 -> alpha = 0.095
    # units (0,0) x5 -> o00 = 10; (1,1) x1 -> o11 = 2; 4 disagreeing units -> o01 = o10 = 4
    # n0 = 14, n1 = 6, n = 20; alpha = 1 - 19 * 8 / (400 - 196 - 36) = 1 - 152 / 168 = 0.0952
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert krippendorff_alpha_nominal(list(zip(a, b))) == pytest.approx(16 / 168)


def test_alpha_is_slightly_above_kappa_on_a_small_two_coder_sample() -> None:
    # A = 1100, B = 1000: o11 = 2, o01 = o10 = 1, o00 = 4; n1 = 3, n0 = 5, n = 8
    # alpha = 1 - 7 * 2 / (64 - 9 - 25) = 1 - 14/30 = 0.5333; kappa: po = 3/4, pe = .5*.25 + .5*.75 = .5 -> 0.5
    a, b = [1, 1, 0, 0], [1, 0, 0, 0]
    assert krippendorff_alpha_nominal(list(zip(a, b))) == pytest.approx(16 / 30)
    assert cohen_kappa(a, b) == pytest.approx(0.5)


def test_alpha_and_kappa_are_one_on_perfect_agreement() -> None:
    a = ["p", "q", "q", "r", "p"]
    assert cohen_kappa(a, list(a)) == 1.0
    assert krippendorff_alpha_nominal([[x, x, x] for x in a]) == pytest.approx(1.0)


def test_alpha_without_variation_is_one_and_units_with_one_value_are_ignored() -> None:
    # every pairable value is "yes": no variation, returned as 1.0 (documented); the lone "no" cannot be paired
    assert krippendorff_alpha_nominal([["yes", "yes"], ["yes", None, "yes"], [None, "no"]]) == 1.0


def test_alpha_treats_nan_as_missing() -> None:
    assert krippendorff_alpha_nominal([[1, 1, float("nan")], [2, 2, float("nan")]]) == pytest.approx(1.0)


def test_alpha_without_any_pairable_unit_is_reported() -> None:
    with pytest.raises(AgreementDataError, match="at least two coders"):
        krippendorff_alpha_nominal([[1, None], [None, 2]])


def test_bootstrap_interval_contains_point_estimate_and_is_reproducible() -> None:
    alpha = krippendorff_alpha_nominal(KRIPPENDORFF_2011)
    low, high = bootstrap_alpha_ci(KRIPPENDORFF_2011, n_boot=500, seed=7)
    assert low <= alpha <= high
    assert low < high
    assert math.isfinite(low) and math.isfinite(high)
    assert bootstrap_alpha_ci(KRIPPENDORFF_2011, n_boot=500, seed=7) == (low, high)
    assert bootstrap_alpha_ci(KRIPPENDORFF_2011, n_boot=500, seed=8) != (low, high)


def test_narrower_level_gives_a_narrower_bootstrap_interval() -> None:
    wide = bootstrap_alpha_ci(KRIPPENDORFF_2011, n_boot=400, seed=1, level=0.95)
    narrow = bootstrap_alpha_ci(KRIPPENDORFF_2011, n_boot=400, seed=1, level=0.5)
    assert wide[0] <= narrow[0] <= narrow[1] <= wide[1]


def test_bootstrap_without_variation_is_a_finite_point() -> None:
    assert bootstrap_alpha_ci([[1, 1], [1, 1], [1, None]], n_boot=50) == (1.0, 1.0)


def test_bootstrap_rejects_bad_parameters() -> None:
    with pytest.raises(AgreementDataError, match="n_boot"):
        bootstrap_alpha_ci(KRIPPENDORFF_2011, n_boot=0)
    with pytest.raises(AgreementDataError, match="level"):
        bootstrap_alpha_ci(KRIPPENDORFF_2011, level=95)
