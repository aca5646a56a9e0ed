"""REFI-QDA exchange with other programs' habits: positions counted in UTF-16 units (NVivo) or with a CR LF line end
as one (ATLAS.ti, MAXQDA, QualCoder's option), sources that are not speaker turns, and qcode reading its own export
back exactly (turns, speakers, code ids) even where speakers are lower-case names or e-mail addresses."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from coding.codebook import Code, Codebook, code_guid
from coding.export.formats import ExportOptions, export_bytes
from coding.codings.import_codings import import_codings
from coding.models import (
    Decision,
    DecisionAction,
    Document,
    ParsedTranscript,
    ParsedTurn,
    SegmenterSettings,
    Span,
)
from coding.project_codebook import read_codebook_file, require_codebook, save_version
from coding.readers.labels import SpeakerRoles
from coding.refi.positions import PositionConverter, PositionReading, detect_reading
from coding.refi.qdpx_import import REFUSED_EMPTY, REFUSED_OUTSIDE, import_qdpx
from coding.refi.structure import STRUCTURE_MEMBER
from coding.transcripts.segment import segment_turns
from coding.store import ProjectStore, open_project
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store.memos import current_memos
from coding.transcripts.render import render_transcript
from pipelines.ingest import ingest_paths
from tests.conftest import corpus_dev_or_skip
from tests.export.qdpx_files import CODE_CHILD, CODE_PARENT, codebook, project, text_source, users, write_qdpx

NS = {"q": "urn:QDA-XML:project:1.0"}
# Speakers the label reader does not recognise as names, an emoji (two UTF-16 units) before coded text, and a
# turn of two paragraphs: the cases where a re-parse or a character count goes wrong.
TURNS = [
    ("Interviewer", "What do you teach? 🙂 Tell me about it."),
    ("ana", "Languages mostly 😀😀. Spanish and French.\nSome German too."),
    ("ben.ortiz@school.org", "I run the 🤖 robotics club. We use laptops every day."),
    ("Interviewer", "And the network?"),
    ("ana", "Patchy 📶 at best. It drops every afternoon."),
]
CODEBOOK = Codebook(name="Teaching", codes=(
    Code(id="LANG", name="Languages", definition="Which languages.", include=("any language named",),
         examples=("Spanish and French.",)),
    Code(id="TECH", name="Technology"),
    Code(id="NET", name="Network trouble", parent="TECH", exclude=("devices (TECH)",), counterexamples=("fine",)),
))


def _build(path: Path) -> ProjectStore:
    store = open_project(path, create=True)
    parsed = ParsedTranscript(turns=[ParsedTurn(speaker=s, text=t, source_line=i) for i, (s, t) in enumerate(TURNS, 1)],
                              title="Teacher interview 🙂")
    text, turns = render_transcript("T1", parsed, SpeakerRoles(extra=["ben.ortiz@school.org"]))
    document = Document(name="T1", source_path="T1.txt", format="txt", title=parsed.title,
                        content_hash=hashlib.sha256(text.encode()).hexdigest(), text=text,
                        attributes={"school": "Lincoln 🙂", "years": 7})
    settings = SegmenterSettings()
    doc_store.save_document(store, document, turns, segment_turns(turns, settings), settings)
    save_version(store, CODEBOOK)
    quotes = [("ana", "LANG", "Spanish and French.\nSome German"), ("ana", "TECH", "🤖 robotics club"),
              ("ben", "NET", "📶 at best. It drops"), ("ben", "LANG", "Languages mostly 😀😀.")]
    decisions = []
    for coder, code, quote in quotes:
        start = text.index(quote)
        turn = next(t for t in turns if t.start <= start < t.end)
        decisions.append(Decision(coder=coder, action=DecisionAction.code, code=code,
                                  span=Span(document="T1", start=start, end=start + len(quote), turn=turn.number)))
    coding_store.record(store, decisions)
    return store


@pytest.fixture
def teaching(tmp_path):
    store = _build(tmp_path / "teaching.duckdb")
    yield store
    store.close()


@pytest.fixture
def fresh(tmp_path):
    store = open_project(tmp_path / "fresh.duckdb", create=True)
    yield store
    store.close()


def _coded_texts(store: ProjectStore) -> set[tuple]:
    return {(c.document, c.text, c.code, c.coder) for c in coding_store.current_codings(store)}


def _turns(store: ProjectStore) -> list[tuple]:
    return [(t.document, t.number, t.speaker, t.role, t.start, t.end, t.text) for t in doc_store.all_turns(store)]


def _as_other_program(data: bytes, reading: PositionReading, crlf: bool, origin: str | None) -> bytes:
    """qcode's export rewritten the way another program writes it: no qcode structure, CR LF line ends if `crlf`,
    positions counted in `reading`, the Project's origin replaced (or removed)."""
    source_in = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(source_in.read("project.qde"))
    if origin is None:
        root.attrib.pop("origin", None)
    else:
        root.set("origin", origin)
    files: dict[str, bytes] = {}
    for source in root.iterfind(".//q:TextSource", NS):
        member = f"sources/{source.get('guid')}.txt"
        text = source_in.read(member).decode("utf-8")
        written = text.replace("\n", "\r\n") if crlf else text
        converter = PositionConverter(written, reading)
        for selection in source.iterfind("q:PlainTextSelection", NS):
            for attribute in ("startPosition", "endPosition"):
                index = int(selection.get(attribute))
                moved = index + text.count("\n", 0, index) if crlf else index  # the same place in the CR LF text
                selection.set(attribute, str(converter.units_before(moved)))
            selection.set("name", "")  # as NVivo writes it: no hint from the selected text
        files[member] = written.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("project.qde", etree.tostring(root, xml_declaration=True, encoding="utf-8"))
        for member, content in files.items():
            archive.writestr(member, content)
    return out.getvalue()


