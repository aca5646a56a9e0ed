"""Importing REFI-QDA projects: round trips with qcode's own export, other tools' files, and codebook merging."""

from __future__ import annotations

from pathlib import Path

import pytest

from coding.export.formats import export_bytes
from coding.project_codebook import require_codebook, save_version
from coding.refi.qdpx_import import import_qdpx
from coding.store import ProjectStore, open_project
from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from tests.analysis.builder import CODEBOOK
from tests.conftest import REFI_QDA
from tests.export.qdpx_files import CODE_CHILD, CODE_PARENT, codebook, project, text_source, users, write_qdpx


@pytest.fixture
def fresh(tmp_path):
    store = open_project(tmp_path / "fresh.duckdb", create=True)
    yield store
    store.close()


def _export(store: ProjectStore, path: Path) -> Path:
    path.write_bytes(export_bytes(store, "qdpx"))
    return path


def _codings(store: ProjectStore, with_ids: bool = True) -> set[tuple]:
    return {(c.document, c.start, c.end, c.turn, c.excerpt_id if with_ids else None, c.code, c.coder)
            for c in coding_store.current_codings(store)}


def _documents(store: ProjectStore) -> dict[str, tuple]:
    return {name: (doc.text, doc.title, doc.attributes,
                   [(t.number, t.speaker, t.role, t.start, t.end) for t in doc_store.get_turns(store, name)])
            for name in doc_store.document_names(store) if (doc := doc_store.get_document(store, name))}


def _codebook(store: ProjectStore) -> list[tuple]:
    _, book = require_codebook(store)
    return [(c.id, c.name, c.parent, c.definition, c.include, c.exclude, c.examples, c.counterexamples)
            for c in book.codes]


def test_a_qcode_export_imported_where_the_codebook_is_loaded_gives_back_every_coding(study, fresh, tmp_path):
    save_version(fresh, CODEBOOK)
    report = import_qdpx(fresh, _export(study, tmp_path / "study.qdpx"))
    assert report.documents_added == ["R1", "R2", "R3", "U1", "U2"]
    assert (report.codings, report.coders, report.codes_added, report.problems) == (12, ["ana", "ben"], [], [])
    assert _documents(fresh) == _documents(study)  # text, title, attributes and turns
    assert _codings(fresh) == _codings(study)  # same spans, turns, excerpts, codes and coders
    assert {c.source.value for c in coding_store.current_codings(fresh)} == {"imported"}


def test_import_then_export_then_import_gives_the_same_codes_documents_and_spans(study, tmp_path):
    first = open_project(tmp_path / "first.duckdb", create=True)
    import_qdpx(first, _export(study, tmp_path / "study.qdpx"))
    second = open_project(tmp_path / "second.duckdb", create=True)
    import_qdpx(second, _export(first, tmp_path / "first.qdpx"))
    assert _codebook(second) == _codebook(first) == _codebook(study)  # ids, rules and examples come back too
    assert [c[0] for c in _codebook(first)] == ["CONCERNS", "EQUITY", "COST", "OPPS", "TIME"]  # not made from names
    assert _documents(second) == _documents(first) == _documents(study)
    assert _codings(second) == _codings(first)
    assert len(_codings(first)) == 12
    first.close()
    second.close()


def test_importing_a_project_into_itself_matches_its_documents_and_adds_no_duplicates(study, tmp_path):
    before = _codings(study)
    report = import_qdpx(study, _export(study, tmp_path / "study.qdpx"))
    assert (report.documents_added, report.documents_matched) == ([], ["R1", "R2", "R3", "U1", "U2"])
    assert report.codebook_version is None  # nothing new in the codebook
    assert _codings(study) == before
    as_other = import_qdpx(study, tmp_path / "study.qdpx", coder="nvivo")
    assert as_other.coders == ["nvivo"]
    assert {c[:6] for c in _codings(study) if c[6] == "nvivo"} == {c[:6] for c in before}


