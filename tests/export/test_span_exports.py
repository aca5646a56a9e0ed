"""Span codings (any selection: across turns, in an interviewer turn) in the exports: the quote is the exact text,
and a QDPX round trip gives back the identical (document, start, end, code, coder), in a schema-valid file."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from docx import Document as DocxDocument
from lxml import etree

from coding.codings.spans import code_span
from coding.export.formats import export_bytes
from coding.project_codebook import save_version
from coding.refi.qdpx_import import import_qdpx
from coding.store import ProjectStore, open_project
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from tests.analysis.builder import CODEBOOK
from tests.conftest import REFI_QDA

XSD = REFI_QDA / "Project-mrt2019.xsd"


def _span(store: ProjectStore, document: str, first: str, last: str) -> tuple[int, int]:
    text = doc_store.get_document(store, document).text
    start = text.index(first)
    return start, text.index(last, start) + len(last)


def _spans(store: ProjectStore) -> dict[str, tuple[int, int]]:
    """A cross-turn span (respondent into interviewer), one inside an interviewer turn, one across three turns."""
    spans = {"across": _span(store, "R1", "Families cannot", "Anything else?"),
             "interviewer": _span(store, "R2", "How are things", "going?"),
             "three": _span(store, "U1", "The price keeps", "You're welcome.")}
    code_span(store, "ana", "R1", *spans["across"], "COST")
    code_span(store, "ben", "R2", *spans["interviewer"], "EQUITY")
    code_span(store, "ana", "U1", *spans["three"], "TIME")
    return spans


def test_a_qdpx_round_trip_keeps_span_codings_exactly(study, tmp_path):
    spans = _spans(study)
    path = tmp_path / "spans.qdpx"
    path.write_bytes(export_bytes(study, "qdpx"))
    with open_project(tmp_path / "fresh.duckdb", create=True) as fresh:
        save_version(fresh, CODEBOOK)
        report = import_qdpx(fresh, path)
        assert report.problems == [] and sum(report.refused.values()) == 0
        exported = {(c.document, c.start, c.end, c.turn, c.code, c.coder, c.text)
                    for c in coding_store.current_codings(study)}
        imported = {(c.document, c.start, c.end, c.turn, c.code, c.coder, c.text)
                    for c in coding_store.current_codings(fresh)}
        assert imported == exported  # every coding, the span codings among them, once each
        for name, (start, end) in spans.items():
            document = {"across": "R1", "interviewer": "R2", "three": "U1"}[name]
            [found] = [c for c in coding_store.current_codings(fresh, document=document)
                       if (c.start, c.end) == (start, end)]
            assert found.text == doc_store.get_document(study, document).text[start:end]
        first_turns = {(c.document, c.start): c.turn for c in coding_store.current_codings(fresh)}
        assert first_turns[("R1", spans["across"][0])] == 2
        assert first_turns[("R2", spans["interviewer"][0])] == 1
        assert first_turns[("U1", spans["three"][0])] == 2


def test_span_selections_in_the_qdpx_select_their_text_and_the_file_validates(study):
    if not XSD.exists():
        pytest.skip("../shared/refi-qda/Project-mrt2019.xsd is not present")
    spans = _spans(study)
    with zipfile.ZipFile(io.BytesIO(export_bytes(study, "qdpx"))) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("sources/")}
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(root), schema.error_log
    ns = {"q": "urn:QDA-XML:project:1.0"}
    found = {}
    for source in root.findall(".//q:TextSource", ns):
        text = texts[f"sources/{source.get('guid')}.txt"]
        for selection in source.findall("q:PlainTextSelection", ns):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            found[(source.get("name"), start, end)] = text[start:end]
    for document, name in (("R1", "across"), ("R2", "interviewer"), ("U1", "three")):
        start, end = spans[name]
        assert found[(document, start, end)] == doc_store.get_document(study, document).text[start:end]


def test_csv_and_quote_bank_quote_a_cross_turn_span_in_full(study):
    spans = _spans(study)
    start, end = spans["across"]
    quote = doc_store.get_document(study, "R1").text[start:end]
    assert quote == "Families cannot pay for devices.\n\nInterviewer: Anything else?"
    rows = list(csv.DictReader(io.StringIO(export_bytes(study, "csv").decode("utf-8-sig"))))
    [row] = [r for r in rows if r["document"] == "R1" and int(r["start"]) == start and int(r["end"]) == end]
    assert (row["text"], row["turn"], row["code"], row["coder"]) == (quote, "2", "COST", "ana")
    assert (row["speaker"], row["start_time"]) == ("Dr. Maria Alvarez", "00:00:12")  # where it starts
    document = DocxDocument(io.BytesIO(export_bytes(study, "docx")))
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert quote in quotes
