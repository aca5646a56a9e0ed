"""Inter-coder agreement over a project: per-code kappa, alpha, F1 and the disagreements to resolve."""

from __future__ import annotations

from coding.errors import Problem, QcodeError
from coding.project_codebook import require_codebook
from coding.stats.agreement import AgreementReport, Disagreement, agreement_report, disagreements
from coding.store import ProjectStore
from coding.units import coder_unit_codes, unit_ids


def _inputs(store: ProjectStore, coders: list[str], unit: str, codes: list[str] | None):
    if len(coders) < 2:
        raise QcodeError(Problem("agreement needs at least two coders", hint="e.g. --coders ana,ben or ana,suggested"))
    if codes is None:
        _, codebook = require_codebook(store)
        codes = [c.id for c in codebook.leaves()]
    return unit_ids(store, unit), coder_unit_codes(store, coders, unit), codes


def project_agreement(store: ProjectStore, coders: list[str], unit: str = "turn",
                      codes: list[str] | None = None) -> AgreementReport:
    """The first coder is the reference for precision/recall/F1; mean kappa is over the codebook's leaf codes."""
    units, coder_codes, codes = _inputs(store, coders, unit, codes)
    return agreement_report(units, coder_codes, codes, unit=unit, reference=coders[0])


def project_disagreements(store: ProjectStore, coders: list[str], unit: str = "turn",
                          codes: list[str] | None = None) -> list[Disagreement]:
    units, coder_codes, codes = _inputs(store, coders, unit, codes)
    return disagreements(units, coder_codes, codes)
