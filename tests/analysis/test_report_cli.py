"""`qcode report ...` on the tiny study: tables, JSON, cells, agreement, and clean errors."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_helpers import wide_qcode as qcode


def test_frequencies_by_attribute_prints_n_of_N_per_group(study_db):
    result = qcode("report", "frequencies", "--by", "district_type", "--coder", "ana", "--db", study_db)
    assert result.exit_code == 0
    line = next(line for line in result.output.splitlines() if "EQUITY" in line)
    assert "2 of 3 (67%)" in line and "1 of 2 (50%)" in line


def test_frequencies_json_and_csv(study_db, tmp_path):
    out = tmp_path / "freq.csv"
    result = qcode("report", "frequencies", "--json", "--csv", out, "--db", study_db)
    rows = {r["code"]: r for r in json.loads(result.output)}
    assert (rows["COST"]["turns"], rows["CONCERNS"]["documents"]) == (3, 4)
    assert out.read_text(encoding="utf-8-sig").startswith("code,name,path,depth,codings,excerpts,turns")


def test_cooccurrence_cell_lists_the_units_behind_it(study_db):
    result = qcode("report", "cooccurrence", "--unit", "turn", "--cell", "COST,TIME", "--json", "--db", study_db)
    [unit] = json.loads(result.output)
    assert (unit["unit_id"], unit["coders_a"], unit["coders_b"]) == ("R1:2", "ana", "ana")


def test_matrix_by_coder(study_db):
    result = qcode("report", "matrix", "--by-coder", "--json", "--db", study_db)
    rows = {r["code"]: r for r in json.loads(result.output)}
    assert (rows["EQUITY"]["ana"], rows["EQUITY"]["ben"]) == (4, 2)


def test_agreement_prints_alpha_with_its_interval_and_the_disagreements(study_db):
    result = qcode("report", "agreement", "--boot", "100", "--db", study_db)
    assert result.exit_code == 0
    assert "ana vs ben: 4 respondent turns in 2 common documents; alpha" in result.output
    assert "95% CI" in result.output
    side = qcode("report", "agreement", "--boot", "50", "--disagreements", "--json", "--db", study_db)
    assert [r["unit_id"] for r in json.loads(side.output)] == ["R1:2", "R2:2"]


def test_mistakes_are_one_clean_line(study_db):
    result = qcode("report", "frequencies", "--by", "county", "--db", study_db)
    assert result.exit_code == 1
    assert "no document has an attribute 'county'" in result.output
    result = qcode("report", "agreement", "--coder", "ana", "--db", study_db)
    assert result.exit_code == 1 and "agreement needs two coders" in result.output
