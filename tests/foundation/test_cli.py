"""The `qcode` CLI for the foundation: init, ingest, transcripts, show; user mistakes never show a traceback."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import duckdb
import pytest

from tests.cli_helpers import qcode


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "study.duckdb"
    assert qcode("init", "--db", path).exit_code == 0
    return path


def _write_study(folder: Path, two_respondents_txt: str, label_on_own_line_txt: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "D03.txt").write_text(two_respondents_txt, encoding="utf-8")
    (folder / "D07.txt").write_text(label_on_own_line_txt, encoding="utf-8")
    (folder / "metadata.csv").write_text("document,region,enrollment\nD03,Midwest,30123\nD07,West,2536\n")
    return folder


@pytest.fixture
def study(tmp_path: Path, two_respondents_txt, label_on_own_line_txt) -> Path:
    return _write_study(tmp_path / "transcripts", two_respondents_txt, label_on_own_line_txt)


@pytest.fixture(scope="module")
def ingested_db(tmp_path_factory: pytest.TempPathFactory, two_respondents_txt, label_on_own_line_txt) -> Path:
    """One project with the study ingested, shared by the tests that only read it."""
    root = tmp_path_factory.mktemp("cli")
    folder = _write_study(root / "transcripts", two_respondents_txt, label_on_own_line_txt)
    assert qcode("init", "--db", root / "study.duckdb").exit_code == 0
    assert qcode("ingest", folder, "--db", root / "study.duckdb").exit_code == 0
    return root / "study.duckdb"


def test_init_creates_a_project_and_a_second_init_opens_it(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    first = qcode("init", "--db", path)
    assert first.exit_code == 0
    assert "Created project" in first.output
    assert path.exists()
    second = qcode("init", "--db", path)
    assert second.exit_code == 0
    assert "Opened project" in second.output


def test_ingest_prints_one_line_per_file_and_a_summary(db: Path, study: Path) -> None:
    result = qcode("ingest", study, "--db", db)
    assert result.exit_code == 0
    assert "D03: added (7 turns," in result.output
    assert "D07: added (5 turns," in result.output
    assert "2 of 2 files ingested" in result.output


def test_ingest_again_says_unchanged_and_a_changed_file_says_its_new_version(db: Path, study: Path) -> None:
    qcode("ingest", study, "--db", db)
    again = qcode("ingest", study, "--db", db)
    assert again.exit_code == 0
    assert "D03: unchanged (no change)" in again.output
    with (study / "D07.txt").open("a", encoding="utf-8") as handle:
        handle.write("Dr. Pettaway:\nOne more thing.\n")
    changed = qcode("ingest", study, "--db", db)
    assert "D07: updated to version 2 (6 turns" in changed.output
    assert "D03: unchanged" in changed.output


def test_transcripts_json_lists_the_contract_fields_per_document(ingested_db: Path) -> None:
    result = qcode("transcripts", "--json", "--db", ingested_db)
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [row["document"] for row in rows] == ["D03", "D07"]
    for row in rows:
        assert {"document", "turns", "respondent_turns", "excerpts", "speakers", "attributes"} <= set(row)
        assert isinstance(row["turns"], int) and isinstance(row["excerpts"], int)
        assert isinstance(row["speakers"], list)
    d03 = rows[0]
    assert (d03["turns"], d03["respondent_turns"]) == (7, 4)
    assert d03["speakers"] == ["Interviewer", "Dr. Alvarez", "SUPERINTENDENT HALE"]
    assert d03["attributes"] == {"region": "Midwest", "enrollment": 30123}
    assert d03["excerpts"] >= d03["respondent_turns"]


def test_transcripts_table_names_each_document(ingested_db: Path) -> None:
    result = qcode("transcripts", "--db", ingested_db)
    assert result.exit_code == 0
    assert "D03" in result.output and "D07" in result.output


def test_show_prints_every_turn_numbered_with_roles(ingested_db: Path) -> None:
    result = qcode("show", "D07", "--db", ingested_db)
    assert result.exit_code == 0
    assert result.output.startswith("Interview")
    numbered = [m.group(1) for m in re.finditer(r"^ {0,3}(\d{1,4})  \S", result.output, re.MULTILINE)]
    assert numbered == ["1", "2", "3", "4", "5"]
    assert "Interviewer (interviewer):" in result.output
    assert "Dr. Pettaway:" in result.output


def test_show_one_turn_prints_that_turn_with_its_excerpts(ingested_db: Path) -> None:
    result = qcode("show", "D03", "--turn", "5", "--db", ingested_db)
    assert result.exit_code == 0
    assert "Dr. Alvarez" in result.output
    assert "excerpt D03:5:1" in result.output
    assert "Interviewer" not in result.output


def test_show_json_turn_includes_offsets_and_excerpts(ingested_db: Path) -> None:
    [turn] = json.loads(qcode("show", "D03", "--turn", "2", "--json", "--db", ingested_db).stdout)
    assert (turn["number"], turn["speaker"], turn["role"]) == (2, "Dr. Alvarez", "respondent")
    assert turn["excerpts"] and all(e["turn"] == 2 for e in turn["excerpts"])
    assert all(turn["start"] <= e["start"] < e["end"] <= turn["end"] for e in turn["excerpts"])


def test_show_unknown_document_exits_1_and_lists_the_documents(ingested_db: Path) -> None:
    result = qcode("show", "D99", "--db", ingested_db)
    assert result.exit_code == 1
    assert "no document named D99" in result.output
    assert "D03, D07" in result.output


def test_show_turn_out_of_range_exits_1_and_says_the_range(ingested_db: Path) -> None:
    result = qcode("show", "D07", "--turn", "99", "--db", ingested_db)
    assert result.exit_code == 1
    assert "D07 has turns 1..5, not 99" in result.output


def test_ingest_without_a_project_exits_1_and_says_to_run_init(tmp_path: Path, study: Path) -> None:
    result = qcode("ingest", study, "--db", tmp_path / "none.duckdb")
    assert result.exit_code == 1
    assert "no project here" in result.output
    assert "qcode init" in result.output


def test_ingest_of_only_bad_files_prints_one_line_per_problem_and_exits_1(
    db: Path, tmp_path: Path, write
) -> None:
    folder = tmp_path / "bad"
    write("empty.txt", "", folder)
    write("binary.txt", b"\x00\xff\x00\xfe", folder)
    write("nolabels.txt", "Only notes here.\n", folder)
    write("broken.vtt", "WEBVTT\n\n1\n00:00:01.000 --> soon\nInterviewer: Hi.\n", folder)
    result = qcode("ingest", folder, tmp_path / "missing.txt", "--db", db)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(errors) == 5
    for name in ["empty.txt", "binary.txt", "nolabels.txt", "broken.vtt:4", "missing.txt"]:
        assert sum(name in line for line in errors) == 1, name
    assert "0 of 4 files ingested" in result.output


def test_ingest_with_a_bad_file_still_ingests_the_good_ones_and_exits_1(
    db: Path, study: Path, write
) -> None:
    write("D99.txt", "no speakers in here\n", study)
    result = qcode("ingest", study, "--db", db)
    assert result.exit_code == 1  # scripts must notice the file that was not ingested
    assert "D03: added" in result.output
    assert any(line.startswith("error: ") and "D99.txt" in line for line in result.output.splitlines())
    assert "2 of 3 files ingested" in result.output


def test_unsupported_file_type_is_an_error_line_not_a_crash(db: Path, write) -> None:
    result = qcode("ingest", write("interview.pdf", b"%PDF-1.4"), "--db", db)
    assert result.exit_code == 1
    assert "unsupported file type '.pdf'" in result.output


def test_a_corrupt_word_document_is_an_error_line_and_later_files_are_still_ingested(
    db: Path, tmp_path: Path, write, two_respondents_txt
) -> None:
    folder = tmp_path / "mixed"
    write("B01.txt", two_respondents_txt, folder)
    with zipfile.ZipFile(folder / "A01.docx", "w") as archive:  # read first: its failure must not stop B01
        archive.writestr("[Content_Types].xml", "<Types unclosed")
    result = qcode("ingest", folder, "--db", db)
    assert result.exit_code == 1
    assert "A01.docx: not a readable Word document" in result.output
    assert "B01: added" in result.output


def test_a_metadata_path_that_is_a_folder_is_an_error_line(db: Path, study: Path, tmp_path: Path) -> None:
    result = qcode("ingest", study / "D03.txt", "--db", db, "--metadata", tmp_path)
    assert result.exit_code == 0  # the transcripts were all ingested
    assert "cannot read the metadata file" in result.output
    assert "D03: added" in result.output


def test_metadata_coverage_problems_are_warning_lines(db: Path, study: Path, write) -> None:
    metadata = write("other.csv", "document,region\nD03,Midwest\nD42,South\n")
    result = qcode("ingest", study, "--db", db, "--metadata", metadata)
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        "warning: metadata names document D42, which is not in the project",
        "warning: document D07 has no row in the metadata file",
    ]


def test_interviewer_option_marks_a_named_speaker_as_interviewer(db: Path, write) -> None:
    path = write("D01.txt", "Ana Ruiz: How did it go?\nBen: Fine.\n")
    qcode("ingest", path, "--db", db, "--interviewer", "Ana Ruiz")
    [turn] = json.loads(qcode("show", "D01", "--turn", "1", "--json", "--db", db).stdout)
    assert turn["role"] == "interviewer"
    assert turn["excerpts"] == []


def test_include_interviewer_option_excerpts_interviewer_turns(db: Path, write) -> None:
    path = write("D01.txt", "Interviewer: How did it go?\nBen: Fine.\n")
    qcode("ingest", path, "--db", db, "--include-interviewer")
    [turn] = json.loads(qcode("show", "D01", "--turn", "1", "--json", "--db", db).stdout)
    assert [e["id"] for e in turn["excerpts"]] == ["D01:1:1"]


def test_project_can_be_chosen_with_the_qcode_db_environment_variable(db: Path, study: Path) -> None:
    result = qcode("ingest", study, env={"QCODE_DB": str(db)})
    assert result.exit_code == 0
    assert len(json.loads(qcode("transcripts", "--json", env={"QCODE_DB": str(db)}).stdout)) == 2


def test_newer_project_schema_is_a_one_line_error(db: Path) -> None:
    with duckdb.connect(str(db)) as conn:
        conn.execute("INSERT INTO schema_migrations (version, name) VALUES (999, 'future')")
    result = qcode("transcripts", "--db", db)
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if line.strip()] == [
        line for line in result.output.splitlines() if line.startswith("error: ")
    ]
    assert "newer qcode" in result.output
