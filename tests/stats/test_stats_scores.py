"""Precision, recall, F1 and kappa of a coder against a reference, including the zero-denominator rules."""

from __future__ import annotations

import pytest

from coding.stats.agreement import AgreementDataError, binary_scores, precision_recall_f1


def test_binary_scores_counts_and_f1() -> None:
    gold = [True, True, True, True, False, False, False, False, False, False]
    pred = [True, True, True, False, True, True, False, False, False, False]
    # tp = 3, fn = 1, fp = 2, tn = 4; precision = 3/5 = 0.6, recall = 3/4 = 0.75
    # f1 = 2 * 0.6 * 0.75 / (0.6 + 0.75) = 0.9 / 1.35 = 2/3 (= 2tp / (2tp + fp + fn) = 6/9)
    # kappa: po = 7/10, gold yes 0.4, pred yes 0.5 -> pe = 0.4*0.5 + 0.6*0.5 = 0.5 -> (0.7 - 0.5) / 0.5 = 0.4
    scores = binary_scores(gold, pred)
    assert (scores["tp"], scores["fp"], scores["fn"], scores["tn"]) == (3, 2, 1, 4)
    assert scores["support"] == 4
    assert scores["precision"] == pytest.approx(0.6)
    assert scores["recall"] == pytest.approx(0.75)
    assert scores["f1"] == pytest.approx(2 / 3)
    assert scores["kappa"] == pytest.approx(0.4)


def test_scores_are_perfect_when_nobody_marks_anything() -> None:
    scores = binary_scores([False] * 3, [False] * 3)
    assert (scores["precision"], scores["recall"], scores["f1"], scores["kappa"]) == (1.0, 1.0, 1.0, 1.0)
    assert scores["support"] == 0


def test_scores_are_zero_when_only_one_side_marks_anything() -> None:
    # nothing predicted, 2 gold positives: tp = fp = 0 -> precision 0.0 (not NaN), recall 0/2, f1 0
    assert precision_recall_f1(tp=0, fp=0, fn=2) == (0.0, 0.0, 0.0)
    # 2 predicted, no gold positives: precision 0/2, recall 0.0 (not NaN), f1 0
    assert precision_recall_f1(tp=0, fp=2, fn=0) == (0.0, 0.0, 0.0)


def test_binary_scores_rejects_missing_labels_and_unequal_lengths() -> None:
    with pytest.raises(AgreementDataError, match="no label for unit 0"):
        binary_scores([None, True], [True, True])
    with pytest.raises(AgreementDataError, match="different numbers"):
        binary_scores([True], [True, False])
