"""The metadata CSV: a `document` column plus attribute columns typed where obvious."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from coding.errors import MetadataError
from coding.transcripts.metadata import read_metadata

METADATA_CSV = """\
document,district_type,enrollment,frl_pct,one_to_one,ai_stage
D01,suburban,8784,25.5,yes,piloting
D02,urban,"178,436",88,no,scaling
D03,rural,,41,,exploring
"""


def test_ints_stay_ints_floats_bools_and_strings_are_typed_by_column(write) -> None:
    attributes, warnings = read_metadata(write("metadata.csv", METADATA_CSV))
    assert warnings == []
    assert attributes["D01"] == {
        "district_type": "suburban", "enrollment": 8784, "frl_pct": 25.5, "one_to_one": True, "ai_stage": "piloting",
    }
    assert attributes["D02"]["enrollment"] == 178436
    assert isinstance(attributes["D02"]["enrollment"], int)
    assert attributes["D02"]["frl_pct"] == 88.0 and isinstance(attributes["D02"]["frl_pct"], float)
    assert attributes["D02"]["one_to_one"] is False


def test_empty_cells_become_none(write) -> None:
    attributes, _ = read_metadata(write("metadata.csv", METADATA_CSV))
    assert attributes["D03"]["enrollment"] is None
    assert attributes["D03"]["one_to_one"] is None


def test_a_column_mixing_numbers_and_words_stays_text(write) -> None:
    attributes, _ = read_metadata(write("m.csv", "document,cohort\nD01,1\nD02,pilot\n"))
    assert attributes == {"D01": {"cohort": "1"}, "D02": {"cohort": "pilot"}}


def test_codes_with_leading_zeros_stay_text(write) -> None:
    attributes, _ = read_metadata(write("m.csv", "document,zip,site\nD01,02139,007\nD02,10001,012\n"))
    assert attributes["D01"] == {"zip": "02139", "site": "007"}
    assert attributes["D02"] == {"zip": "10001", "site": "012"}


@pytest.mark.parametrize("word", ["Nan", "NaN", "inf", "Infinity", "1_000"])
def test_words_python_would_parse_as_numbers_stay_text(write, word: str) -> None:
    attributes, _ = read_metadata(write("m.csv", f"document,name\nD01,{word}\n"))
    assert attributes["D01"]["name"] == word


def test_negative_and_signed_numbers_are_numbers(write) -> None:
    attributes, _ = read_metadata(write("m.csv", "document,change,ratio\nD01,-12,-0.5\nD02,+3,1e3\nD03,0,0.0\n"))
    assert attributes["D01"] == {"change": -12, "ratio": -0.5}
    assert attributes["D02"] == {"change": 3, "ratio": 1000.0}
    assert attributes["D03"] == {"change": 0, "ratio": 0.0}


def test_document_column_is_found_in_any_position_and_case_and_extensions_are_dropped(write) -> None:
    attributes, _ = read_metadata(write("m.csv", "region,Document\nWest,D01.txt\nSouth,D02.docx\nEast,D03\n"))
    assert attributes == {"D01": {"region": "West"}, "D02": {"region": "South"}, "D03": {"region": "East"}}


def test_excel_utf8_bom_and_windows_1252_csv_files_read(write) -> None:
    text = "document,region\r\nD01,Tenéria\r\n"
    with_bom = read_metadata(write("bom.csv", codecs.BOM_UTF8 + text.encode("utf-8")))[0]
    ansi = read_metadata(write("ansi.csv", text.encode("cp1252")))[0]
    assert with_bom == ansi == {"D01": {"region": "Tenéria"}}


def test_missing_document_column_is_an_error_listing_the_columns(write) -> None:
    with pytest.raises(MetadataError) as caught:
        read_metadata(write("m.csv", "interview,region\nD01,West\n"))
    problem = caught.value.problems[0]
    assert problem.row == 1
    assert "interview, region" in problem.message
    assert problem.hint and "document" in problem.hint


def test_missing_metadata_file_is_an_error_naming_the_path(tmp_path: Path) -> None:
    with pytest.raises(MetadataError) as caught:
        read_metadata(tmp_path / "nope.csv")
    assert "nope.csv" in str(caught.value)
    assert "not found" in str(caught.value)


def test_a_folder_given_as_the_metadata_file_is_an_error_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(MetadataError) as caught:
        read_metadata(tmp_path)
    assert "cannot read the metadata file" in str(caught.value)
    assert str(tmp_path) in str(caught.value)


def test_empty_metadata_file_is_an_error(write) -> None:
    with pytest.raises(MetadataError, match="empty"):
        read_metadata(write("m.csv", ""))


def test_repeated_document_row_is_a_warning_with_its_row_and_the_later_row_wins(write) -> None:
    attributes, warnings = read_metadata(write("m.csv", "document,region\nD01,West\nD02,East\nD01,South\n"))
    assert attributes["D01"] == {"region": "South"}
    assert [(w.row, "appears again" in w.message) for w in warnings] == [(4, True)]


def test_ragged_rows_and_rows_without_a_document_are_warnings_not_errors(write) -> None:
    attributes, warnings = read_metadata(write("m.csv", "document,region,size\nD01,West\n,East,3\nD02,South,4\n"))
    assert attributes == {"D01": {"region": "West", "size": None}, "D02": {"region": "South", "size": 4}}
    assert [w.row for w in warnings] == [2, 3]
    assert "cells" in warnings[0].message
    assert "no document name" in warnings[1].message


@pytest.mark.parametrize(("index", "letters"), [(0, "A"), (2, "C"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"),
                                                (701, "ZZ"), (702, "AAA")])
def test_column_letters_count_like_a_spreadsheet(index: int, letters: str) -> None:
    from coding.transcripts.metadata import column_letter

    assert column_letter(index) == letters


def test_a_duplicate_column_is_an_error_not_a_silent_choice(write) -> None:
    path = write("m.csv", "document,cohort,Document\nD01,1,D02\n")
    with pytest.raises(MetadataError) as caught:
        read_metadata(path)
    [problem] = caught.value.problems
    assert (problem.row, problem.path) == (1, str(path))
    assert "columns A and C" in problem.message and "'document'" in problem.message


def test_a_name_repeated_three_times_lists_all_three_columns(write) -> None:
    with pytest.raises(MetadataError, match="appears 3 times \\(columns B, C and D\\)"):
        read_metadata(write("m.csv", "document,site,site,site\nD01,a,b,c\n"))


def test_several_unnamed_columns_are_not_duplicates(write) -> None:
    attributes, _ = read_metadata(write("m.csv", "document,,cohort,\nD01,x,1,y\n"))
    assert attributes == {"D01": {"cohort": 1}}


def test_row_numbers_in_warnings_count_blank_lines(write) -> None:
    _, warnings = read_metadata(write("m.csv", "\ndocument,cohort\nD01,1\n\nD01,2\n"))
    assert [(w.row, "appears again" in w.message) for w in warnings] == [(5, True)]


def test_a_header_after_blank_lines_is_named_by_its_own_row(write) -> None:
    with pytest.raises(MetadataError) as caught:
        read_metadata(write("m.csv", "\n\nsite,site\nA,B\n"))
    assert caught.value.problems[0].row == 3
