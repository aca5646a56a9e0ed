"""Scores of one coder (or a model) against a reference coder (or gold labels), for one binary decision.

Zero denominators follow one rule, so nothing is NaN: a score whose denominator is 0 is 1.0 when there was
nothing to get wrong (no gold positives and no predicted positives) and 0.0 otherwise. F1 is computed as
2tp / (2tp + fp + fn), which is the harmonic mean of precision and recall wherever both are defined.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

from coding.errors import Problem
from coding.stats.coefficients import AgreementDataError, cohen_kappa, is_missing


class BinaryScores(TypedDict):
    precision: float
    recall: float
    f1: float
    support: int  # units the reference marked positive
    kappa: float
    tp: int
    fp: int
    fn: int
    tn: int


def precision_recall_f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts, with the module's rule for zero denominators."""
    precision = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
    recall = tp / (tp + fn) if tp + fn else (1.0 if fp == 0 else 0.0)
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    return precision, recall, f1


def _as_bools(values: Sequence[bool], who: str) -> list[bool]:
    for index, value in enumerate(values):
        if is_missing(value):
            raise AgreementDataError(
                Problem(f"{who} has no label for unit {index}", hint="give True or False for every unit")
            )
    return [bool(value) for value in values]


def binary_scores(gold: Sequence[bool], pred: Sequence[bool]) -> BinaryScores:
    """Precision, recall, F1, support, Cohen's kappa and the confusion counts of `pred` against `gold`."""
    gold_flags = _as_bools(gold, "the reference")
    pred_flags = _as_bools(pred, "the scored coder")
    kappa = cohen_kappa(gold_flags, pred_flags)  # also checks equal, non-zero lengths
    pairs = list(zip(gold_flags, pred_flags))
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    tn = len(pairs) - tp - fp - fn
    precision, recall, f1 = precision_recall_f1(tp, fp, fn)
    return BinaryScores(
        precision=precision, recall=recall, f1=f1, support=tp + fn, kappa=kappa, tp=tp, fp=fp, fn=fn, tn=tn
    )
