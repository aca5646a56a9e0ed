"""Code co-occurrence within a unit (an excerpt or a turn): counts and Jaccard similarity, and the units behind a cell.

Two codes co-occur in a unit when the unit carries both (by any of the chosen coders). For codes a and b:
both = units carrying a and b, jaccard = both / units carrying a or b. The diagonal holds each code's own count.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from coding.analysis.data import AnalysisData
from coding.analysis.units import check_unit, memberships, unit_table, units_by_code

CooccurrenceUnit = Literal["excerpt", "turn"]
COOCCURRENCE_UNITS = ("excerpt", "turn")
COOCCURRENCE_COLUMNS = ["code_a", "code_b", "name_a", "name_b", "both", "units_a", "units_b", "jaccard"]


def used_codes(data: AnalysisData, carried: dict[str, set[str]]) -> list[str]:
    return [code for code in data.code_order() if carried.get(code)]


def cooccurrence(data: AnalysisData, unit: CooccurrenceUnit = "excerpt", rollup: bool = False,
                 codes: list[str] | None = None) -> pd.DataFrame:
    """Long table with one row per ordered pair of codes (a, b), diagonal included, codebook order.

    `codes` defaults to the codes carried by at least one unit.
    """
    unit = check_unit(unit, COOCCURRENCE_UNITS)
    carried = units_by_code(data, unit, rollup)
    chosen = codes if codes is not None else used_codes(data, carried)
    rows = []
    for a in chosen:
        units_a = carried.get(a, set())
        for b in chosen:
            units_b = carried.get(b, set())
            both = len(units_a & units_b)
            either = len(units_a | units_b)
            rows.append((a, b, data.code_name(a), data.code_name(b), both, len(units_a), len(units_b),
                         round(both / either, 4) if either else 0.0))
    return pd.DataFrame(rows, columns=COOCCURRENCE_COLUMNS)


def cooccurrence_matrix(long: pd.DataFrame, measure: Literal["both", "jaccard"] = "both") -> pd.DataFrame:
    """Square table (rows code_a, columns code_b) of `measure`, in the long table's code order."""
    order = list(dict.fromkeys(long["code_a"]))
    matrix = long.pivot(index="code_a", columns="code_b", values=measure).reindex(index=order, columns=order)
    matrix.index.name = "code"
    matrix.columns.name = None
    return matrix


def cooccurrence_units(data: AnalysisData, code_a: str, code_b: str, unit: CooccurrenceUnit = "excerpt",
                       rollup: bool = False) -> pd.DataFrame:
    """The units behind one cell: every unit carrying both codes, with its text and who coded what.

    Columns: unit_id, document, turn, speaker, text, coders_a, coders_b (coders who applied each code there).
    """
    unit = check_unit(unit, COOCCURRENCE_UNITS)
    frame = memberships(data, unit, rollup)
    coders = {code: frame[frame["code"] == code].groupby("unit_id")["coder"].agg(lambda s: sorted(set(s)))
              for code in (code_a, code_b)}
    shared = sorted(set(coders[code_a].index) & set(coders[code_b].index))
    units = unit_table(data, unit)
    units = units[units["unit_id"].isin(shared)].reset_index(drop=True)
    units["coders_a"] = [", ".join(coders[code_a][u]) for u in units["unit_id"]]
    units["coders_b"] = [", ".join(coders[code_b][u]) for u in units["unit_id"]]
    return units[["unit_id", "document", "turn", "speaker", "text", "coders_a", "coders_b"]]
