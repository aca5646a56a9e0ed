"""Co-occurrence, the code-by-document and code-by-coder matrices, and the units behind their cells."""

from __future__ import annotations

import pytest

from coding.analysis import (
    cell_units,
    code_document_matrix,
    codes_by_coder,
    cooccurrence,
    cooccurrence_matrix,
    cooccurrence_units,
    load_analysis,
)
from coding.errors import QcodeError


def _cell(long, a, b):
    row = long[(long["code_a"] == a) & (long["code_b"] == b)].iloc[0]
    return int(row["both"]), float(row["jaccard"])


def test_cooccurrence_within_excerpts_counts_units_with_both_codes_and_jaccard(study):
    long = cooccurrence(load_analysis(study, coders="ana"), unit="excerpt")
    assert list(dict.fromkeys(long["code_a"])) == ["EQUITY", "COST", "TIME"]  # used codes, codebook order
    assert _cell(long, "EQUITY", "COST") == (1, 0.2)  # R1:2:1; EQUITY 4 excerpts, COST 2
    assert _cell(long, "EQUITY", "TIME") == (1, round(1 / 6, 4))  # U2:2:1
    assert _cell(long, "COST", "TIME") == (0, 0.0)  # "thin broadband" covers too little of R1:2:1
    assert _cell(long, "TIME", "TIME") == (3, 1.0)


def test_cooccurrence_within_turns_sees_the_short_quote(study):
    long = cooccurrence(load_analysis(study, coders="ana"), unit="turn")
    assert _cell(long, "COST", "TIME") == (1, 0.25)  # R1:2; COST 2 turns, TIME 3
    matrix = cooccurrence_matrix(long, "both")
    assert list(matrix.index) == list(matrix.columns) == ["EQUITY", "COST", "TIME"]
    assert matrix.loc["EQUITY", "EQUITY"] == 4 and matrix.loc["COST", "TIME"] == matrix.loc["TIME", "COST"] == 1


def test_cell_units_are_the_excerpts_behind_a_cooccurrence_cell(study):
    units = cooccurrence_units(load_analysis(study), "EQUITY", "TIME", unit="excerpt")
    assert list(units["unit_id"]) == ["U2:2:1"]
    assert units.iloc[0]["text"].startswith("Some neighbourhoods still have no laptops.")
    assert (units.iloc[0]["coders_a"], units.iloc[0]["coders_b"]) == ("ana", "ana")


def test_cooccurrence_refuses_document_units(study):
    with pytest.raises(QcodeError, match="use one of: excerpt, turn"):
        cooccurrence(load_analysis(study), unit="document")


def test_code_document_matrix_counts_turns_per_document(study):
    matrix = code_document_matrix(load_analysis(study, coders="ana")).set_index("code")
    assert list(matrix.columns) == ["name", "R1", "R2", "R3", "U1", "U2"]
    assert list(matrix.loc["EQUITY", ["R1", "R2", "R3", "U1", "U2"]]) == [2, 1, 0, 0, 1]
    assert list(matrix.loc["CONCERNS", ["R1", "R2", "R3", "U1", "U2"]]) == [0, 0, 0, 0, 0]  # no roll-up
    presence = code_document_matrix(load_analysis(study, coders="ana"), unit="document", rollup=True)
    assert list(presence.set_index("code").loc["CONCERNS", ["R1", "R2", "R3", "U1", "U2"]]) == [1, 1, 0, 1, 1]


def test_codes_by_coder_and_the_units_behind_a_cell(study):
    matrix = codes_by_coder(load_analysis(study)).set_index("code")
    assert list(matrix.loc["EQUITY", ["ana", "ben"]]) == [4, 2]
    assert list(matrix.loc["COST", ["ana", "ben"]]) == [2, 1]
    behind = cell_units(load_analysis(study), "EQUITY", document="R1")
    assert list(behind["unit_id"]) == ["R1:2", "R1:4"]
    assert list(behind["coders"]) == ["ana, ben", "ana, ben"]
