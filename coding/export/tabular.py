"""CSV and XLSX exports of the coded-excerpt rows.

CSV is UTF-8 with a byte order mark, so Excel shows accented names correctly. A text cell that a spreadsheet would
run as a formula (it starts with = + - @, a tab or a carriage return, or their full-width forms, perhaps after
spaces) gets a leading apostrophe, as OWASP recommends against CSV injection; the XLSX and QDPX exports keep such
text exactly as it is. The workbook has a "Codings" sheet
(every row), a "Codebook" sheet (ids, names, paths, definitions, rules and counts), a "Memos" sheet (every memo in
force, with its target) and one sheet per code in codebook order holding that code's rows. Cells are written as
plain values: text that starts with "=" stays text, never a formula, and control characters that XML cannot hold
are dropped.
"""

from __future__ import annotations

import io
import re

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from coding.codebook import Codebook
from coding.memos.model import Memo

SHEET_NAME_LIMIT = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
CODEBOOK_COLUMNS = ["id", "name", "parent", "path", "definition", "include", "exclude", "examples", "excerpts",
                    "turns", "documents"]


# Formula triggers in Excel, LibreOffice and Google Sheets, which also act after leading whitespace and in their
# full-width forms (＝＋－＠). Tab and carriage return at the very start are OWASP's other two triggers.
_FORMULA_START = re.compile(r"^(?:[\t\r]|\s*[=+\-@\uff1d\uff0b\uff0d\uff20])")
CSV_TEXT_GUARD = "'"


def spreadsheet_safe_text(value: object) -> object:
    """A text cell that would start a formula, prefixed with an apostrophe; anything else unchanged."""
    if isinstance(value, str) and _FORMULA_START.match(value):
        return CSV_TEXT_GUARD + value
    return value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells and column names cannot run as formulas when the CSV is opened."""
    safe = frame.astype(object).map(spreadsheet_safe_text) if len(frame.columns) else frame.copy()
    safe.columns = [spreadsheet_safe_text(str(c)) for c in frame.columns]
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The table as CSV (UTF-8 with BOM), formula-like text neutralised (`spreadsheet_safe`)."""
    return spreadsheet_safe(frame).to_csv(index=False).encode("utf-8-sig")


def clean_cell(value: object) -> object:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _write_sheet(sheet: Worksheet, frame: pd.DataFrame) -> None:
    sheet.append(list(frame.columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in frame.itertuples(index=False):
        sheet.append([clean_cell(v) for v in values])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":  # openpyxl reads "=..." as a formula; a transcript quote is text
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for index, column in enumerate(frame.columns, start=1):
        width = 60 if column in ("text", "definition") else min(40, max(10, len(str(column)) + 2))
        sheet.column_dimensions[get_column_letter(index)].width = width


def sheet_name(wanted: str, taken: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("_", wanted)[:SHEET_NAME_LIMIT] or "Sheet"
    name, number = base, 2
    while name.casefold() in taken:
        suffix = f"~{number}"
        name = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    taken.add(name.casefold())
    return name


def codebook_frame(codebook: Codebook, frequencies: pd.DataFrame | None = None) -> pd.DataFrame:
    counts = frequencies.set_index("code") if frequencies is not None else None
    rows = []
    for code in codebook.depth_first():
        found = counts is not None and code.id in counts.index
        rows.append((code.id, code.name, code.parent, codebook.path(code.id), code.definition,
                     "\n".join(code.include), "\n".join(code.exclude), "\n".join(code.examples),
                     int(counts.at[code.id, "excerpts"]) if found else None,
                     int(counts.at[code.id, "turns"]) if found else None,
                     int(counts.at[code.id, "documents"]) if found else None))
    return pd.DataFrame(rows, columns=CODEBOOK_COLUMNS)


MEMO_COLUMNS = ["memo", "on", "title", "text", "author", "created", "updated", "updated_by"]


def memos_frame(memos: list[Memo]) -> pd.DataFrame:
    """One row per memo in force: id, target (project, document:D07, code:COST, coding:ID, theme:RUN:ID), texts."""
    return pd.DataFrame([(m.id, m.target.label(), m.title, m.text, m.author, m.created_at, m.updated_at,
                          m.updated_by) for m in memos], columns=MEMO_COLUMNS)


def xlsx_bytes(frame: pd.DataFrame, codebook: Codebook, frequencies: pd.DataFrame | None = None,
               memos: list[Memo] | None = None) -> bytes:
    """The workbook: Codings, Codebook, Memos, then a sheet per code (named by code id) with that code's rows."""
    workbook = Workbook()
    taken: set[str] = set()
    codings = workbook.active
    codings.title = sheet_name("Codings", taken)
    _write_sheet(codings, frame)
    _write_sheet(workbook.create_sheet(sheet_name("Codebook", taken)), codebook_frame(codebook, frequencies))
    _write_sheet(workbook.create_sheet(sheet_name("Memos", taken)), memos_frame(memos or []))
    for code in codebook.depth_first():
        sheet = workbook.create_sheet(sheet_name(code.id, taken))
        _write_sheet(sheet, frame[frame["code"] == code.id])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