def test_qcode_reads_its_own_export_back_exactly(teaching, fresh, tmp_path):
    path = tmp_path / "teaching.qdpx"
    path.write_bytes(export_bytes(teaching, "qdpx"))
    report = import_qdpx(fresh, path)
    assert report.structure_kept == ["T1"]
    assert (report.placed, report.converted, report.refused) == (4, 0, {})
    assert _turns(fresh) == _turns(teaching)  # "ana" and the e-mail address stay speakers, with their roles
    document, original = doc_store.get_document(fresh, "T1"), doc_store.get_document(teaching, "T1")
    assert (document.text, document.title, document.attributes) == (original.text, original.title,
                                                                     original.attributes)
    codes = require_codebook(fresh)[1].codes  # LANG stays LANG; rules and examples come back
    assert [c.model_copy(update={"guid": None}) for c in codes] == list(CODEBOOK.codes)
    assert [c.guid for c in codes] == [code_guid(c) for c in CODEBOOK.codes]  # the GUIDs it went out with
    assert {(c.document, c.start, c.end, c.turn, c.code, c.coder) for c in coding_store.current_codings(fresh)} == \
        {(c.document, c.start, c.end, c.turn, c.code, c.coder) for c in coding_store.current_codings(teaching)}


@pytest.mark.parametrize(("reading", "crlf", "origin", "unit"), [
    (PositionReading(utf16=True), True, "NVivo for Windows 12.6", "UTF-16 code units"),
    (PositionReading(utf16=True), False, None, "UTF-16 code units"),
    (PositionReading(crlf_as_one=True), True, "QualCoder 3.6", "characters, a CR LF line end counted as one"),
    (PositionReading(utf16=True, crlf_as_one=True), True, "ATLAS.ti", "UTF-16 code units, a CR LF line end "
                                                                      "counted as one"),
    (PositionReading(), True, "MAXQDA 24", "characters (the standard)"),
])
def test_another_programs_positions_are_read_in_its_unit_and_every_coding_keeps_its_text(
        teaching, fresh, tmp_path, reading, crlf, origin, unit):
    path = tmp_path / "other.qdpx"
    path.write_bytes(_as_other_program(export_bytes(teaching, "qdpx"), reading, crlf, origin))
    save_version(fresh, CODEBOOK)
    report = import_qdpx(fresh, path)
    assert report.structure_kept == []  # parsed afresh: nothing of qcode's own structure to go on
    assert report.position_units == {"T1": unit}
    assert (report.placed, report.converted, report.refused) == (4, 0 if reading.standard else 4, {})
    assert _coded_texts(fresh) == _coded_texts(teaching)


