"""Analysis and Export: hosts for the analysis tables and charts and for the export downloads."""

from __future__ import annotations

import pytest

from coding.review import code_excerpt
from tests.app.conftest import read_project


@pytest.fixture
def coded(project):
    """Two coders who coded the same turns of S01, agreeing on one code and not on another."""
    with read_project(project[0]) as store:
        for coder in ("ana", "ben"):
            code_excerpt(store, coder, "S01:4:1", "TIME_SAVINGS")
        code_excerpt(store, "ana", "S01:6:1", "TRAINING")
        code_excerpt(store, "ben", "S01:6:1", "POLICY")
    return project


def test_analysis_shows_frequencies_and_agreement_for_the_chosen_coders(open_app, coded):
    at = open_app("analysis")
    frequencies = at.dataframe[0].value
    row = frequencies[frequencies["code"] == "TIME_SAVINGS"].iloc[0]
    assert row["documents"] == 1
    at.multiselect(key="an_coders").select("ana").select("ben").run()
    assert not at.exception
    agreement = [d.value for d in at.dataframe if "alpha" in d.value.columns]
    assert agreement and set(agreement[0]["code"]) >= {"TIME_SAVINGS"}


def test_analysis_without_codings_says_so(open_app):
    at = open_app("analysis")
    assert any("No codings yet" in i.value for i in at.info)


def test_export_prepares_a_csv_of_the_coded_excerpts(open_app, coded):
    at = open_app("export")
    at.multiselect(key="ex_coders").select("ana").run()
    at.button(key="ex_prepare").click().run()
    fmt, data = at.session_state["ex_file"]
    text = data.decode("utf-8-sig")
    assert fmt == "csv" and "TRAINING" in text and "POLICY" not in text
    assert "I'm the assistant superintendent" in text
    assert at.get("download_button")


def test_cooccurrence_tables_carry_row_labels_and_say_what_they_count(open_app, coded):
    at = open_app("analysis")
    assert any(c.value.startswith("Counts: excerpts that carry both codes") for c in at.caption)
    matrix = next(d.value for d in at.dataframe if list(d.value.columns[:1]) == ["code"]
                  and "TRAINING" in d.value.columns)
    assert "TRAINING" in list(matrix["code"])  # each row names its code
    assert matrix.set_index("code").at["TRAINING", "POLICY"] == 1
    at.radio(key="an_cooccurrence_measure").set_value("jaccard").run()
    assert any(c.value.startswith("Jaccard overlap") for c in at.caption)
    jaccard = next(d.value for d in at.dataframe if list(d.value.columns[:1]) == ["code"]
                   and "TRAINING" in d.value.columns).set_index("code")
    assert 0 < jaccard.at["TRAINING", "POLICY"] <= 1
