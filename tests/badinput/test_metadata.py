"""Bad metadata CSVs given to `qcode ingest --metadata`: located lines; the transcripts themselves are unaffected.

An unusable metadata file does not stop the transcripts from being ingested (see tests/foundation/test_cli.py), so
the exit status follows the transcripts; the file's problems are reported with their row.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.badinput.conftest import INTERVIEW


def _transcript(tmp_path: Path) -> Path:
    # The same bytes as the template's B1, so the transcript itself is "unchanged".
    path = tmp_path / "B1.txt"
    path.write_text(INTERVIEW, encoding="utf-8")
    return path


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "metadata.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _attributes(outcome) -> dict:
    row = next(r for r in outcome.after["documents"] if r[0] == "B1")
    return next(json.loads(v) for v in row if isinstance(v, str) and v.startswith("{") and "district" in v)


def test_missing_document_column_is_an_error_on_row_1_and_changes_nothing(run, tmp_path):
    metadata = _csv(tmp_path, "name,district_type\nB1,rural\n")
    outcome = run("ingest", _transcript(tmp_path), "--metadata", metadata)
    errors = outcome.problem_lines("error:")
    assert errors == [line for line in errors if f"{metadata}, row 1" in line and "'document'" in line]
    assert len(errors) == 1
    assert "B1: unchanged" in outcome.output
    assert outcome.changed == set()


def test_duplicate_rows_are_a_warning_naming_the_row_and_the_later_row_wins(run, tmp_path):
    metadata = _csv(tmp_path, "document,district_type\nB1,rural\nB1,urban\n")
    outcome = run("ingest", _transcript(tmp_path), "--metadata", metadata)
    assert outcome.exit_code == 0, outcome.output
    warnings = outcome.problem_lines("warning:")
    assert any(f"{metadata}, row 3" in line and "appears again" in line for line in warnings), outcome.output
    assert outcome.changed == {"documents"}
    assert _attributes(outcome)["district_type"] == "urban"


def test_ragged_rows_are_warnings_naming_each_row(run, tmp_path):
    metadata = _csv(tmp_path, "document,district_type,enrollment\nB1,rural\nB9,urban,100,extra\n")
    outcome = run("ingest", _transcript(tmp_path), "--metadata", metadata)
    assert outcome.exit_code == 0, outcome.output
    warnings = outcome.problem_lines("warning:")
    assert any(f"{metadata}, row 2" in line for line in warnings), outcome.output
    assert any(f"{metadata}, row 3" in line for line in warnings), outcome.output
    assert outcome.changed == {"documents"}
    assert _attributes(outcome)["district_type"] == "rural"


def test_empty_metadata_file_is_an_error_and_changes_nothing(run, tmp_path):
    metadata = _csv(tmp_path, "\n\n")
    outcome = run("ingest", _transcript(tmp_path), "--metadata", metadata)
    assert any(str(metadata) in line for line in outcome.problem_lines("error:")), outcome.output
    assert outcome.changed == set()


def test_binary_metadata_file_is_an_error_and_changes_nothing(run, tmp_path):
    metadata = tmp_path / "metadata.csv"
    metadata.write_bytes(bytes(range(256)))
    outcome = run("ingest", _transcript(tmp_path), "--metadata", metadata)
    assert any(str(metadata) in line for line in outcome.problem_lines("error:")), outcome.output
    assert outcome.changed == set()


def test_two_document_columns_are_an_error_naming_the_column_letters_and_change_nothing(run, tmp_path):
    metadata = _csv(tmp_path, "document,district_type,document\nB1,rural,B2\n")
    outcome = run("ingest", _transcript(tmp_path), "--metadata", metadata)
    errors = outcome.problem_lines("error:")
    assert len(errors) == 1, outcome.output
    assert f"{metadata}, row 1" in errors[0] and "'document'" in errors[0] and "columns A and C" in errors[0]
    assert outcome.changed == set()


def test_attribute_columns_repeated_in_other_case_or_spacing_are_each_an_error(run, tmp_path):
    metadata = _csv(tmp_path, "document,Region,enrollment, region ,x,y,z,a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,"
                              "t,u,v,w,ENROLLMENT\nB1,West,100,East,,,,,,,,,,,,,,,,,,,,,,,,,,,200\n")
    outcome = run("ingest", _transcript(tmp_path), "--metadata", metadata)
    errors = outcome.problem_lines("error:")
    assert len(errors) == 2, outcome.output
    assert "'Region'" in errors[0] and "columns B and D" in errors[0]
    assert "'enrollment'" in errors[1] and "columns C and AE" in errors[1]
    assert outcome.changed == set()


def test_a_cell_over_the_csv_limit_is_an_error_line_and_the_transcripts_are_still_ingested(run, tmp_path):
    metadata = _csv(tmp_path, 'document,notes\nB1,"' + "x" * 200_000 + '"\n')
    outcome = run("ingest", _transcript(tmp_path), "--metadata", metadata)
    errors = outcome.problem_lines("error:")
    assert len(errors) == 1 and f"{metadata}:" in errors[0] and "not readable as CSV" in errors[0], outcome.output
    assert "B1: unchanged" in outcome.output
    assert outcome.changed == set()
