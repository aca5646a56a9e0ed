"""Code frequencies on the tiny study (tests/analysis/builder.py), whose answers are worked out by hand."""

from __future__ import annotations

import pytest

from coding.analysis import (
    by_attribute_table,
    code_frequencies,
    frequencies_by_attribute,
    frequency_sentence,
    load_analysis,
    memberships,
    unit_table,
)
from coding.errors import QcodeError


def _rows(frame, columns):
    return {row["code"]: tuple(row[c] for c in columns) for _, row in frame.iterrows()}


def test_frequencies_count_codings_excerpts_turns_and_documents_with_parents_rolled_up(study):
    table = code_frequencies(load_analysis(study, coders="ana"))
    assert list(table["code"]) == ["CONCERNS", "EQUITY", "COST", "OPPS", "TIME"]  # codebook order
    assert _rows(table, ["codings", "excerpts", "turns", "documents", "documents_total"]) == {
        "CONCERNS": (6, 5, 5, 4, 5),
        "EQUITY": (4, 4, 4, 3, 5),
        "COST": (2, 2, 2, 2, 5),
        "OPPS": (3, 3, 3, 3, 5),
        "TIME": (3, 3, 3, 3, 5),
    }
    assert table.set_index("code").at["EQUITY", "documents_pct"] == 60.0
    assert table.set_index("code").at["TIME", "path"] == "OPPS/TIME"


def test_without_rollup_a_parent_counts_only_its_own_codings(study):
    table = code_frequencies(load_analysis(study, coders="ana"), rollup=False)
    assert _rows(table, ["codings", "excerpts", "turns", "documents"])["CONCERNS"] == (0, 0, 0, 0)
    assert _rows(table, ["codings", "excerpts", "turns", "documents"])["EQUITY"] == (4, 4, 4, 3)


def test_a_short_quote_marks_its_turn_but_not_an_excerpt_it_covers_less_than_half_of(study):
    data = load_analysis(study, coders="ana")
    time_turns = set(memberships(data, "turn").query("code == 'TIME'")["unit_id"])
    time_excerpts = set(memberships(data, "excerpt").query("code == 'TIME'")["unit_id"])
    assert time_turns == {"R1:2", "R3:4", "U2:2"}
    assert time_excerpts == {"R3:4:1", "U2:2:1", "U2:2:2"}  # the whole-turn coding covers both U2 excerpts


def test_an_excerpt_coding_marks_only_that_excerpt_but_the_whole_turn(study):
    data = load_analysis(study, coders="ana")
    equity = memberships(data, "excerpt").query("code == 'EQUITY' and document == 'U2'")
    assert list(equity["unit_id"]) == ["U2:2:1"]
    assert "U2:2" in set(memberships(data, "turn").query("code == 'EQUITY'")["unit_id"])


def test_by_attribute_gives_n_of_N_cases_per_group(study):
    long = frequencies_by_attribute(load_analysis(study, coders="ana"), "district_type")
    equity = long[long["code"] == "EQUITY"].set_index("value")
    assert (equity.at["rural", "n"], equity.at["rural", "total"], equity.at["rural", "label"]) == (2, 3, "2 of 3 (67%)")
    assert (equity.at["urban", "n"], equity.at["urban", "total"], equity.at["urban", "label"]) == (1, 2, "1 of 2 (50%)")
    assert frequency_sentence(long, "EQUITY") == (
        "EQUITY: raised by 2 of 3 rural cases (67%) vs 1 of 2 urban cases (50%)")
    wide = by_attribute_table(long)
    assert list(wide.columns) == ["code", "name", "rural", "urban"]
    assert wide.set_index("code").at["CONCERNS", "urban"] == "2 of 2 (100%)"


def test_by_attribute_with_turns_counts_against_the_groups_respondent_turns(study):
    long = frequencies_by_attribute(load_analysis(study, coders="ana"), "district_type", unit="turn")
    equity = long[long["code"] == "EQUITY"].set_index("value")
    assert (equity.at["rural", "n"], equity.at["rural", "total"]) == (3, 6)
    assert (equity.at["urban", "n"], equity.at["urban", "total"]) == (1, 4)


def test_documents_without_a_value_form_a_missing_group_listed_last(study):
    long = frequencies_by_attribute(load_analysis(study, coders="ana"), "region")
    assert list(dict.fromkeys(long["value"])) == ["Midwest", "West", "(missing)"]
    equity = long[long["code"] == "EQUITY"].set_index("value")
    assert equity.at["(missing)", "label"] == "1 of 1 (100%)"


def test_unknown_attribute_is_a_clean_error_listing_the_attributes(study):
    with pytest.raises(QcodeError, match="district_type, role, region, enrollment"):
        frequencies_by_attribute(load_analysis(study), "county")


def test_default_counts_every_coder_and_filters_choose_coder_and_source(study):
    everyone = code_frequencies(load_analysis(study)).set_index("code")
    assert everyone.at["COST", "turns"] == 3  # ana's R1:2 and U1:2, ben's R2:2
    human = code_frequencies(load_analysis(study, coders="ana", sources=["human"])).set_index("code")
    assert human.at["COST", "turns"] == 1  # U1:2 was an accepted suggestion
    ben = code_frequencies(load_analysis(study, coders=["ben"])).set_index("code")
    assert (ben.at["EQUITY", "turns"], ben.at["COST", "documents"]) == (2, 1)


def test_unknown_coder_or_source_is_reported(study):
    with pytest.raises(QcodeError, match="coders are: ana, ben"):
        load_analysis(study, coders="zoe")
    with pytest.raises(QcodeError, match="unknown coding source 'robot'"):
        load_analysis(study, sources=["robot"])


def test_turn_units_at_risk_are_respondent_turns_plus_coded_ones(study):
    units = unit_table(load_analysis(study), "turn")
    assert len(units) == 10
    assert set(units["role"]) == {"respondent"}
    assert units.set_index("unit_id").at["R1:2", "speaker"] == "Dr. Maria Alvarez"
