"""The per-code agreement report and the list of disagreements, on small hand-checked codings."""

from __future__ import annotations

import json
import math

import pytest

from coding.stats.agreement import AgreementDataError, agreement_report, disagreements

UNITS = ["t1", "t2", "t3", "t4"]
# "t3" is absent for gold: an absent unit counts as coded with nothing.
GOLD = {"t1": {"A"}, "t2": {"A", "B"}, "t4": {"B"}}
PRED = {"t1": {"A"}, "t2": {"A"}, "t3": {"B"}, "t4": {"B", "OTHER"}}  # OTHER is not reported on
CODES = ["A", "B", "C"]


def strict_json(text: str) -> dict:
    def refuse(constant: str) -> None:
        raise AssertionError(f"non-finite number {constant} in report JSON")

    return json.loads(text, parse_constant=refuse)


def test_two_coder_report_matches_hand_computed_values() -> None:
    report = agreement_report(UNITS, {"gold": GOLD, "pred": PRED}, CODES, unit="turn")
    a, b, c = report.codes["A"], report.codes["B"], report.codes["C"]
    # A: gold 1100, pred 1100 -> perfect
    assert (a.kappa, a.alpha, a.f1, a.percent_agreement, a.support) == (1.0, 1.0, 1.0, 1.0, 2)
    assert a.counts == {"tp": 2, "fp": 0, "fn": 0, "tn": 2}
    # B: gold 0101, pred 0011 -> tp 1 (t4), fn 1 (t2), fp 1 (t3), tn 1 (t1); po = 0.5, pe = .5*.5 + .5*.5 -> kappa 0
    # alpha: o00 = 2, o11 = 2, o01 = o10 = 2; n0 = n1 = 4, n = 8 -> 1 - 7 * 4 / (64 - 32) = 0.125
    assert b.counts == {"tp": 1, "fp": 1, "fn": 1, "tn": 1}
    assert (b.precision, b.recall, b.f1, b.percent_agreement) == (0.5, 0.5, 0.5, 0.5)
    assert b.kappa == pytest.approx(0.0)
    assert b.alpha == pytest.approx(0.125)
    # C: nobody applied it -> the degenerate values, all perfect and finite
    assert (c.kappa, c.alpha, c.f1, c.precision, c.recall, c.support) == (1.0, 1.0, 1.0, 1.0, 1.0, 0)
    assert report.mean_kappa == pytest.approx((1 + 0 + 1) / 3)
    assert report.macro_f1 == pytest.approx((1 + 0.5 + 1) / 3)
    # micro: tp = 3, fp = 1, fn = 1 -> 6 / 8
    assert report.micro_f1 == pytest.approx(0.75)
    # pooled 12 (unit, code) rows: o11 = 6, o00 = 14, o01 = o10 = 2; n1 = 8, n0 = 16, n = 24
    # alpha = 1 - 23 * 4 / (576 - 64 - 256) = 1 - 92 / 256 = 0.640625
    assert report.overall_alpha == pytest.approx(0.640625)


def test_report_json_has_the_agreed_shape_and_no_nan() -> None:
    report = agreement_report(UNITS, {"gold": GOLD, "pred": PRED}, CODES, unit="turn")
    data = strict_json(report.model_dump_json())
    assert list(data) == ["unit", "codes", "mean_kappa", "macro_f1", "micro_f1", "overall_alpha"]
    assert data["unit"] == "turn"
    assert list(data["codes"]) == CODES
    assert list(data["codes"]["B"]) == [
        "kappa", "alpha", "f1", "precision", "recall", "percent_agreement", "support", "counts",
    ]
    assert set(data["codes"]["B"]["counts"]) == {"tp", "fp", "fn", "tn"}


