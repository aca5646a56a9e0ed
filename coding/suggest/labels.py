"""Human decisions as a label matrix: 1 = the code applies, 0 = it does not, -1 = not reviewed for that code.

Codings are made on excerpts or spans, but models train on units (turns): a unit is positive for a code if any of
its excerpts is, negative if all its reviewed excerpts are negative, unknown otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from coding.suggest.errors import SuggestionInputError

POSITIVE, NEGATIVE, UNKNOWN = 1, 0, -1


def label_matrix(
    n_rows: int,
    codes: Sequence[str],
    applied: Mapping[int, Iterable[str]],
    reviewed: Iterable[int] = (),
    rejected: Mapping[int, Iterable[str]] | None = None,
) -> np.ndarray:
    """Labels from what a coder did.

    applied: row -> codes the coder applied (those rows count as reviewed: other codes are negatives there).
    reviewed: rows the coder looked at and left uncoded (negative for every code).
    rejected: row -> codes whose suggestion the coder rejected (negative for those codes only).
    Codes outside `codes` are ignored, so codings with codes that are not suggested do no harm.
    """
    index = {code: j for j, code in enumerate(codes)}
    labels = np.full((n_rows, len(codes)), UNKNOWN, dtype=np.int8)
    for row in reviewed:
        labels[_row(row, n_rows)] = NEGATIVE
    for row, row_codes in applied.items():
        row = _row(row, n_rows)
        labels[row] = np.maximum(labels[row], NEGATIVE)
        for code in row_codes:
            if code in index:
                labels[row, index[code]] = POSITIVE
    for row, row_codes in (rejected or {}).items():
        row = _row(row, n_rows)
        for code in row_codes:
            if code in index and labels[row, index[code]] != POSITIVE:
                labels[row, index[code]] = NEGATIVE
    return labels


def _row(row: int, n_rows: int) -> int:
    if not 0 <= row < n_rows:
        raise SuggestionInputError(f"label row {row} is outside 0..{n_rows - 1}")
    return int(row)


def unit_labels(excerpt_labels: np.ndarray, unit_of: np.ndarray) -> np.ndarray:
    """Excerpt labels rolled up to units (see the module doc)."""
    excerpt_labels = np.asarray(excerpt_labels, dtype=np.int8)
    unit_of = np.asarray(unit_of)
    n_units = int(unit_of.max()) + 1
    positive = np.zeros((n_units, excerpt_labels.shape[1]), dtype=bool)
    known = np.zeros_like(positive)
    np.logical_or.at(positive, unit_of, excerpt_labels == POSITIVE)
    np.logical_or.at(known, unit_of, excerpt_labels != UNKNOWN)
    return np.where(positive, POSITIVE, np.where(known, NEGATIVE, UNKNOWN)).astype(np.int8)
