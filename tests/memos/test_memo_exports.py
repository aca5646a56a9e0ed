"""Memos in the exports: QDPX Notes with NoteRefs (schema-valid, imported back exactly), the XLSX Memos sheet, the
methods report and the quote bank."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest
from lxml import etree

from coding.codebook import code_guid
from coding.export.formats import ExportOptions, export_bytes
from coding.memos import actions
from coding.memos.model import PROJECT, TargetKind, parse_target
from coding.project_codebook import require_codebook
from coding.refi.qdpx_import import import_qdpx
from coding.store import codings as coding_store
from coding.store import open_project
from tests.conftest import REFI_QDA
from tests.memos.test_memo_log import theme_run

NS = {"q": "urn:QDA-XML:project:1.0"}
XSD = REFI_QDA / "Project-mrt2019.xsd"


@pytest.fixture
def memoed(study):
    """The study with a memo on each kind of object, one edited by another coder, one with names in it."""
    run = theme_run(study)
    ben_cost = next(c for c in coding_store.current_codings(study, coder="ben") if c.code == "COST")
    actions.add_memo(study, PROJECT, "Sampling", "Five leaders.\n\nDr. Maria Alvarez declined a follow-up.", "ana")
    actions.add_memo(study, parse_target("document:R1"), "Tone", "Guarded about **cost**.", "ana")
    edited = actions.add_memo(study, parse_target("code:COST"), "Scope", "Licences, not devices.", "ana")
    actions.edit_memo(study, edited.id, "ben", text="Licences and devices.")
    actions.add_memo(study, parse_target("code:EQUITY"), "Nested code", "Under CONCERNS.", "ben")
    actions.add_memo(study, parse_target(f"coding:{ben_cost.decision_id}"), "Why COST", "Budget talk.", "ben")
    actions.add_memo(study, parse_target(f"theme:{run}:1"), "Theme one", "Looks like EQUITY.", "ana")
    return study


def _root(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("project.qde"))


def _coding_key(store, decision_id: str) -> tuple:
    coding = next(c for c in coding_store.current_codings(store) if str(c.decision_id) == decision_id)
    return coding.document, coding.start, coding.end, coding.code, coding.coder


def _comparable(store) -> list[tuple]:
    """Every memo with its target resolved to the object (a coding by span, code and coder, not its id)."""
    rows = []
    for m in actions.memos(store):
        target = _coding_key(store, m.target.ref) if m.target.kind == TargetKind.coding else m.target.label()
        rows.append((target, m.title, m.text, m.author, m.created_at, m.updated_at, m.updated_by))
    return sorted(rows, key=str)


@pytest.mark.parametrize("pseudonymise", [False, True])
def test_qdpx_with_memos_validates_against_the_refi_qda_schema(memoed, pseudonymise):
    if not XSD.exists():
        pytest.skip("../shared/refi-qda/Project-mrt2019.xsd is not present")
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    root = _root(export_bytes(memoed, "qdpx", ExportOptions(pseudonymise=pseudonymise)))
    assert schema.validate(root), schema.error_log
    assert len(root.findall("q:Notes/q:Note", NS)) == 6


def test_each_note_is_referenced_from_the_object_its_memo_is_about(memoed):
    root = _root(export_bytes(memoed, "qdpx"))
    notes = {n.get("guid"): n for n in root.findall("q:Notes/q:Note", NS)}
    users = {u.get("guid"): u.get("name") for u in root.findall("q:Users/q:User", NS)}

    def titles(holder) -> list[str]:
        return [notes[r.get("targetGUID")].get("name") for r in holder.findall("q:NoteRef", NS)]

    assert titles(root) == ["Sampling"]
    sources = {s.get("name"): s for s in root.findall("q:Sources/q:TextSource", NS)}
    assert titles(sources["R1"]) == ["Tone"] and all(not titles(s) for n, s in sources.items() if n != "R1")
    _, codebook = require_codebook(memoed)
    codes = {c.get("guid"): c for c in root.iter("{urn:QDA-XML:project:1.0}Code")}
    assert titles(codes[code_guid(codebook.code("COST"))]) == ["Scope"]
    assert titles(codes[code_guid(codebook.code("EQUITY"))]) == ["Nested code"]
    coded = [c for c in root.iter("{urn:QDA-XML:project:1.0}Coding") if titles(c)]
    assert [(titles(c), users[c.get("creatingUser")]) for c in coded] == [(["Why COST"], "ben")]
    scope = next(n for n in notes.values() if n.get("name") == "Scope")
    assert (users[scope.get("creatingUser")], users[scope.get("modifyingUser")]) == ("ana", "ben")
    assert scope.find("q:PlainTextContent", NS).text == "Licences and devices."


def test_qcode_to_qdpx_to_qcode_keeps_every_memo_exactly(memoed, tmp_path):
    path = tmp_path / "memos.qdpx"
    path.write_bytes(export_bytes(memoed, "qdpx"))
    with open_project(tmp_path / "fresh.duckdb", create=True) as fresh:
        report = import_qdpx(fresh, path)
        assert report.memos == 6 and not report.problems
        assert _comparable(fresh) == _comparable(memoed)
        again = import_qdpx(fresh, path)  # the same file twice: codings and memos are not doubled
        assert again.memos == 0 and len(actions.memos(fresh)) == 6
        # Imported memos are logged like any other: their editor can undo the import of one.
        assert actions.undo_memo_step(fresh, "ben").action.value == "add"
        assert len(actions.memos(fresh)) == 5


def test_a_memo_on_a_coding_left_out_of_the_export_is_left_out_too(memoed, tmp_path):
    root = _root(export_bytes(memoed, "qdpx", ExportOptions(coders=("ana",))))
    titles = sorted(n.get("name") for n in root.findall("q:Notes/q:Note", NS))
    assert "Why COST" not in titles and "Sampling" in titles


def test_pseudonymised_exports_replace_names_in_memos(memoed, tmp_path):
    names = tmp_path / "names.csv"
    names.write_text("name,pseudonym\nDr. Maria Alvarez,Leader A\n", encoding="utf-8")
    options = ExportOptions(pseudonyms_file=names)
    root = _root(export_bytes(memoed, "qdpx", options))
    assert "Leader A declined" in "".join(root.find("q:Notes", NS).itertext())
    assert "Alvarez" not in "".join(root.find("q:Notes", NS).itertext())
    report = export_bytes(memoed, "md", options).decode("utf-8")
    assert "Leader A declined a follow-up." in report and "Alvarez" not in report


def test_xlsx_has_a_memos_sheet_with_every_memo_and_its_target(memoed):
    book = openpyxl.load_workbook(io.BytesIO(export_bytes(memoed, "xlsx")))
    rows = list(book["Memos"].values)
    assert rows[0] == ("memo", "on", "title", "text", "author", "created", "updated", "updated_by")
    by_title = {r[2]: r for r in rows[1:]}
    assert set(by_title) == {m.title for m in actions.memos(memoed)}
    assert by_title["Scope"][1:5] == ("code:COST", "Scope", "Licences and devices.", "ana")
    assert by_title["Scope"][7] == "ben" and by_title["Theme one"][1].startswith("theme:")
    only_ana = openpyxl.load_workbook(io.BytesIO(export_bytes(memoed, "xlsx", ExportOptions(coders=("ana",)))))
    assert list(only_ana["Memos"].values) == rows  # the memo record is whole, whoever's codings are exported


def test_report_lists_project_memos_and_each_codes_memos_under_it(memoed):
    md = export_bytes(memoed, "md").decode("utf-8")
    assert md.index("## Project memos") < md.index("### Memo: Sampling (ana, ") < md.index("## Codebook")
    cost = md.index("Cost\n")
    assert cost < md.index("#### Memo: Scope (ana, ") < md.index("Licences and devices.")
    assert "Guarded about" not in md and "Budget talk" not in md  # document and coding memos are not the report's
    html = export_bytes(memoed, "html").decode("utf-8")
    assert "Guarded" not in html and "Memo: Nested code (ben, " in html


def test_quote_bank_puts_a_codes_memos_under_that_code(memoed):
    document = docx.Document(io.BytesIO(export_bytes(memoed, "docx")))
    texts = [p.text for p in document.paragraphs]
    cost = next(i for i, t in enumerate(texts) if t.startswith("Cost (COST)"))
    equity = next(i for i, t in enumerate(texts) if t.startswith("Equity"))
    scope = next(i for i, t in enumerate(texts) if t.startswith("Memo: Scope (ana, "))
    assert cost < scope and texts[scope + 1] == "Licences and devices."
    nested = next(i for i, t in enumerate(texts) if t.startswith("Memo: Nested code"))
    assert equity < nested < cost or cost < scope < equity < nested
    assert not any("Sampling" in t or "Tone" in t for t in texts)
