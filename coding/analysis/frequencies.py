"""Code frequencies: how many excerpts, turns and documents (cases) carry each code, overall and by attribute.

Counts are distinct units (see `coding.analysis.units` for what carries a code). With `rollup` (the default) a
parent code counts every unit carrying it or any of its descendants.

Denominators count only the documents the chosen coders have coded at all (at least one coding): a transcript
nobody has coded yet says nothing about whether a code is absent from it, so it is reported as "not yet coded"
instead of counting as a case without the code.
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
                     "documents_total", "documents_pct", "documents_not_coded"]
BY_ATTRIBUTE_COLUMNS = ["code", "name", "path", "value", "n", "total", "pct", "not_coded", "label"]


def coded_documents(data: AnalysisData) -> list[str]:
    """Documents holding at least one of the (filtered) codings: the cases a frequency can speak about."""
    held = {coding.document for coding in data.codings}
    return [document for document in data.documents if document in held]


def not_coded_documents(data: AnalysisData) -> list[str]:
    """Documents the chosen coders have not coded yet (left out of every denominator)."""
    held = set(coded_documents(data))
    return [document for document in data.documents if document not in held]


def group_label(n: int, total: int, not_coded: int) -> str:
    """"2 of 3 (67%)", with "; 1 not yet coded" when some of the group's documents are not coded yet."""
    if total == 0:
        if not not_coded:
            return n_of_total(n, total)
        return f"not yet coded ({not_coded} document{'s' if not_coded != 1 else ''})"
    return n_of_total(n, total) + (f"; {not_coded} not yet coded" if not_coded else "")


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
    total_documents = len(coded_documents(data))
    not_coded = len(data.documents) - total_documents
    rows = []
    for code in data.code_order():
        documents = len(counts["document"].get(code, ()))
        depth = data.codebook.depth(code) if code in data.codebook else 0
        rows.append((code, data.code_name(code), data.code_path(code), depth, codings.get(code, 0),
                     len(counts["excerpt"].get(code, ())), len(counts["turn"].get(code, ())), documents,
                     total_documents, percent(documents, total_documents), not_coded))
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
    coded = set(coded_documents(data))
    totals: dict[str, int] = defaultdict(int)
    for document in unit_table(data, unit)["document"]:
        if document in coded:
            totals[group_of[document]] += 1
    not_coded = {label: sum(d not in coded for d in documents) for label, documents in groups.items()}
    carried: dict[tuple[str, str], set[str]] = defaultdict(set)
    frame = memberships(data, unit, rollup)
    for code, document, unit_id in zip(frame["code"], frame["document"], frame["unit_id"]):
        carried[(code, group_of[document])].add(unit_id)
    rows = []
    for code in data.code_order():
        for label in groups:
            n, total = len(carried.get((code, label), ())), totals[label]
            rows.append((code, data.code_name(code), data.code_path(code), label, n, total, percent(n, total),
                         not_coded[label], group_label(n, total, not_coded[label])))
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
    parts = [f"{r.n} of {r.total} {r.value} {noun} ({whole_percent(r.n, r.total)}%)" if r.total
             else f"no {r.value} {noun} coded yet" for r in rows.itertuples()]
    return f"{code}: {verb} " + " vs ".join(parts)
