"""Turning raw scores into probabilities: logistic maps, per-column standardisation and Platt scaling."""

from __future__ import annotations

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=np.float64)))


def standardise(scores: np.ndarray) -> np.ndarray:
    """Each column as z-scores over its rows, so codes whose cosines run generally high do not dominate."""
    scores = np.asarray(scores, dtype=np.float64)
    spread = scores.std(0)
    return (scores - scores.mean(0)) / np.where(spread > 1e-9, spread, 1.0)


def fit_platt(features: np.ndarray, labels: np.ndarray, l2: float = 0.01, iterations: int = 25) -> np.ndarray:
    """Logistic regression of `labels` (0/1) on a few score `features` by Newton steps; returns weights then bias.

    Small and exact on purpose: it runs once per code on every retrain, and a library call would cost more than
    the maths. The L2 penalty (not on the bias) keeps weights finite when the classes separate perfectly.
    """
    design = np.hstack([np.asarray(features, dtype=np.float64), np.ones((len(features), 1))])
    labels = np.asarray(labels, dtype=np.float64)
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 1e-6
    weights = np.zeros(design.shape[1])
    for _ in range(iterations):
        p = sigmoid(design @ weights)
        gradient = design.T @ (p - labels) + penalty * weights
        curvature = design.T @ (design * (p * (1 - p))[:, None]) + np.diag(penalty)
        step = np.linalg.solve(curvature, gradient)
        weights -= step
        if np.abs(step).max() < 1e-6:
            break
    return weights


def apply_platt(weights: np.ndarray, features: np.ndarray) -> np.ndarray:
    return sigmoid(np.asarray(features, dtype=np.float64) @ weights[:-1] + weights[-1])
