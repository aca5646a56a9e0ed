"""Every quote of a code (the code page's retrieval list), checked against the codings and documents it comes from."""

from __future__ import annotations

import pytest

from coding.analysis.quotes import code_quotes, quote_context
from coding.errors import NotFound, QcodeError
from coding.store import codings as coding_store
from coding.store import documents as doc_store


def _ids(rows) -> set[int]:
    return {row.decision_id for row in rows}


def test_every_coding_of_the_code_is_a_quote_with_its_text_speaker_and_attributes(study):
    quotes = code_quotes(study, "EQUITY")
    expected = [c for c in coding_store.current_codings(study) if c.code == "EQUITY"]
    assert _ids(quotes.rows) == {c.decision_id for c in expected}
    assert quotes.total == len(quotes.rows) == 6
    assert quotes.code_name == "Equity and access" and quotes.codes == ["EQUITY"]
    assert quotes.coders == ["ana", "ben"]
    attributes = doc_store.document_attributes(study)
    for row in quotes.rows:
        document = doc_store.get_document(study, row.document)
        assert row.text == document.text[row.start:row.end]
        turn = doc_store.get_turns(study, row.document)[row.turn - 1]
        assert row.speaker == turn.speaker
        assert row.attributes == attributes[row.document]
    assert {(r.document, r.turn, r.coder) for r in quotes.rows} == {
        ("R1", 2, "ana"), ("R1", 4, "ana"), ("R2", 2, "ana"), ("U2", 2, "ana"), ("R1", 2, "ben"), ("R1", 4, "ben")}
    # U2's excerpt, not its whole turn: the quote is the excerpt's own text
    u2 = next(r for r in quotes.rows if r.document == "U2")
    assert u2.text == "Some neighbourhoods still have no laptops. Like Maria Alvarez said, access matters."


def test_a_parent_code_rolls_up_its_children_only_when_asked(study):
    assert code_quotes(study, "CONCERNS").rows == []
    rolled = code_quotes(study, "CONCERNS", include_children=True)
    assert rolled.codes == ["CONCERNS", "EQUITY", "COST"]
    expected = {c.decision_id for c in coding_store.current_codings(study) if c.code in ("EQUITY", "COST")}
    assert _ids(rolled.rows) == expected and len(expected) == 9
    assert {r.code for r in rolled.rows} == {"EQUITY", "COST"}


def test_filters_by_coder_and_attribute_values_and_combine(study):
    ben = code_quotes(study, "EQUITY", coders=["ben"])
    assert {r.coder for r in ben.rows} == {"ben"} and len(ben.rows) == 2
    assert ben.total == 6 and ben.coders == ["ana", "ben"]  # what the coder filter can choose from stays whole
    urban = code_quotes(study, "EQUITY", attributes={"district_type": ["urban"]})
    assert [(r.document, r.coder) for r in urban.rows] == [("U2", "ana")]
    assert code_quotes(study, "EQUITY", coders=["ben"], attributes={"district_type": ["urban"]}).rows == []
    principal = code_quotes(study, "EQUITY", attributes={"role": ["Principal"], "district_type": ["rural"]})
    assert [r.document for r in principal.rows] == ["R2"]
    # an attribute with no values chosen filters nothing
    assert len(code_quotes(study, "EQUITY", attributes={"role": []}).rows) == 6
    assert code_quotes(study, "EQUITY").attribute_values["district_type"] == ["rural", "urban"]


def test_sorts_by_document_coder_length_and_numeric_attribute(study):
    by_document = code_quotes(study, "EQUITY").rows
    assert [(r.document, r.start) for r in by_document] == sorted((r.document, r.start) for r in by_document)
    by_coder = code_quotes(study, "EQUITY", sort="coder").rows
    assert [r.coder for r in by_coder] == ["ana"] * 4 + ["ben"] * 2
    by_length = code_quotes(study, "EQUITY", sort="length").rows
    assert [len(r.text) for r in by_length] == sorted((len(r.text) for r in by_length), reverse=True)
    by_enrollment = code_quotes(study, "EQUITY", sort="attribute:enrollment").rows
    # numbers in numeric order (800 < 1200 < 120000), not as text ("120000" < "800")
    assert [r.document for r in by_enrollment] == ["R2", "R1", "R1", "R1", "R1", "U2"]


def test_unknown_code_sort_or_attribute_is_one_clean_error(study):
    with pytest.raises(NotFound, match="no code 'NOPE'"):
        code_quotes(study, "NOPE")
    with pytest.raises(QcodeError, match="cannot sort quotes by 'colour'") as sort_error:
        code_quotes(study, "EQUITY", sort="colour")
    assert "attribute:enrollment" in str(sort_error.value)
    with pytest.raises(QcodeError, match="no attribute 'size'"):
        code_quotes(study, "EQUITY", attributes={"size": ["big"]})


def test_context_is_the_turn_with_its_neighbours(study):
    turns = quote_context(study, "R1", 2)
    assert [t.number for t in turns] == [1, 2, 3]
    assert turns[1].text == "Our rural schools have thin broadband. Families cannot pay for devices."
    assert [t.number for t in quote_context(study, "R1", 1)] == [1, 2]
    with pytest.raises(NotFound, match="R1 has no turn 40"):
        quote_context(study, "R1", 40)
