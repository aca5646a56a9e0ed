"""Code-by-document and code-by-coder matrices: how many units carry each code in each document, or for each coder.

Rows are codes in codebook order (every code, used or not); columns "code", "name", then one integer column per
document (or coder). `cell_units` returns what is behind a cell, for the app to show the excerpts.
"""

from __future__ import annotations

import pandas as pd

from coding.analysis.data import AnalysisData
from coding.analysis.units import Unit, check_unit, memberships, unit_table


def _matrix(data: AnalysisData, unit: Unit, rollup: bool, column: str, columns: list[str]) -> pd.DataFrame:
    frame = memberships(data, unit, rollup)
    distinct = frame.drop_duplicates(["code", column, "unit_id"])
    counts = distinct.groupby(["code", column]).size()
    rows = []
    for code in data.code_order():
        rows.append([code, data.code_name(code), *(int(counts.get((code, key), 0)) for key in columns)])
    return pd.DataFrame(rows, columns=["code", "name", *columns])


def code_document_matrix(data: AnalysisData, unit: Unit = "turn", rollup: bool = False) -> pd.DataFrame:
    """Units (turns by default) carrying each code in each document; with unit "document" a 0/1 presence table."""
    return _matrix(data, check_unit(unit), rollup, "document", data.documents)


def codes_by_coder(data: AnalysisData, unit: Unit = "turn", rollup: bool = False) -> pd.DataFrame:
    """Units carrying each code for each coder (among the coders the data keeps)."""
    coders = sorted({c.coder for c in data.codings})
    return _matrix(data, check_unit(unit), rollup, "coder", coders)


def cell_units(data: AnalysisData, code: str, unit: Unit = "turn", document: str | None = None,
               coder: str | None = None, rollup: bool = False) -> pd.DataFrame:
    """The units behind a matrix cell (a code in a document, or a code for a coder), with their text."""
    unit = check_unit(unit)
    frame = memberships(data, unit, rollup)
    frame = frame[frame["code"] == code]
    if document is not None:
        frame = frame[frame["document"] == document]
    if coder is not None:
        frame = frame[frame["coder"] == coder]
    coders = frame.groupby("unit_id")["coder"].agg(lambda s: ", ".join(sorted(set(s))))
    units = unit_table(data, unit)
    units = units[units["unit_id"].isin(coders.index)].reset_index(drop=True)
    units["coders"] = [coders[u] for u in units["unit_id"]]
    return units
