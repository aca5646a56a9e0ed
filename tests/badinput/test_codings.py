"""Bad codings CSVs given to `qcode import-codings`: one line per bad row (with its row number), no traceback."""

from __future__ import annotations

from pathlib import Path

from tests.badinput.conftest import assert_refused


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "codings.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _import(run, path: Path):
    return run("import-codings", path, "--coder", "ana")


def test_unknown_code_is_reported_with_its_row(run, tmp_path):
    path = _csv(tmp_path, "document,turn,code\nB1,2,NO_SUCH_CODE\n")
    errors = assert_refused(_import(run, path), path, where=f"{path}, row 2")
    assert any("NO_SUCH_CODE" in line for line in errors)


def test_unknown_document_is_reported_with_its_row(run, tmp_path):
    path = _csv(tmp_path, "document,turn,code\nB99,2,COST\n")
    errors = assert_refused(_import(run, path), path, where=f"{path}, row 2")
    assert any("B99" in line for line in errors)


def test_turn_out_of_range_is_reported_with_its_row(run, tmp_path):
    path = _csv(tmp_path, "document,turn,code\nB1,999,COST\nB1,0,COST\nB1,two,COST\n")
    errors = assert_refused(_import(run, path), path)
    for row in (2, 3, 4):
        assert any(f"{path}, row {row}" in line for line in errors), errors
    assert len(errors) == 3


def test_quote_not_found_is_reported_with_its_row(run, tmp_path):
    path = _csv(tmp_path, 'document,code,segment\nB1,COST,"a sentence nobody ever said in this interview"\n')
    assert_refused(_import(run, path), path, where=f"{path}, row 2")


def test_unrecognised_columns_are_reported_on_row_1(run, tmp_path):
    path = _csv(tmp_path, "doc,where,what\nB1,2,COST\n")
    assert_refused(_import(run, path), path, where=f"{path}, row 1")


def test_binary_codings_file_is_refused(run, tmp_path):
    path = tmp_path / "codings.csv"
    path.write_bytes(b"\x00\xff" * 200)
    assert_refused(_import(run, path), path)


def test_good_rows_are_imported_as_one_batch_and_bad_rows_are_listed(run, tmp_path):
    path = _csv(tmp_path, "document,turn,code\nB1,2,COST\nB1,4,PILOTS\nB1,2,NOPE\nB42,2,COST\n")
    outcome = _import(run, path)
    assert outcome.exit_code == 0, outcome.output
    not_imported = outcome.problem_lines("not imported:")
    assert len(not_imported) == 2
    assert any(f"{path}, row 4" in line for line in not_imported)
    assert any(f"{path}, row 5" in line for line in not_imported)
    assert outcome.changed == {"decisions", "codings"}
    new_decisions = set(outcome.after["decisions"]) - set(outcome.before["decisions"])
    assert len(new_decisions) == 2
    assert len({row for row in outcome.after["codings"]} - set(outcome.before["codings"])) == 2


def test_a_codings_csv_with_two_code_columns_is_refused_naming_the_column_letters(run, tmp_path):
    path = _csv(tmp_path, "document,turn,code,Code\nB1,2,COST,PILOTS\n")
    errors = assert_refused(_import(run, path), path, where=f"{path}, row 1")
    assert len(errors) == 1 and "'code'" in errors[0] and "columns C and D" in errors[0]


def test_a_quote_over_the_csv_cell_limit_is_refused_with_its_line(run, tmp_path):
    path = _csv(tmp_path, 'document,code,segment\nB1,COST,"ok"\nB1,COST,"' + "budget " * 30_000 + '"\n')
    errors = assert_refused(_import(run, path), path, where=f"{path}:")
    assert len(errors) == 1 and "not readable as CSV" in errors[0]


def test_a_folder_given_as_the_codings_file_is_refused(run, tmp_path):
    folder = tmp_path / "codings.csv"
    folder.mkdir()
    errors = assert_refused(_import(run, folder), folder)
    assert len(errors) == 1 and "cannot read" in errors[0]


def test_row_numbers_count_blank_lines_as_a_spreadsheet_does(run, tmp_path):
    path = _csv(tmp_path, "document,turn,code\n\nB1,2,NOPE\n")
    assert_refused(_import(run, path), path, where=f"{path}, row 3")


def test_a_codings_path_too_long_for_the_file_system_is_refused(run, tmp_path):
    path = tmp_path / ("c" * 300 + ".csv")
    errors = assert_refused(_import(run, path), path)
    assert len(errors) == 1 and "cannot read" in errors[0]
