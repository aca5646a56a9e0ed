"""CSV and XLSX exports of the coded-excerpt rows, read back cell by cell."""

from __future__ import annotations

import csv
import io

import openpyxl

from coding.analysis import load_analysis
from coding.export.formats import ExportOptions, export_bytes
from coding.export.rows import coded_excerpt_rows, rows_frame
from coding.export.tabular import xlsx_bytes

HEADER = ["document", "turn", "speaker", "speaker_role", "start_time", "end_time", "district_type", "role",
          "region", "enrollment", "code", "code_name", "code_path", "coder", "source", "text", "start", "end",
          "excerpt_id"]


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_has_one_row_per_coding_with_context_and_attribute_columns(study):
    data = export_bytes(study, "csv")
    assert data.decode("utf-8-sig").splitlines()[0].split(",") == HEADER
    rows = _csv_rows(data)
    assert len(rows) == 12  # 9 codings by ana, 3 by ben
    first = rows[0]
    assert {k: first[k] for k in ("document", "turn", "speaker", "start_time", "district_type", "role", "code",
                                  "code_name", "code_path", "coder", "source")} == {
        "document": "R1", "turn": "2", "speaker": "Dr. Maria Alvarez", "start_time": "00:00:12",
        "district_type": "rural", "role": "Superintendent", "code": "COST", "code_name": "Cost",
        "code_path": "CONCERNS/COST", "coder": "ana", "source": "human"}
    assert first["text"] == "Our rural schools have thin broadband. Families cannot pay for devices."
    suggestion = next(r for r in rows if r["document"] == "U1")
    assert suggestion["source"] == "accepted-suggestion"


def test_csv_filters_by_coder_and_source(study):
    ben = _csv_rows(export_bytes(study, "csv", ExportOptions(coders=("ben",))))
    assert {r["coder"] for r in ben} == {"ben"} and len(ben) == 3
    suggested = _csv_rows(export_bytes(study, "csv", ExportOptions(sources=("accepted-suggestion",))))
    assert [(r["document"], r["code"]) for r in suggested] == [("U1", "COST")]


def test_xlsx_has_codings_codebook_and_a_sheet_per_code(study):
    book = openpyxl.load_workbook(io.BytesIO(export_bytes(study, "xlsx")))
    assert book.sheetnames == ["Codings", "Codebook", "Memos", "CONCERNS", "EQUITY", "COST", "OPPS", "TIME"]
    codings = book["Codings"]
    assert [c.value for c in codings[1]] == HEADER
    assert [c.value for c in codings[2]][:11] == ["R1", 2, "Dr. Maria Alvarez", "respondent", "00:00:12", None,
                                                   "rural", "Superintendent", "Midwest", 1200, "COST"]
    assert codings.max_row == 13
    equity = book["EQUITY"]
    assert equity.max_row == 1 + 6  # ana 4 + ben 2
    assert {equity.cell(row=r, column=11).value for r in range(2, 8)} == {"EQUITY"}
    assert book["CONCERNS"].max_row == 1  # parent codes have no direct codings
    codebook = book["Codebook"]
    assert [c.value for c in codebook[1]] == ["id", "name", "parent", "path", "definition", "include", "exclude",
                                              "examples", "excerpts", "turns", "documents"]
    assert [c.value for c in codebook[3]] == ["EQUITY", "Equity and access", "CONCERNS", "CONCERNS/EQUITY",
                                              "Unequal access to AI.", "broadband, devices", "prices (COST)", None,
                                              4, 4, 3]  # all coders: ben adds no new EQUITY unit


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text(study):
    data = load_analysis(study)
    frame = rows_frame(coded_excerpt_rows(data), data.attribute_names())
    frame.loc[0, "text"] = '=HYPERLINK("http://example.org","click")'
    frame.loc[1, "text"] = "bell\x07 character"
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, data.codebook)))
    cell = book["Codings"].cell(row=2, column=HEADER.index("text") + 1)
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://example.org","click")', "s")
    assert book["Codings"].cell(row=3, column=HEADER.index("text") + 1).value == "bell character"
