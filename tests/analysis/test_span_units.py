"""A coding across turns counts in every turn it reaches and on every excerpt it covers, in analysis and agreement
alike; the export row of such a span ends when its last turn ends."""

from __future__ import annotations

from coding.analysis.data import load_analysis
from coding.analysis.units import memberships, unit_table
from coding.codings.spans import code_span
from coding.export.rows import coded_excerpt_rows
from coding.store import documents as doc_store
from coding.units import coder_unit_codes


def _code_across(store, coder: str, document: str, first: str, last: str, code: str) -> None:
    text = doc_store.get_document(store, document).text
    start = text.index(first)
    code_span(store, coder, document, start, text.index(last, start) + len(last), code)


def test_a_span_across_turns_places_its_code_on_each_turn_it_reaches(study):
    # R3: from the respondent's turn 2 through the interviewer's turn 3 into the respondent's turn 4.
    _code_across(study, "cleo", "R3", "We only started", "Teachers say", "COST")
    data = load_analysis(study, coders="cleo")
    turns = memberships(data, "turn")
    assert sorted(turns["unit_id"]) == ["R3:2", "R3:3", "R3:4"]
    assert "R3:3" in set(unit_table(data, "turn")["unit_id"])  # the interviewer turn it reaches is at risk too
    excerpts = memberships(data, "excerpt")
    assert sorted(excerpts["unit_id"]) == ["R3:2:1"]  # R3:4:1 is covered by less than half: not carried
    assert coder_unit_codes(study, ["cleo"], "turn")["cleo"] == {("R3", 2): {"COST"}, ("R3", 3): {"COST"},
                                                                 ("R3", 4): {"COST"}}
    assert coder_unit_codes(study, ["cleo"], "excerpt")["cleo"] == {"R3:2:1": {"COST"}}


def test_a_span_covering_most_of_a_later_turns_excerpt_carries_that_excerpt_in_agreement(study):
    _code_across(study, "cleo", "R3", "spring.", "goes faster now.", "TIME")
    assert coder_unit_codes(study, ["cleo"], "excerpt")["cleo"] == {"R3:4:1": {"TIME"}}
    data = load_analysis(study, coders="cleo")
    assert sorted(memberships(data, "excerpt")["unit_id"]) == ["R3:4:1"]


def test_the_export_row_of_a_span_across_turns_ends_with_its_last_turn(study):
    _code_across(study, "cleo", "R1", "Families cannot", "Anything else?", "COST")
    data = load_analysis(study, coders="cleo")
    # The study's transcripts carry start times only: give R1's turns end times, as captions would.
    timed = [t.model_copy(update={"end_time": float(t.number * 60)}) if t.document == "R1" else t for t in data.turns]
    [row] = coded_excerpt_rows(data.model_copy(update={"turns": timed}))
    assert (row.turn, row.speaker, row.start_time, row.end_time) == (2, "Dr. Maria Alvarez", "00:00:12", "00:03:00")
    assert row.text == "Families cannot pay for devices.\n\nInterviewer: Anything else?"
