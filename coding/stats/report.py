"""Per-code agreement between coders over a set of units (turns, excerpts), and the cases they disagree on.

Each coder is given as {unit_id: set of codes applied}. A unit missing from a coder's mapping counts as coded
with nothing (coders usually list only the units they coded). Units outside `unit_ids` and codes outside `codes`
are ignored, so a report can cover a double-coded sample or a subset of the codebook.

The first coder (or `reference`) is the reference, e.g. gold labels: precision, recall and F1 score the other
coder against it. With more than two coders, kappa and percent agreement are means over all coder pairs,
precision/recall/F1 are means over the non-reference coders each scored against the reference, and counts are
summed over those coders; alpha always uses all coders at once.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from itertools import combinations
from statistics import fmean

from pydantic import FiniteFloat

from coding.errors import Problem
from coding.models import Frozen
from coding.stats.coefficients import AgreementDataError, cohen_kappa, krippendorff_alpha_nominal, percent_agreement
from coding.stats.scores import binary_scores, precision_recall_f1

UnitId = str | int | tuple[str | int, ...]  # e.g. "D07:12", 12 or ("D07", 12)
CoderCodes = Mapping[str, Mapping[Hashable, set[str] | frozenset[str] | Sequence[str]]]


class CodeAgreement(Frozen):
    kappa: FiniteFloat  # Cohen's kappa; mean over coder pairs when there are more than two coders
    alpha: FiniteFloat  # Krippendorff's alpha (nominal) on presence/absence, all coders
    f1: FiniteFloat  # of the other coder(s) against the reference
    precision: FiniteFloat
    recall: FiniteFloat
    percent_agreement: FiniteFloat
    support: int  # units the reference applied the code to
    counts: dict[str, int]  # tp, fp, fn, tn against the reference, summed over the non-reference coders


class AgreementReport(Frozen):
    unit: str  # what a unit is, e.g. "turn" or "excerpt"
    codes: dict[str, CodeAgreement]
    mean_kappa: FiniteFloat  # plain mean of the per-code kappas
    macro_f1: FiniteFloat  # plain mean of the per-code F1s
    micro_f1: FiniteFloat  # F1 of the counts pooled over every (unit, code) pair
    overall_alpha: FiniteFloat  # alpha over every (unit, code) presence decision pooled


class Disagreement(Frozen):
    unit: UnitId
    code: str
    applied_by: list[str]
    not_applied_by: list[str]


def _ordered_coders(coder_codes: CoderCodes, reference: str | None) -> list[str]:
    coders = list(coder_codes)
    if len(coders) < 2:
        raise AgreementDataError(
            Problem(f"agreement needs at least two coders, got {len(coders)}", hint="pass one mapping per coder")
        )
    if reference is None:
        return coders
    if reference not in coder_codes:
        raise AgreementDataError(
            Problem(f"reference coder {reference!r} is not among the coders", hint=f"choose one of {coders}")
        )
    return [reference] + [coder for coder in coders if coder != reference]


def _check_inputs(unit_ids: Sequence[Hashable], coder_codes: CoderCodes, codes: Sequence[str]) -> None:
    if not unit_ids:
        raise AgreementDataError(Problem("there are no units to compare", hint="pass the ids of the units coded"))
    if not codes:
        raise AgreementDataError(Problem("there are no codes to compare", hint="pass the code ids to report on"))
    for what, values in (("unit id", unit_ids), ("code", codes)):
        seen: set[Hashable] = set()
        for value in values:
            if value in seen:
                raise AgreementDataError(Problem(f"{what} {value!r} is listed twice", hint="list each once"))
            seen.add(value)
    units = set(unit_ids)
    for coder, coded in coder_codes.items():
        for unit, applied in coded.items():
            if isinstance(applied, str):
                raise AgreementDataError(
                    Problem(
                        f"coder {coder!r} gives unit {unit!r} the string {applied!r} instead of a set of codes",
                        hint=f"write {{{applied!r}}} for a single code",
                    )
                )
        coded_units = [unit for unit, applied in coded.items() if applied]
        if coded_units and units.isdisjoint(coded_units):
            raise AgreementDataError(
                Problem(
                    f"coder {coder!r} coded {len(coded_units)} units but none of the units compared",
                    hint=f"unit ids must match exactly, type included (e.g. {coded_units[0]!r} is not among them)",
                )
            )


def _presence(
    unit_ids: Sequence[Hashable], coder_codes: CoderCodes, coders: Sequence[str], code: str
) -> dict[str, list[bool]]:
    """For one code, each coder's presence flag per unit, in `unit_ids` order."""
    return {coder: [code in (coder_codes[coder].get(unit) or ()) for unit in unit_ids] for coder in coders}


def _code_agreement(flags: dict[str, list[bool]], coders: Sequence[str]) -> CodeAgreement:
    reference, others = coders[0], coders[1:]
    pairs = list(combinations(coders, 2))
    scored = [binary_scores(flags[reference], flags[other]) for other in others]
    counts = {key: sum(score[key] for score in scored) for key in ("tp", "fp", "fn", "tn")}
    return CodeAgreement(
        kappa=fmean(cohen_kappa(flags[a], flags[b]) for a, b in pairs),
        alpha=krippendorff_alpha_nominal(list(zip(*(flags[coder] for coder in coders)))),
        f1=fmean(score["f1"] for score in scored),
        precision=fmean(score["precision"] for score in scored),
        recall=fmean(score["recall"] for score in scored),
        percent_agreement=fmean(percent_agreement(flags[a], flags[b]) for a, b in pairs),
        support=sum(flags[reference]),
        counts=counts,
    )


def agreement_report(
    unit_ids: Sequence[Hashable],
    coder_codes: CoderCodes,
    codes: Sequence[str],
    unit: str,
    reference: str | None = None,
) -> AgreementReport:
    """Agreement per code and overall, treating each code as present/absent on each unit (see module doc)."""
    coders = _ordered_coders(coder_codes, reference)
    _check_inputs(unit_ids, coder_codes, codes)
    per_code: dict[str, CodeAgreement] = {}
    pooled_rows: list[tuple[bool, ...]] = []
    for code in codes:
        flags = _presence(unit_ids, coder_codes, coders, code)
        per_code[code] = _code_agreement(flags, coders)
        pooled_rows.extend(zip(*(flags[coder] for coder in coders)))
    total = {key: sum(result.counts[key] for result in per_code.values()) for key in ("tp", "fp", "fn")}
    _, _, micro_f1 = precision_recall_f1(total["tp"], total["fp"], total["fn"])
    return AgreementReport(
        unit=unit,
        codes=per_code,
        mean_kappa=fmean(result.kappa for result in per_code.values()),
        macro_f1=fmean(result.f1 for result in per_code.values()),
        micro_f1=micro_f1,
        overall_alpha=krippendorff_alpha_nominal(pooled_rows),
    )


def disagreements(
    unit_ids: Sequence[Hashable], coder_codes: CoderCodes, codes: Sequence[str]
) -> list[Disagreement]:
    """Every (unit, code) that some coders applied and others did not, in unit then code order, for resolution."""
    coders = _ordered_coders(coder_codes, None)
    _check_inputs(unit_ids, coder_codes, codes)
    found: list[Disagreement] = []
    for unit in unit_ids:
        for code in codes:
            applied = [coder for coder in coders if code in (coder_codes[coder].get(unit) or ())]
            if 0 < len(applied) < len(coders):
                not_applied = [coder for coder in coders if coder not in applied]
                found.append(Disagreement(unit=unit, code=code, applied_by=applied, not_applied_by=not_applied))
    return found
