"""Code frequencies: how many excerpts, turns and documents (cases) carry each code, overall and by attribute.

Counts are distinct units (see `coding.analysis.units` for what carries a code). With `rollup` (the default) a
parent code counts every unit carrying it or any of its descendants.
"""

from __future__ import annotations

import math
from collections import defaultdict

import pandas as pd

from coding.analysis.data import AnalysisData
from coding.analysis.units import Unit, check_unit, memberships, unit_table, units_by_code
from coding.errors import NotFound, Problem
from coding.models import AttributeValue

MISSING_VALUE = "(missing)"
FREQUENCY_COLUMNS = ["code", "name", "path", "depth", "codings", "excerpts", "turns", "documents",
                     "documents_total", "documents_pct"]
BY_ATTRIBUTE_COLUMNS = ["code", "name", "path", "value", "n", "total", "pct", "label"]


def percent(n: int, total: int) -> float:
    """n / total as a percentage rounded to one decimal; 0.0 when total is 0."""
    return round(100.0 * n / total, 1) if total else 0.0


def whole_percent(n: int, total: int) -> int:
    """Rounded half up, as people expect: 1 of 8 is 13%, not 12%."""
    return math.floor(100.0 * n / total + 0.5) if total else 0


def n_of_total(n: int, total: int) -> str:
    return f"{n} of {total} ({whole_percent(n, total)}%)"


def code_frequencies(data: AnalysisData, rollup: bool = True) -> pd.DataFrame:
    """One row per code (codebook order): codings, excerpts, turns and documents carrying it."""
    counts = {unit: units_by_code(data, unit, rollup) for unit in ("excerpt", "turn", "document")}
    codings: dict[str, int] = defaultdict(int)
    for coding in data.codings:
        for code in [coding.code, *(data.ancestors(coding.code) if rollup else [])]:
            codings[code] += 1
    total_documents = len(data.documents)
    rows = []
    for code in data.code_order():
        documents = len(counts["document"].get(code, ()))
        depth = data.codebook.depth(code) if code in data.codebook else 0
        rows.append((code, data.code_name(code), data.code_path(code), depth, codings.get(code, 0),
                     len(counts["excerpt"].get(code, ())), len(counts["turn"].get(code, ())), documents,
                     total_documents, percent(documents, total_documents)))
    return pd.DataFrame(rows, columns=FREQUENCY_COLUMNS)


def attribute_value_label(value: AttributeValue) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return MISSING_VALUE
    return str(value)


def _value_sort_key(label: str, raw: AttributeValue) -> tuple:
    if label == MISSING_VALUE:
        return (2, 0, "")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return (0, raw, "")
    return (1, 0, label.casefold())


def document_groups(data: AnalysisData, attribute: str) -> dict[str, list[str]]:
    """attribute value (as a label) -> documents, values in natural order and "(missing)" last."""
    if attribute not in data.attribute_names():
        available = ", ".join(data.attribute_names()) or "none (ingest with --metadata)"
        raise NotFound(Problem(f"no document has an attribute '{attribute}'", hint=f"attributes are: {available}"))
    groups: dict[str, list[str]] = defaultdict(list)
    raw_values: dict[str, AttributeValue] = {}
    for document in data.documents:
        raw = data.attributes[document].get(attribute)
        label = attribute_value_label(raw)
        groups[label].append(document)
        raw_values.setdefault(label, raw)
    ordered = sorted(groups, key=lambda label: _value_sort_key(label, raw_values[label]))
    return {label: groups[label] for label in ordered}


def frequencies_by_attribute(data: AnalysisData, attribute: str, unit: Unit = "document",
                             rollup: bool = True) -> pd.DataFrame:
    """Long table: for each code and attribute value, n units carrying the code of the group's total units.

    With the default unit "document" this is the "raised by 9 of 14 rural leaders (64%)" figure.
    """
    unit = check_unit(unit)
    groups = document_groups(data, attribute)
    group_of = {document: label for label, documents in groups.items() for document in documents}
    totals: dict[str, int] = defaultdict(int)
    for document in unit_table(data, unit)["document"]:
        totals[group_of[document]] += 1
    carried: dict[tuple[str, str], set[str]] = defaultdict(set)
    frame = memberships(data, unit, rollup)
    for code, document, unit_id in zip(frame["code"], frame["document"], frame["unit_id"]):
        carried[(code, group_of[document])].add(unit_id)
    rows = []
    for code in data.code_order():
        for label in groups:
            n, total = len(carried.get((code, label), ())), totals[label]
            rows.append((code, data.code_name(code), data.code_path(code), label, n, total, percent(n, total),
                         n_of_total(n, total)))
    return pd.DataFrame(rows, columns=BY_ATTRIBUTE_COLUMNS)


def by_attribute_table(long: pd.DataFrame) -> pd.DataFrame:
    """Wide table for display: code, name, then one "n of N (p%)" column per attribute value."""
    if long.empty:
        return pd.DataFrame(columns=["code", "name"])
    values = list(dict.fromkeys(long["value"]))
    wide = long.pivot(index="code", columns="value", values="label")
    order = list(dict.fromkeys(long["code"]))
    wide = wide.loc[order, values].reset_index()
    wide.columns.name = None
    names = dict(zip(long["code"], long["name"]))
    wide.insert(1, "name", [names[c] for c in wide["code"]])
    return wide


def frequency_sentence(long: pd.DataFrame, code: str, noun: str = "cases", unit: Unit = "document") -> str:
    """'EQUITY: raised by 9 of 14 rural cases (64%) vs 3 of 10 urban cases (30%)' from a by-attribute table."""
    rows = long[long["code"] == code]
    if rows.empty:
        raise NotFound(Problem(f"no code '{code}' in the table", code=code))
    verb = "raised by" if unit == "document" else "in"
    parts = [f"{r.n} of {r.total} {r.value} {noun} ({whole_percent(r.n, r.total)}%)" for r in rows.itertuples()]
    return f"{code}: {verb} " + " vs ".join(parts)