def test_positions_outside_the_text_or_selecting_nothing_are_refused_and_counted(fresh, tmp_path):
    text = "Observed the staff meeting.\nThe principal described the broadband gap.\n"
    start = text.index("broadband gap")
    xml = project(users() + codebook() + text_source([(start, start + 13, CODE_CHILD), (50, 500, CODE_PARENT),
                                                      (start, start, CODE_PARENT)]))
    report = import_qdpx(fresh, write_qdpx(tmp_path / "notes.qdpx", xml,
                                           {"sources/22222222-2222-2222-2222-222222222222.txt": text}))
    assert (report.placed, report.refused) == (1, {REFUSED_OUTSIDE: 1, REFUSED_EMPTY: 1})
    assert report.summary() == ("1 codings placed, 2 refused (positions outside the source text: 1; selection of no "
                                "text: 1)")
    assert any("positions 50-500 outside its text" in str(p) for p in report.problems)
    assert any(f"selects no text (positions {start}-{start})" in str(p) for p in report.problems)


def _import_text(store: ProjectStore, tmp_path: Path, text: str, quote: str) -> list:
    start = text.index(quote)
    path = write_qdpx(tmp_path / "source.qdpx", project(users() + codebook() + text_source(
        [(start, start + len(quote), CODE_CHILD)])), {"Sources/22222222-2222-2222-2222-222222222222.txt": text})
    report = import_qdpx(store, path)
    assert (report.placed, report.refused) == (1, {})
    return doc_store.get_turns(store, "Field notes 1")


def test_a_paper_with_headings_gets_no_speakers_and_every_line_stays_codable(fresh, tmp_path):
    text = ("Teachers and AI: a survey\n\nAbstract: We asked 40 teachers.\n\nH1: Rural schools lack broadband.\n"
            "Method: Interviews.\nResults: Broadband gaps persist in rural schools.\n")
    turns = _import_text(fresh, tmp_path, text, "Broadband gaps persist")
    assert [(t.speaker, t.text) for t in turns] == [("Unknown", text.strip().replace("\n\n", "\n"))]
    [coding] = coding_store.current_codings(fresh)
    assert coding.text == "Broadband gaps persist"


def test_recurring_headings_of_a_comment_thread_are_not_a_dialogue(fresh, tmp_path):
    comment = "Koronavírus: új adatok\n@user{n}\nThe broadband {n} is slow\n"
    text = "".join(comment.format(n=n) for n in range(6)) + "Oltás: kérdések\n@user9\nLast one\n"
    turns = _import_text(fresh, tmp_path, text, "broadband 3 is")
    assert [t.speaker for t in turns] == ["Unknown"]
    assert coding_store.current_codings(fresh)[0].text == "broadband 3 is"


def test_a_dialogue_keeps_its_speakers_and_the_text_before_it_as_a_codable_block(fresh, tmp_path):
    text = ("Site visit, March\nNotes typed up afterwards.\n\nInterviewer: How is access?\n"
            "Ana Ruiz: Patchy at best.\n\nInterviewer: And devices?\nAna Ruiz: Mostly fine now.\n")
    turns = _import_text(fresh, tmp_path, text, "typed up")
    assert [(t.speaker, t.text) for t in turns] == [
        ("Unknown", "Site visit, March\nNotes typed up afterwards."), ("Interviewer", "How is access?"),
        ("Ana Ruiz", "Patchy at best."), ("Interviewer", "And devices?"), ("Ana Ruiz", "Mostly fine now.")]
    assert doc_store.get_document(fresh, "Field notes 1").title is None  # the preamble is text, not a title
    assert coding_store.current_codings(fresh)[0].text == "typed up"


