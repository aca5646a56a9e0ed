"""The DOCX quote bank, read back paragraph by paragraph."""

from __future__ import annotations

import io

import docx
import pytest

from coding.errors import QcodeError
from coding.export.citation import citation_template, format_citation
from coding.export.formats import ExportOptions, export_bytes


def _paragraphs(data: bytes) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_quote_bank_groups_quotes_by_code_in_codebook_order_with_definitions_and_attributions(study):
    paragraphs = _paragraphs(export_bytes(study, "docx", ExportOptions(coders=("ana",), citation="district")))
    assert paragraphs[0] == ("Title", "Quote bank: Tiny study")
    assert paragraphs[1][1].startswith("9 codings from 5 documents (ana; all sources).")
    assert paragraphs[2:16] == [
        ("Heading 1", "Concerns (CONCERNS)"),
        ("Normal", "Parent of the risks."),
        ("Normal", "No coded quotes."),
        ("Heading 2", "Equity and access (EQUITY)"),
        ("Normal", "Unequal access to AI."),
        ("Quote", "Our rural schools have thin broadband. Families cannot pay for devices."),
        ("Normal", "— Superintendent, rural district, Midwest; R1, turn 2"),
        ("Quote", "Some students still lack access at home."),
        ("Normal", "— Superintendent, rural district, Midwest; R1, turn 4"),
        ("Quote", "Access is uneven across our villages. The budget is tight too."),
        ("Normal", "— Principal, rural district, Midwest; R2, turn 2"),
        ("Quote", "Some neighbourhoods still have no laptops. Like Maria Alvarez said, access matters."),
        ("Normal", "— Superintendent, urban district; U2, turn 2"),  # U2 has no region: left out cleanly
        ("Heading 2", "Cost (COST)"),
    ]
    headings = [text for style, text in paragraphs if style.startswith("Heading")]
    assert headings == ["Concerns (CONCERNS)", "Equity and access (EQUITY)", "Cost (COST)",
                        "Opportunities (OPPS)", "Time savings (TIME)"]


def test_a_span_coded_by_two_coders_is_quoted_once(study):
    paragraphs = _paragraphs(export_bytes(study, "docx"))
    equity = paragraphs[paragraphs.index(("Heading 2", "Equity and access (EQUITY)")):
                        paragraphs.index(("Heading 2", "Cost (COST)"))]
    quotes = [text for style, text in equity if style == "Quote"]
    assert len(quotes) == len(set(quotes)) == 4


def test_citation_template_over_attributes_and_speaker(study):
    paragraphs = _paragraphs(export_bytes(study, "docx", ExportOptions(
        citation="{speaker} ({role}, {enrollment} students); {document} at {start_time}")))
    assert "— Dr. Maria Alvarez (Superintendent, 1200 students); R1 at 00:00:12" in [t for _, t in paragraphs]
    default = _paragraphs(export_bytes(study, "docx"))
    assert "— rural, Superintendent, Midwest; R1, turn 2" in [t for _, t in default]


def test_unknown_citation_field_is_a_clean_error_listing_fields(study):
    with pytest.raises(QcodeError, match=r"'\{county\}' is not a field or document attribute.*district_type"):
        export_bytes(study, "docx", ExportOptions(citation="{county}; {document}"))


def test_missing_fields_vanish_with_their_words():
    template = citation_template("district", ["role", "district_type", "region"])
    fields = {"role": "Principal", "district_type": None, "region": "West", "document": "D07", "turn": 12}
    assert format_citation(template, fields) == "Principal, West; D07, turn 12"


def _selection(study, *places: tuple[str, int, str, str]) -> tuple[int, ...]:
    """Decision ids of the codings at (document, turn, code, coder)."""
    from coding.store.codings import current_codings

    found = {(c.document, c.turn, c.code, c.coder): c.decision_id for c in current_codings(study)}
    return tuple(found[place] for place in places)


def test_quote_bank_of_a_selection_holds_exactly_those_quotes_under_their_codes(study):
    chosen = _selection(study, ("R1", 4, "EQUITY", "ana"), ("U1", 2, "COST", "ana"))
    paragraphs = _paragraphs(export_bytes(study, "docx", ExportOptions(decision_ids=chosen)))
    assert paragraphs[1][1].startswith("2 codings from 2 documents")
    assert [t for s, t in paragraphs if s == "Quote"] == [
        "Some students still lack access at home.", "The licences cost more than we planned. The price keeps rising."]
    # only the codes it quotes, in codebook order
    assert [t for s, t in paragraphs if s.startswith("Heading")] == ["Equity and access (EQUITY)", "Cost (COST)"]
    assert ("Normal", "No coded quotes.") not in paragraphs


def test_selection_restricts_the_other_formats_too(study):
    chosen = _selection(study, ("R1", 2, "EQUITY", "ben"), ("R2", 2, "COST", "ben"))
    lines = export_bytes(study, "csv", ExportOptions(decision_ids=chosen)).decode("utf-8-sig").splitlines()
    assert len(lines) == 3
    assert all(",ben," in line for line in lines[1:])


def test_an_empty_or_stale_selection_is_a_clean_error(study):
    with pytest.raises(QcodeError, match="no codings selected"):
        export_bytes(study, "docx", ExportOptions(decision_ids=()))
    with pytest.raises(QcodeError, match="no current coding has decision id 9999"):
        export_bytes(study, "docx", ExportOptions(decision_ids=(9999,)))
    # a coding the coder filter leaves out is not silently dropped from the selection either
    chosen = _selection(study, ("R1", 2, "EQUITY", "ben"))
    with pytest.raises(QcodeError, match=f"decision id {chosen[0]}"):
        export_bytes(study, "docx", ExportOptions(coders=("ana",), decision_ids=chosen))
