"""Document attributes from a metadata CSV: a `document` column plus any attribute columns, typed where obvious."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from coding.errors import MetadataError, Problem, QcodeError
from coding.models import AttributeValue
from coding.readers.encoding import decode_transcript

_TRUE = {"true", "yes"}
_FALSE = {"false", "no"}


def read_metadata(path: Path) -> tuple[dict[str, dict[str, AttributeValue]], list[Problem]]:
    """Attributes per document name, and warnings (duplicate rows, ragged rows) that did not stop the read."""
    records = read_csv_records(path, MetadataError, "metadata file", hint="check the --metadata path")
    # Numbered as a spreadsheet numbers rows: blank lines count.
    rows = [(number, row) for number, row in enumerate(records, start=1) if any(cell.strip() for cell in row)]
    if not rows:
        raise MetadataError(Problem("the metadata file has no rows", path=str(path)))
    header_row, first = rows[0]
    header = [cell.strip().lstrip("\ufeff") for cell in first]
    duplicates = duplicate_column_problems(header, path, header_row)
    if duplicates:
        raise MetadataError(duplicates)
    lowered = [name.lower() for name in header]
    if "document" not in lowered:
        raise MetadataError(
            Problem(
                f"no 'document' column (columns are: {', '.join(header)})",
                path=str(path),
                row=header_row,
                hint="add a 'document' column holding each transcript's file name without extension",
            )
        )
    key = lowered.index("document")
    warnings: list[Problem] = []
    raw: dict[str, dict[str, str]] = {}
    for row_number, row in rows[1:]:
        if len(row) != len(header):
            warnings.append(
                Problem(f"row has {len(row)} cells but the header has {len(header)}; missing cells are left empty",
                        path=str(path), row=row_number)
            )
        document = row[key].strip() if key < len(row) else ""
        if not document:
            warnings.append(Problem("row has no document name; skipped", path=str(path), row=row_number))
            continue
        document = Path(document).stem if Path(document).suffix.lower() in _TRANSCRIPT_SUFFIXES else document
        if document in raw:
            warnings.append(
                Problem(f"document {document} appears again; this later row wins", path=str(path), row=row_number)
            )
        raw[document] = {
            name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header) if i != key and name
        }
    columns = [name for i, name in enumerate(header) if i != key and name]
    typed_columns = {name: _column_type([values.get(name, "") for values in raw.values()]) for name in columns}
    attributes = {
        document: {name: _convert(values.get(name, ""), typed_columns[name]) for name in columns}
        for document, values in raw.items()
    }
    return attributes, warnings


def read_csv_records(path: Path, error: type[QcodeError], what: str, hint: str) -> list[list[str]]:
    """Every record of a CSV file, or `error` naming the file (and line) when it cannot be read as one: missing, a
    folder, unreadable, not text, or broken CSV (a cell over the csv module's 131,072-character limit)."""
    try:
        if not path.exists():
            raise error(Problem(f"{what} not found", path=str(path), hint=hint))
        text = decode_transcript(path, path.read_bytes())
    except QcodeError as problem:
        raise error(problem.problems) from None
    except OSError as failure:  # a folder, or a file we may not read
        raise error(Problem(f"cannot read the {what}: {failure.strerror}", path=str(path), hint=hint)) from None
    reader = csv.reader(io.StringIO(text))
    try:
        return list(reader)
    except csv.Error as failure:
        raise error(Problem(f"not readable as CSV ({failure})", path=str(path), line=reader.line_num,
                            hint="open it in a spreadsheet, check that cell, and save it as CSV again")) from None


def column_letter(index: int) -> str:
    """Spreadsheet letters for a 0-based column index: 0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def duplicate_column_problems(header: list[str], path: Path, header_row: int = 1) -> list[Problem]:
    """One problem per column name (compared without case or surrounding spaces) that heads more than one column:
    only one of them could be used, and which one would be a silent guess."""
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        key = name.strip().lstrip("\ufeff").casefold()
        if key:
            positions.setdefault(key, []).append(index)
    return [
        Problem(f"column '{header[indexes[0]].strip()}' appears {len(indexes)} times (columns "
                f"{', '.join(column_letter(i) for i in indexes[:-1])} and {column_letter(indexes[-1])})",
                path=str(path), row=header_row, hint="rename or delete all but one of them")
        for indexes in positions.values() if len(indexes) > 1
    ]


_TRANSCRIPT_SUFFIXES = {".txt", ".md", ".vtt", ".srt", ".docx"}
# Plain numerals only: Python's int()/float() also accept "nan", "inf" and "1_000", and would turn the codes "02139"
# or "007" into numbers that lose their leading zeros.
_INT = re.compile(r"^[+-]?(?:0|[1-9]\d*|[1-9]\d{0,2}(?:,\d{3})+)$")
_FLOAT = re.compile(r"^[+-]?(?:(?:0|[1-9]\d*)(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def _column_type(values: list[str]) -> type:
    present = [v for v in values if v != ""]
    if not present:
        return str
    for kind, pattern in ((int, _INT), (float, _FLOAT)):
        if all(pattern.match(value) for value in present):
            return kind
    if all(v.lower() in _TRUE | _FALSE for v in present):
        return bool
    return str


def _convert(value: str, kind: type) -> AttributeValue:
    if value == "":
        return None
    if kind is int:
        return int(value.replace(",", ""))
    if kind is float:
        return float(value)
    if kind is bool:
        return value.lower() in _TRUE
    return value
