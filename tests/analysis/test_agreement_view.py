"""The agreement view: common documents, kappa/alpha with intervals, and the disagreements side by side."""

from __future__ import annotations

import pytest

from coding.analysis import agreement_table, agreement_view, disagreements_frame, load_analysis, side_by_side
from coding.errors import QcodeError


def test_agreement_compares_respondent_turns_of_the_documents_both_coders_coded(study):
    view = agreement_view(load_analysis(study), n_boot=100)
    assert view.coders == ["ana", "ben"]
    assert view.documents == ["R1", "R2"]  # ben never coded R3, U1, U2
    assert view.n_units == 4  # R1:2, R1:4, R2:2, R2:4
    assert view.codes == ["EQUITY", "COST", "TIME"]


def test_per_code_kappa_matches_the_hand_computed_value(study):
    table = agreement_table(agreement_view(load_analysis(study), n_boot=100)).set_index("code")
    # EQUITY: ana [1,1,1,0], ben [1,1,0,0]: po = .75, pe = .5, kappa = .5
    assert table.at["EQUITY", "kappa"] == pytest.approx(0.5)
    assert table.at["EQUITY", "percent_agreement"] == pytest.approx(0.75)
    assert table.at["EQUITY", "support"] == 3
    for code in table.index:
        assert table.at[code, "alpha_low"] <= table.at[code, "alpha"] + 1e-9
        assert table.at[code, "alpha"] <= table.at[code, "alpha_high"] + 1e-9


def test_bootstrap_interval_is_reproducible_with_a_seed(study):
    data = load_analysis(study)
    first = agreement_view(data, n_boot=200, seed=7)
    again = agreement_view(data, n_boot=200, seed=7)
    assert first.overall_alpha_ci == again.overall_alpha_ci
    assert first.overall_alpha_ci.low <= first.report.overall_alpha <= first.overall_alpha_ci.high


def test_disagreements_list_each_unit_and_code_with_who_applied_it(study):
    view = agreement_view(load_analysis(study), n_boot=100)
    frame = disagreements_frame(view)
    assert [(r.unit_id, r.code, r.applied_by, r.not_applied_by) for r in frame.itertuples()] == [
        ("R1:2", "COST", "ana", "ben"),
        ("R1:2", "TIME", "ana", "ben"),
        ("R2:2", "EQUITY", "ana", "ben"),
        ("R2:2", "COST", "ben", "ana"),
    ]
    assert frame.iloc[0]["text"].startswith("Our rural schools have thin broadband.")


def test_side_by_side_shows_each_coders_codes_for_a_disputed_unit(study):
    frame = side_by_side(agreement_view(load_analysis(study), n_boot=100)).set_index("unit_id")
    assert list(frame.index) == ["R1:2", "R2:2"]
    assert (frame.at["R1:2", "ana"], frame.at["R1:2", "ben"]) == ("EQUITY, COST, TIME", "EQUITY")
    assert (frame.at["R2:2", "ana"], frame.at["R2:2", "ben"], frame.at["R2:2", "disputed"]) == (
        "EQUITY", "COST", "EQUITY, COST")


def test_the_reference_coder_comes_first(study):
    view = agreement_view(load_analysis(study), reference="ben", n_boot=100)
    assert view.coders == ["ben", "ana"]
    assert view.report.codes["EQUITY"].support == 2


def test_agreement_needs_two_coders_with_codings(study):
    with pytest.raises(QcodeError, match="agreement needs two coders"):
        agreement_view(load_analysis(study, coders="ana"))
    with pytest.raises(QcodeError, match="no codings by zoe"):
        agreement_view(load_analysis(study), coders=["ana", "zoe"])
