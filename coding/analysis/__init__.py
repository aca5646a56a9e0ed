"""Analysis of a coded project: frequencies, co-occurrence, matrices and agreement, as DataFrames and pydantic objects.

Load once with `load_analysis(store, coders=..., sources=...)`, then call any table function on the result.
Units (excerpt, turn, document) are defined in `coding.analysis.units`; Altair charts live in
`coding.analysis.charts` (import it separately: it is the only module that needs Altair).
"""

from coding.analysis.agreement_view import (
    AgreementView,
    DisagreementItem,
    agreement_table,
    agreement_view,
    disagreements_frame,
    side_by_side,
)
from coding.analysis.cooccurrence import cooccurrence, cooccurrence_matrix, cooccurrence_units
from coding.analysis.data import AnalysisData, CodingFilter, load_analysis
from coding.analysis.frequencies import (
    by_attribute_table,
    code_frequencies,
    frequencies_by_attribute,
    frequency_sentence,
    n_of_total,
)
from coding.analysis.matrix import cell_units, code_document_matrix, codes_by_coder
from coding.analysis.units import UNITS, Unit, memberships, unit_table

__all__ = [
    "UNITS",
    "AgreementView",
    "AnalysisData",
    "CodingFilter",
    "DisagreementItem",
    "Unit",
    "agreement_table",
    "agreement_view",
    "by_attribute_table",
    "cell_units",
    "code_document_matrix",
    "code_frequencies",
    "codes_by_coder",
    "cooccurrence",
    "cooccurrence_matrix",
    "cooccurrence_units",
    "disagreements_frame",
    "frequencies_by_attribute",
    "frequency_sentence",
    "load_analysis",
    "memberships",
    "n_of_total",
    "side_by_side",
    "unit_table",
]