def test_a_source_without_speaker_labels_becomes_one_unknown_turn(fresh, tmp_path):
    text = "Observed the staff meeting.\nThe principal described the broadband gap.\n"
    start = text.index("broadband gap")
    path = write_qdpx(tmp_path / "notes.qdpx",
                      project(users() + codebook() + text_source([(start, start + 13, CODE_CHILD)])),
                      {"Sources/22222222-2222-2222-2222-222222222222.txt": text})
    report = import_qdpx(fresh, path)
    assert report.documents_added == ["Field notes 1"]
    [turn] = doc_store.get_turns(fresh, "Field notes 1")
    assert turn.speaker == "Unknown"
    assert turn.text == "Observed the staff meeting.\nThe principal described the broadband gap."
    [coding] = coding_store.current_codings(fresh)
    assert (coding.text, coding.code, coding.coder, coding.turn) == ("broadband gap", "BROADBAND", "Maxine (MAXQDA)", 1)
    codes = require_codebook(fresh)[1].codes
    assert [(c.id, c.parent) for c in codes] == [("BARRIERS", None), ("BROADBAND", "BARRIERS")]


def test_a_selection_across_two_turns_becomes_one_coding_from_the_first_turn(fresh, tmp_path):
    text = "Q: How is access?\r\nA: Patchy at best.\r\nQ: And devices?\r\nA: Mostly fine now.\r\n"
    start, end = text.index("Patchy"), text.index("devices?") + 8
    path = write_qdpx(tmp_path / "qa.qdpx", project(users() + codebook() + text_source(
        [(start, end, CODE_PARENT)], name="Interview 7", path="internal://22222222-2222-2222-2222-222222222222.TXT")),
        {"Sources/22222222-2222-2222-2222-222222222222.txt": text})
    report = import_qdpx(fresh, path)
    codings = [(c.turn, c.text) for c in coding_store.current_codings(fresh)]
    assert codings == [(2, "Patchy at best.\n\nQ: And devices?")]
    assert (report.placed, report.codings) == (1, 1)


def test_tolerates_an_inner_file_not_named_project_qde_and_the_older_codebook_namespace(fresh, tmp_path):
    path = write_qdpx(tmp_path / "Trial.qdpx", project(users() + codebook("urn:QDA-XML:codebook:0:4")),
                      member="Trial.qde")
    report = import_qdpx(fresh, path)
    assert report.codebook_version == 1
    assert [c.name for c in require_codebook(fresh)[1].codes] == ["Barriers", "Broadband"]


def test_merge_adds_new_codes_and_matches_existing_ones_by_name(fresh, tmp_path):
    save_version(fresh, CODEBOOK)
    xml = project(users() + f'<CodeBook><Codes><Code guid="{CODE_PARENT}" name="cost" isCodable="true"/>'
                  f'<Code guid="{CODE_CHILD}" name="Vendors" isCodable="true"/></Codes></CodeBook>')
    report = import_qdpx(fresh, write_qdpx(tmp_path / "m.qdpx", xml))
    assert report.codes_added == ["VENDORS"]
    assert [c.id for c in require_codebook(fresh)[1].codes] == ["CONCERNS", "EQUITY", "COST", "OPPS", "TIME",
                                                                 "VENDORS"]


def test_replace_uses_the_files_codebook_but_keeps_ids_and_rules_of_matched_codes(fresh, tmp_path):
    save_version(fresh, CODEBOOK)
    xml = project('<CodeBook><Codes><Code guid="{0}" name="Equity and access" isCodable="true">'
                  '<Description>Who gets AI.</Description></Code></Codes></CodeBook>'.format(CODE_PARENT))
    import_qdpx(fresh, write_qdpx(tmp_path / "r.qdpx", xml), codebook_mode="replace")
    [code] = require_codebook(fresh)[1].codes
    assert (code.id, code.parent, code.definition, code.include) == ("EQUITY", None, "Who gets AI.",
                                                                    ("broadband, devices",))


def test_ponte_atlas_projects_bring_users_and_a_two_level_codebook(fresh):
    blank, target = REFI_QDA / "ponte-blank-atlas-project.qdpx", REFI_QDA / "ponte-target-atlas-project.qdpx"
    if not (blank.exists() and target.exists()):
        pytest.skip("../shared/refi-qda/ponte-*.qdpx are not present")
    report = import_qdpx(fresh, blank)
    assert report.users == ["Enric Llagostera", "ATLAS.ti"]
    assert (report.documents_added, report.codings, codebook_store.current_codebook(fresh)) == ([], 0, None)
    report = import_qdpx(fresh, target)
    _, book = require_codebook(fresh)
    assert book.name == "target-atlas-project"
    assert [(c.name, c.parent) for c in book.codes] == [("Commits", None), ("2022-05-10T02:05:59Z 19e4dce", "COMMITS"),
                                                        ("2022-02-11T10:39:25Z cdbfd92", "COMMITS")]
    assert book.codes[0].guid == "A182CD3A-D83C-4D8C-BC80-26D9103EC6D6"