def test_degenerate_report_where_nobody_codes_anything_is_finite() -> None:
    report = agreement_report(["u1", "u2"], {"x": {}, "y": {"u1": set()}}, ["A"], unit="excerpt")
    data = strict_json(report.model_dump_json())
    assert all(math.isfinite(value) for value in (data["mean_kappa"], data["micro_f1"], data["overall_alpha"]))
    assert report.overall_alpha == 1.0


def test_reference_coder_decides_which_side_is_scored() -> None:
    gold = {"u1": {"A"}, "u2": {"A"}}
    pred = {"u1": {"A"}}
    default = agreement_report(["u1", "u2", "u3"], {"gold": gold, "pred": pred}, ["A"], unit="turn").codes["A"]
    # pred vs gold: tp 1, fn 1 -> precision 1.0, recall 0.5; support = gold's 2
    assert (default.precision, default.recall, default.support) == (1.0, 0.5, 2)
    swapped = agreement_report(
        ["u1", "u2", "u3"], {"gold": gold, "pred": pred}, ["A"], unit="turn", reference="pred"
    ).codes["A"]
    assert (swapped.precision, swapped.recall, swapped.support) == (0.5, 1.0, 1)


def test_three_coders_use_mean_pairwise_kappa_and_alpha_over_all() -> None:
    coders = {
        "g": {"u1": {"A"}, "u2": {"A"}},
        "x": {"u1": {"A"}, "u2": {"A"}},
        "y": {"u1": {"A"}},
    }
    result = agreement_report(["u1", "u2", "u3", "u4"], coders, ["A"], unit="turn").codes["A"]
    # kappa(g,x) = 1; kappa(g,y) = kappa(x,y): po 3/4, pe .5*.25 + .5*.75 = .5 -> 0.5; mean = 2/3
    assert result.kappa == pytest.approx(2 / 3)
    # percent agreement: 1, 3/4, 3/4 -> 5/6
    assert result.percent_agreement == pytest.approx(5 / 6)
    # alpha: (1,1,1) -> o11 += 3; (1,1,0) -> o11 += 1, o01 = o10 = 1; (0,0,0) x2 -> o00 = 6
    # n1 = 5, n0 = 7, n = 12 -> 1 - 11 * 2 / (144 - 25 - 49) = 1 - 22/70
    assert result.alpha == pytest.approx(1 - 22 / 70)
    # x vs g: f1 1; y vs g: precision 1, recall 1/2, f1 2/3 -> means; counts summed over x and y
    assert result.f1 == pytest.approx(5 / 6)
    assert (result.precision, result.recall) == pytest.approx((1.0, 0.75))
    assert result.counts == {"tp": 3, "fp": 0, "fn": 1, "tn": 4}
    assert result.support == 2


def test_disagreements_list_who_applied_each_contested_code() -> None:
    found = disagreements(UNITS, {"gold": GOLD, "pred": PRED}, CODES)
    assert [(d.unit, d.code, d.applied_by, d.not_applied_by) for d in found] == [
        ("t2", "B", ["gold"], ["pred"]),
        ("t3", "B", ["pred"], ["gold"]),
    ]


def test_report_rejects_unusable_input_with_a_hint() -> None:
    with pytest.raises(AgreementDataError, match="at least two coders"):
        agreement_report(UNITS, {"gold": GOLD}, CODES, unit="turn")
    with pytest.raises(AgreementDataError, match="reference coder 'model'"):
        agreement_report(UNITS, {"gold": GOLD, "pred": PRED}, CODES, unit="turn", reference="model")
    with pytest.raises(AgreementDataError, match="listed twice"):
        agreement_report(["t1", "t1"], {"gold": GOLD, "pred": PRED}, CODES, unit="turn")
    with pytest.raises(AgreementDataError, match="type included"):
        agreement_report([1, 2, 3, 4], {"gold": GOLD, "pred": PRED}, CODES, unit="turn")
    with pytest.raises(AgreementDataError, match="instead of a set of codes"):
        agreement_report(UNITS, {"gold": {"t1": "A"}, "pred": PRED}, CODES, unit="turn")
