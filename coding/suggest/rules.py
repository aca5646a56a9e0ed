"""Which scores become suggestions, and how zero-shot and learned probabilities are combined.

An excerpt may get several codes: every code whose probability reaches `threshold` and at least `relative` times
the excerpt's best code's probability (codes compete a little, so a weak second code next to a clear first one is
left out). With calibrated probabilities a threshold well below 0.5 is right for a reviewer: the threshold that
maximises F1 is about half the F1 reachable, and 0.3-0.4 is where agreement with a human coder peaked.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field


class DecisionRule(BaseModel):
    model_config = ConfigDict(frozen=True)

    threshold: float = Field(0.3, ge=0, le=1, description="lowest probability that is suggested")
    relative: float = Field(0.5, ge=0, le=1, description="share of the excerpt's best probability a code needs")
    max_codes: int | None = Field(None, ge=1, description="at most this many codes per excerpt (None: no limit)")
    dialogue_weight: float | None = Field(
        None, ge=0, le=1, description="how much the turns just before and after raise a code's probability "
        "(coding.suggest.dialogue); 0 reads every turn alone; None chooses it on the coder's coded turns (0.4 "
        "until there are enough)"
    )


def decide(probability: np.ndarray, rule: DecisionRule | None = None) -> np.ndarray:
    """Boolean (n_excerpts, n_codes): which (excerpt, code) pairs are suggested."""
    rule = rule or DecisionRule()
    probability = np.nan_to_num(np.asarray(probability, dtype=np.float64), nan=0.0)
    chosen = (probability >= rule.threshold) & (probability >= rule.relative * probability.max(1, keepdims=True))
    if rule.max_codes is not None and probability.shape[1] > rule.max_codes:
        rank = np.argsort(np.argsort(-probability, axis=1, kind="stable"), axis=1)
        chosen &= rank < rule.max_codes
    return chosen


def learned_weight(positives: np.ndarray, trained: np.ndarray, prior_labels: float = 10.0) -> np.ndarray:
    """Per code, how much the learned probability counts: n / (n + prior_labels) for n positive units.

    With a handful of codings the codebook still speaks loudest; with dozens the coder's own decisions do.
    """
    positives = np.asarray(positives, dtype=np.float64)
    share = np.divide(positives, positives + prior_labels, out=np.ones_like(positives), where=positives > 0)
    return np.where(np.asarray(trained, dtype=bool), share, 0.0)


def combine(zero_shot: np.ndarray, learned: np.ndarray | None, weight: np.ndarray | None) -> np.ndarray:
    """Weighted mean of zero-shot and learned probabilities per code (zero-shot alone where there is no model)."""
    if learned is None or weight is None:
        return np.asarray(zero_shot, dtype=np.float64)
    learned = np.nan_to_num(np.asarray(learned, dtype=np.float64), nan=0.0)
    return (1 - weight) * zero_shot + weight * learned
