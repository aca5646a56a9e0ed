"""Importing uploaded files: the CLI's functions on the uploaded bytes, with the CLI's messages and all-or-nothing
rules, named by the uploaded file (never the temporary folder), and names that cannot be document ids refused."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from coding.errors import CodebookError, ImportProblem, QcodeError
from coding.project_codebook import CODEBOOK_FILE_SETTING
from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store import open_project
from coding.store.settings import get_setting
from pipelines.ingest import ingest_paths
from pipelines.upload import (Upload, import_codings_upload, ingest_uploads, load_codebook_upload,
                              name_problems)
from tests.conftest import SAMPLE_CODEBOOK, SAMPLE_TRANSCRIPTS

NO_LABELS = b"hello there\nno speaker labels in this file\n"
NOT_VTT = b"garbage\n00:00 --> zz\n"
GOOD = b"Interviewer: How did the pilot go?\n\nDana: It went well. Teachers saved time on planning.\n"


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """The temporary folder uploads are written under, so a test sees what is left there."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def empty_store(tmp_path):
    store = open_project(tmp_path / "empty.duckdb", create=True)
    yield store
    store.close()


def sample(name: str) -> Upload:
    return Upload(name, (SAMPLE_TRANSCRIPTS / name).read_bytes())


def test_two_transcripts_and_metadata_become_documents_named_by_their_files(empty_store, private_tmp):
    report = ingest_uploads(empty_store, [sample("S01.txt"), sample("S07.vtt")], sample("metadata.csv"))
    assert [(f.document, f.status, str(f.path)) for f in report.files] == [
        ("S01", "added", "S01.txt"), ("S07", "added", "S07.vtt")]
    assert not report.all_problems
    assert doc_store.document_names(empty_store) == ["S01", "S07"]
    assert doc_store.get_document(empty_store, "S01").attributes["district_type"] == "suburban"
    assert doc_store.get_document(empty_store, "S07").source_path == "upload:S07.vtt"  # not the vanished copy
    turns = len(doc_store.get_turns(empty_store, "S01"))
    assert report.files[0].turns == turns > 0
    assert list(private_tmp.iterdir()) == []  # the uploaded copies are gone
    again = ingest_uploads(empty_store, [sample("S01.txt")])
    assert [(f.document, f.status) for f in again.files] == [("S01", "unchanged")]


def test_a_failing_transcript_stores_nothing_of_itself_and_the_others_go_in_with_the_clis_messages(
        empty_store, tmp_path, private_tmp):
    uploads = [Upload("B1.txt", NO_LABELS), Upload("G1.txt", GOOD), Upload("B2.vtt", NOT_VTT)]
    report = ingest_uploads(empty_store, uploads)
    assert [(f.document, f.status) for f in report.files] == [("B1", "failed"), ("G1", "added"), ("B2", "failed")]
    assert doc_store.document_names(empty_store) == ["G1"]
    # The CLI on the same files in a folder prints the same problems, located in the same file and line.
    folder = tmp_path / "cli"
    folder.mkdir()
    for upload in uploads:
        (folder / upload.name).write_bytes(upload.data)
    cli_store = open_project(tmp_path / "cli.duckdb", create=True)
    try:
        cli = ingest_paths(cli_store, [folder / u.name for u in uploads])
    finally:
        cli_store.close()
    expected = [str(p).replace(f"{folder}/", "") for p in cli.all_problems]
    assert [str(p) for p in report.all_problems] == expected
    assert expected[1].startswith("B2.vtt:1: a WebVTT file must start with 'WEBVTT'")
    assert all(str(private_tmp) not in str(p) and "qcode-upload" not in str(p) for p in report.all_problems)


def test_a_bad_metadata_file_is_reported_by_its_name_and_the_transcripts_still_go_in(empty_store, private_tmp):
    report = ingest_uploads(empty_store, [Upload("G1.txt", GOOD)], Upload("meta.csv", b"name,role\nG1,x\n"))
    assert [f.status for f in report.files] == ["added"]
    assert report.metadata_problems and all(str(p).startswith("meta.csv") for p in report.metadata_problems)


@pytest.mark.parametrize("name", ["../S01.txt", "sub/S01.txt", "sub\\S01.txt", "", ".", "..", "S\x0701.txt"])
def test_names_that_are_not_one_plain_file_name_are_refused_and_nothing_is_stored(empty_store, private_tmp, name):
    with pytest.raises(QcodeError) as raised:
        ingest_uploads(empty_store, [Upload("G1.txt", GOOD), Upload(name, GOOD)])
    assert len(raised.value.problems) == 1
    assert doc_store.document_names(empty_store) == []
    assert list(private_tmp.iterdir()) == []


def test_other_file_types_and_the_same_name_twice_are_refused_for_every_kind_of_upload(empty_store, private_tmp):
    problems = name_problems([Upload("a.pdf", b""), Upload("G1.txt", b""), Upload("g1.TXT", b"")],
                             [".txt"], "transcript")
    assert [(p.path, p.message) for p in problems] == [
        ("a.pdf", "not a transcript file type ('.pdf')"), ("g1.TXT", "uploaded twice (also as G1.txt)")]
    with pytest.raises(QcodeError, match=r"notes\.txt: not a codings file type"):
        import_codings_upload(empty_store, Upload("notes.txt", b"document,turn,code\n"), "ana")
    with pytest.raises(QcodeError, match=r"codebook\.json: not a codebook file type"):
        load_codebook_upload(empty_store, Upload("codebook.json", b"{}"))
    with pytest.raises(QcodeError, match=r"a/meta\.csv: 'a/meta\.csv' is not a plain file name"):
        ingest_uploads(empty_store, [Upload("G1.txt", GOOD)], Upload("a/meta.csv", b"document\n"))
    with pytest.raises(QcodeError, match="no transcript uploaded"):
        ingest_uploads(empty_store, [])
    assert doc_store.document_names(empty_store) == []


