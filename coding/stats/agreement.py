"""Inter-coder agreement and evaluation statistics: the public API of `coding.stats`.

Coefficients on plain label sequences live in `coefficients` (kappa, alpha, bootstrap interval, percent
agreement), scores against a reference in `scores`, and the per-code report in `report`; import them from here.
"""

from coding.stats.coefficients import (
    AgreementDataError,
    bootstrap_alpha_ci,
    cohen_kappa,
    krippendorff_alpha_nominal,
    percent_agreement,
)
from coding.stats.report import AgreementReport, CodeAgreement, Disagreement, agreement_report, disagreements
from coding.stats.scores import BinaryScores, binary_scores, precision_recall_f1

__all__ = [
    "AgreementDataError",
    "AgreementReport",
    "BinaryScores",
    "CodeAgreement",
    "Disagreement",
    "agreement_report",
    "binary_scores",
    "bootstrap_alpha_ci",
    "cohen_kappa",
    "disagreements",
    "krippendorff_alpha_nominal",
    "percent_agreement",
    "precision_recall_f1",
]
