"""Data for the agreement view: per-code kappa and alpha (with bootstrap intervals) and the disagreements to resolve.

Which units are compared: respondent turns (or excerpts) of the documents that every compared coder has coded at
least once, so that a coder who double-coded a sample is not scored on documents they never opened. Which codes:
those any compared coder applied in those units (a code nobody used would agree trivially). Each code is
present/absent per unit, as in `coding.stats.agreement_report`. The overall alpha pools every (unit, code)
decision; its bootstrap interval resamples those decisions (`coding.stats.bootstrap_alpha_ci`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

import pandas as pd
from pydantic import FiniteFloat

from coding.analysis.data import AnalysisData
from coding.analysis.units import check_unit, memberships, unit_table
from coding.errors import Problem
from coding.models import Frozen
from coding.stats.agreement import (
    AgreementDataError,
    AgreementReport,
    agreement_report,
    bootstrap_alpha_ci,
    disagreements,
)

AgreementUnit = Literal["turn", "excerpt"]


class Interval(Frozen):
    low: FiniteFloat
    high: FiniteFloat


class DisagreementItem(Frozen):
    unit_id: str
    document: str
    turn: int
    speaker: str | None
    text: str | None
    code: str
    code_name: str
    applied_by: list[str]
    not_applied_by: list[str]


class AgreementView(Frozen):
    unit: str
    coders: list[str]  # the first is the reference (precision/recall are scored against it)
    documents: list[str]
    n_units: int
    codes: list[str]
    code_names: dict[str, str]
    report: AgreementReport
    overall_alpha_ci: Interval
    code_alpha_ci: dict[str, Interval]
    level: float
    n_boot: int
    seed: int
    disagreements: list[DisagreementItem]
    unit_codes: dict[str, dict[str, list[str]]]  # coder -> unit id -> codes, for the side-by-side view


def _common_documents(data: AnalysisData, coders: list[str]) -> list[str]:
    coded: dict[str, set[str]] = defaultdict(set)
    for coding in data.codings:
        coded[coding.coder].add(coding.document)
    common = set.intersection(*(coded[c] for c in coders)) if coders else set()
    return sorted(common)


def agreement_view(data: AnalysisData, coders: list[str] | None = None, unit: AgreementUnit = "turn",
                   reference: str | None = None, n_boot: int = 1000, seed: int = 0,
                   level: float = 0.95) -> AgreementView:
    """Agreement between `coders` (default: every coder in `data`, at least two) over their common documents."""
    unit = check_unit(unit, ("turn", "excerpt"))
    present = sorted({c.coder for c in data.codings})
    chosen = list(dict.fromkeys(coders)) if coders else present
    if reference and reference in chosen:
        chosen = [reference] + [c for c in chosen if c != reference]
    missing = [c for c in chosen if c not in present]
    if missing or len(chosen) < 2:
        found = f"no codings by {missing[0]}" if missing else f"found {len(chosen)}"
        raise AgreementDataError(Problem(f"agreement needs two coders with codings; {found}",
                                         hint=f"coders are: {', '.join(present) or 'none yet'}"))
    subset = data.restricted(chosen)
    documents = _common_documents(subset, chosen)
    if not documents:
        raise AgreementDataError(Problem(f"coders {', '.join(chosen)} have not coded any document in common",
                                         hint="double-code a sample of documents first"))
    units = unit_table(subset, unit)
    units = units[units["document"].isin(documents) & (units["role"] == "respondent")]
    unit_ids = list(units["unit_id"])
    frame = memberships(subset, unit)
    frame = frame[frame["unit_id"].isin(set(unit_ids))]
    order = {code: position for position, code in enumerate(data.code_order())}
    unit_codes: dict[str, dict[str, list[str]]] = {c: {} for c in chosen}
    for (coder, unit_id), group in frame.groupby(["coder", "unit_id"]):
        unit_codes[coder][unit_id] = sorted(set(group["code"]), key=order.__getitem__)
    used = set(frame["code"])
    codes = [code for code in data.code_order() if code in used]
    if not codes:
        raise AgreementDataError(Problem("no code was applied to a respondent unit in the common documents"))
    coder_codes = {c: {u: set(v) for u, v in unit_codes[c].items()} for c in chosen}
    report = agreement_report(unit_ids, coder_codes, codes, unit=unit)
    pooled: list[tuple[bool, ...]] = []
    code_ci: dict[str, Interval] = {}
    for code in codes:
        rows = [tuple(code in coder_codes[c].get(u, ()) for c in chosen) for u in unit_ids]
        pooled.extend(rows)
        low, high = bootstrap_alpha_ci(rows, n_boot=n_boot, seed=seed, level=level)
        code_ci[code] = Interval(low=low, high=high)
    low, high = bootstrap_alpha_ci(pooled, n_boot=n_boot, seed=seed, level=level)
    by_id = units.set_index("unit_id")
    items = [
        DisagreementItem(unit_id=d.unit, document=by_id.at[d.unit, "document"], turn=int(by_id.at[d.unit, "turn"]),
                         speaker=by_id.at[d.unit, "speaker"], text=by_id.at[d.unit, "text"], code=d.code,
                         code_name=data.code_name(d.code), applied_by=d.applied_by, not_applied_by=d.not_applied_by)
        for d in disagreements(unit_ids, coder_codes, codes)
    ]
    return AgreementView(unit=unit, coders=chosen, documents=documents, n_units=len(unit_ids), codes=codes,
                         code_names={code: data.code_name(code) for code in codes}, report=report,
                         overall_alpha_ci=Interval(low=low, high=high), code_alpha_ci=code_ci,
                         level=level, n_boot=n_boot, seed=seed, disagreements=items, unit_codes=unit_codes)


AGREEMENT_COLUMNS = ["code", "name", "kappa", "alpha", "alpha_low", "alpha_high", "percent_agreement", "f1",
                     "precision", "recall", "support"]


def agreement_table(view: AgreementView) -> pd.DataFrame:
    """One row per code: kappa, alpha with its interval, percent agreement, F1/precision/recall vs the reference."""
    rows = []
    for code, result in view.report.codes.items():
        ci = view.code_alpha_ci[code]
        rows.append((code, view.code_names[code], round(result.kappa, 3), round(result.alpha, 3), round(ci.low, 3),
                     round(ci.high, 3), round(result.percent_agreement, 3), round(result.f1, 3),
                     round(result.precision, 3), round(result.recall, 3), result.support))
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def disagreements_frame(view: AgreementView) -> pd.DataFrame:
    """One row per (unit, code) some coders applied and others did not."""
    return pd.DataFrame(
        [(d.unit_id, d.document, d.turn, d.speaker, d.code, d.code_name, ", ".join(d.applied_by),
          ", ".join(d.not_applied_by), d.text) for d in view.disagreements],
        columns=["unit_id", "document", "turn", "speaker", "code", "name", "applied_by", "not_applied_by", "text"],
    )


def side_by_side(view: AgreementView) -> pd.DataFrame:
    """One row per unit with a disagreement: its text and, in one column per coder, the codes that coder gave."""
    seen: dict[str, DisagreementItem] = {}
    disputed: dict[str, list[str]] = defaultdict(list)
    for d in view.disagreements:
        seen.setdefault(d.unit_id, d)
        disputed[d.unit_id].append(d.code)
    rows = []
    for unit_id, d in seen.items():
        per_coder = [", ".join(view.unit_codes[c].get(unit_id, [])) for c in view.coders]
        rows.append((unit_id, d.document, d.turn, d.speaker, d.text, *per_coder, ", ".join(disputed[unit_id])))
    return pd.DataFrame(rows, columns=["unit_id", "document", "turn", "speaker", "text", *view.coders, "disputed"])