def _decisions(store) -> list:
    return store.conn.execute("SELECT * FROM decisions ORDER BY id").fetchall()


def test_a_codings_csv_whose_only_row_is_bad_changes_nothing_and_names_file_row_and_code(sample_store, private_tmp):
    before = _decisions(sample_store)
    report = import_codings_upload(sample_store, Upload("codings.csv", b"document,turn,code\nS01,8,NO_SUCH_CODE\n"),
                                   "ana")
    assert (report.rows, report.imported) == (1, 0)
    assert [str(p) for p in report.problems] == [
        "codings.csv, row 2 (code NO_SUCH_CODE): unknown code 'NO_SUCH_CODE' "
        "(add it to the codebook, or import with --create-codes)"]
    assert _decisions(sample_store) == before


def test_a_codings_csv_that_cannot_be_read_changes_nothing(sample_store, private_tmp):
    before = _decisions(sample_store)
    with pytest.raises(ImportProblem) as raised:
        import_codings_upload(sample_store, Upload("codings.csv", b"doc,what\nS01,x\n"), "ana")
    assert str(raised.value).startswith("codings.csv, row 1: unrecognised columns: doc, what")
    assert _decisions(sample_store) == before
    assert list(private_tmp.iterdir()) == []


def test_a_codings_csv_imports_its_good_rows_like_the_cli_and_reports_the_bad_one(sample_store, private_tmp):
    data = b"document,turn,code\nS01,8,TIME_SAVINGS\nS01,999,PILOTS\nS01,12,PILOTS\n"
    report = import_codings_upload(sample_store, Upload("mixed.csv", data), "ana")
    assert (report.rows, report.imported) == (3, 2)
    assert [(p.path, p.row) for p in report.problems] == [("mixed.csv", 3)]
    codings = coding_store.current_codings(sample_store, coder="ana")
    assert sorted((c.document, c.turn, c.code) for c in codings) == [("S01", 8, "TIME_SAVINGS"), ("S01", 12, "PILOTS")]


def test_created_codes_become_a_codebook_version_with_the_codings(sample_store, private_tmp):
    version = codebook_store.current_codebook(sample_store)[0]
    report = import_codings_upload(sample_store, Upload("new.csv", b"document,turn,code\nS01,8,BRAND_NEW\n"), "ana",
                                   create_codes=True)
    assert report.created_codes == ["BRAND_NEW"] and report.imported == 1
    new_version, codebook = codebook_store.current_codebook(sample_store)
    assert new_version == version + 1 and "BRAND_NEW" in codebook


def test_an_invalid_codebook_is_refused_with_its_line_and_the_project_keeps_its_codebook(sample_store, private_tmp):
    version = codebook_store.current_codebook(sample_store)[0]
    yaml_file = get_setting(sample_store, CODEBOOK_FILE_SETTING)
    bad = b"name: Broken\ncodes:\n  - id: A\n    name: [unclosed\n"
    with pytest.raises(CodebookError) as raised:
        load_codebook_upload(sample_store, Upload("broken.yaml", bad), "ana")
    assert str(raised.value).startswith("broken.yaml:")
    assert all(p.path == "broken.yaml" and p.line for p in raised.value.problems)
    assert codebook_store.current_codebook(sample_store)[0] == version
    assert get_setting(sample_store, CODEBOOK_FILE_SETTING) == yaml_file


def test_a_valid_codebook_upload_is_the_next_version_and_later_edits_stay_in_the_project(sample_store, private_tmp):
    version = codebook_store.current_codebook(sample_store)[0]
    assert get_setting(sample_store, CODEBOOK_FILE_SETTING)  # the sample project writes edits to its YAML file
    new_version, codebook = load_codebook_upload(sample_store, Upload("mine.yaml", SAMPLE_CODEBOOK.read_bytes()),
                                                 "ana")
    assert new_version == version + 1 and codebook.name and len(codebook.codes) > 5
    history = codebook_store.codebook_history(sample_store)[-1]
    assert (history["source_path"], history["note"], history["created_by"]) == ("mine.yaml", "loaded from mine.yaml",
                                                                                "ana")
    assert get_setting(sample_store, CODEBOOK_FILE_SETTING) is None  # the temporary copy is gone
    assert list(private_tmp.iterdir()) == []


def test_every_transcript_format_uploads_as_its_cli_ingest_does(empty_store, tmp_path, private_tmp):
    names = ["S05.txt", "S06.md", "S08.vtt", "S09.srt", "S10.docx"]
    report = ingest_uploads(empty_store, [sample(n) for n in names])
    assert [(f.document, f.status) for f in report.files] == [(Path(n).stem, "added") for n in names]
    cli_store = open_project(tmp_path / "cli.duckdb", create=True)
    try:
        ingest_paths(cli_store, [SAMPLE_TRANSCRIPTS / n for n in names])
        for name in names:
            uploaded = doc_store.get_document(empty_store, Path(name).stem)
            by_path = doc_store.get_document(cli_store, Path(name).stem)
            assert (uploaded.text, uploaded.format, uploaded.content_hash) == (
                by_path.text, by_path.format, by_path.content_hash)
            assert doc_store.get_excerpts(empty_store, uploaded.name) == doc_store.get_excerpts(cli_store, by_path.name)
    finally:
        cli_store.close()