def test_a_qcode_export_edited_elsewhere_is_parsed_afresh_not_given_stale_turns(teaching, fresh, tmp_path):
    data = export_bytes(teaching, "qdpx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    assert STRUCTURE_MEMBER in members
    [source] = [name for name in members if name.startswith("sources/")]
    # Edited after the last coding, so the file's positions still hold, as another program would keep them.
    members[source] = members[source].replace("every afternoon.".encode(), "every afternoon, and Latin.".encode())
    path = tmp_path / "edited.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    report = import_qdpx(fresh, path)
    assert report.structure_kept == []
    assert "and Latin." in doc_store.get_document(fresh, "T1").text
    assert _coded_texts(fresh) == _coded_texts(teaching)


def test_a_pseudonymised_export_keeps_its_turns_with_the_pseudonyms(teaching, fresh, tmp_path):
    path = tmp_path / "pseudonymised.qdpx"
    path.write_bytes(export_bytes(teaching, "qdpx", ExportOptions(pseudonymise=True)))
    report = import_qdpx(fresh, path)
    assert (report.structure_kept, report.placed, report.refused) == (["T1"], 4, {})
    original, imported = doc_store.get_turns(teaching, "T1"), doc_store.get_turns(fresh, "T1")
    assert [(t.number, t.role) for t in imported] == [(t.number, t.role) for t in original]
    assert [t.speaker for t in imported] == ["Interviewer", "Respondent 1", "Interviewer 1", "Interviewer",
                                             "Respondent 1"]
    text = doc_store.get_document(fresh, "T1").text
    assert "ana:" not in text and "ben.ortiz" not in text
    assert all(text[t.start - len(t.speaker) - 2:t.start] == f"{t.speaker}: " for t in imported)
    assert {c.text for c in coding_store.current_codings(fresh)} == {c.text for c in
                                                                    coding_store.current_codings(teaching)}


def test_sets_are_named_as_not_imported_and_a_free_note_becomes_a_project_memo(fresh, tmp_path):
    sets = ('<Sets><Set guid="88888888-8888-8888-8888-888888888881" name="Infrastructure">'
            f'<MemberCode targetGUID="{CODE_CHILD}"/></Set>'
            '<Set guid="88888888-8888-8888-8888-888888888882" name="Wave 1"/></Sets>')
    notes = ('<Notes><Note guid="99999999-9999-9999-9999-999999999999" name="Memo on access">'
             '<PlainTextContent>Access differs by district.</PlainTextContent></Note></Notes>')
    report = import_qdpx(fresh, write_qdpx(tmp_path / "sets.qdpx", project(users() + codebook() + notes + sets)))
    said = [str(p) for p in report.problems]
    assert any("2 sets ('Infrastructure', 'Wave 1') were not imported" in line for line in said)
    assert not any("note" in line for line in said)
    assert all("sets.qdpx" in line for line in said)
    [memo] = current_memos(fresh)
    assert (memo.target.label(), memo.title, memo.text) == ("project", "Memo on access", "Access differs by district.")


@pytest.mark.corpus
def test_corpus_dev_through_a_crlf_as_one_export_keeps_every_coding_text(store, tmp_path):
    corpus = corpus_dev_or_skip()
    ingest_paths(store, [corpus / "transcripts"], metadata=corpus / "metadata.csv")
    gold = (corpus / "gold.csv").read_text(encoding="utf-8").splitlines()
    sample = tmp_path / "gold-sample.csv"  # every 3rd row: all documents and formats, and quick
    sample.write_text("\n".join([gold[0], *gold[1::3]]) + "\n", encoding="utf-8")
    _, book = import_codings(store, sample, "gold", read_codebook_file(corpus / "codebook.yaml"), create_codes=True)
    save_version(store, book)
    path = tmp_path / "qualcoder.qdpx"
    path.write_bytes(_as_other_program(export_bytes(store, "qdpx"), PositionReading(crlf_as_one=True), True,
                                       "QualCoder 3.6"))
    other = open_project(tmp_path / "other.duckdb", create=True)
    save_version(other, book)
    report = import_qdpx(other, path)
    assert set(report.position_units.values()) == {"characters, a CR LF line end counted as one"}
    assert report.refused == {} and report.placed == len(coding_store.current_codings(store)) > 100
    assert sorted(_coded_texts(other)) == sorted(_coded_texts(store))
    other.close()


def test_a_dialogue_that_repeats_the_label_on_each_paragraph_is_still_a_dialogue(fresh, tmp_path):
    text = ("Q: How is access?\nA: Patchy at best.\nA: The towers are far.\nA: And the vendor is slow.\n"
            "A: So we wait.\nQ: And devices?\nA: Mostly fine now.\nA: We bought more.\nA: Last spring.\n")
    turns = _import_text(fresh, tmp_path, text, "vendor is slow")
    assert [t.speaker for t in turns] == ["Q", "A", "A", "A", "A", "Q", "A", "A", "A"]
    assert coding_store.current_codings(fresh)[0].turn == 4


@pytest.mark.parametrize(("origin", "expected"), [
    ("NVivo for Windows 12.6", PositionReading(utf16=True)), ("ATLAS.ti 23", PositionReading(crlf_as_one=True)),
    ("MAXQDA 24", PositionReading(crlf_as_one=True)), ("QualCoder 3.6", PositionReading()), ("", PositionReading())])
def test_when_the_text_cannot_tell_the_programs_habit_decides(origin, expected):
    text = "One 🙂 two\r\nthree four\r\n"
    # A selection before any emoji or line end reads the same in every unit: only the habit can decide.
    assert detect_reading(text, [(0, 3, "One")], origin) == expected
