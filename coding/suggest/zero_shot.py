"""Zero-shot scores: how well each excerpt fits each code, from the codebook alone, as calibrated probabilities.

The method, each step measured on a development corpus (see benchmarks/bench_suggestions.py):
1. A code's query is the mean of its embedded positive texts (name, definition, include rules, examples), each
   centred like the excerpts. (Mean of separately embedded texts beat one concatenated text and max-over-examples.)
2. Pseudo-relevance feedback, using the unlabelled corpus transductively: units (turns) that score at least
   `feedback_z` standard deviations above a code's corpus mean, and score higher for it than for any other code,
   are averaged into the query, which then keeps `prototype_weight` of the codebook's own direction (more when
   only a few units fed back: a small corpus should not pull a code towards one turn). Repeated `feedback_rounds`
   times. This adapts the codebook's wording to how people actually talk in the interviews.
3. Scores are standardised per code over the corpus (z-scores), so a code whose texts happen to sit close to
   everything does not win everywhere.
4. An excerpt's score mixes its own z-score with its unit's (`own_weight`); the unit's vector may include the
   question the turn answers.
5. Negatives (exclude rules, counterexamples) lower a score where an excerpt is closer to a negative text than to
   the code's query.
6. Calibration: probability = sigmoid(slope * z - gap_slope * gap + intercept), where gap is how far the excerpt's
   best code scores above this one: codes compete, and a code far behind the excerpt's best is unlikely.
   Once a coder has coded enough turns, the three constants are fitted on the project itself (`fit_calibration`,
   logistic regression on the coder's turn-level codes, pooled over codes), so a probability means what it says
   for these interviews, this codebook and this coder. Before that, the defaults below are a prior: fitted once on a
   development corpus (corpus-dev), in z units, independent of any code or wording. Measured there, leave one
   document out, the project's own fit reproduces the prior's agreement (zero-shot mean kappa 0.555 vs 0.553 on the
   check halves), so nothing is lost where the prior is right, and it stops mattering where it is not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from coding.suggest.calibration import fit_platt, sigmoid, standardise
from coding.suggest.prototypes import PrototypeVectors
from coding.suggest.units import Units, unit_rows


class ZeroShotSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    own_weight: float = Field(0.3, ge=0, le=1, description="share of an excerpt's own score vs its unit's")
    context_weight: float = Field(0.25, ge=0, description="weight of the unit context (question) in unit vectors")
    feedback_rounds: int = Field(3, ge=0)
    feedback_z: float = Field(2.0, description="z-score a unit needs to feed back into a code's query")
    prototype_weight: float = Field(0.3, ge=0, le=1, description="share of the codebook direction kept per round")
    feedback_prior: float = Field(3.0, ge=0, description="feedback from n units gets weight n / (n + this)")
    negative_weight: float = Field(0.5, ge=0, description="z units taken off per unit of cosine a negative wins by")
    slope: float = 1.28
    gap_slope: float = 0.64
    intercept: float = -2.71


# Coded (turn, code) pairs needed before the project's own calibration replaces the prior.
MIN_CALIBRATION_POSITIVES = 20


def gap_to_best(z: np.ndarray) -> np.ndarray:
    """Per excerpt and code, how far the excerpt's best code scores above this one."""
    return z.max(1, keepdims=True) - z


def calibrate(z: np.ndarray, gap: np.ndarray, settings: ZeroShotSettings = ZeroShotSettings()) -> np.ndarray:
    """Probabilities in (0, 1): increasing in z, decreasing in the gap to the excerpt's best code."""
    return sigmoid(settings.slope * np.asarray(z) - settings.gap_slope * np.asarray(gap) + settings.intercept)


@dataclass(frozen=True)
class ZeroShotScores:
    codes: list[str]
    z: np.ndarray  # (n_excerpts, n_codes) standardised scores, context mixed in, negatives applied
    probability: np.ndarray  # (n_excerpts, n_codes) calibrated into 0..1
    queries: np.ndarray  # (n_codes, dim) the refined code queries, in the centred space
    evidence_index: np.ndarray  # (n_excerpts, n_codes) row of the nearest positive prototype text
    prototypes: PrototypeVectors

    def evidence(self, excerpt: int, code: int) -> str:
        """The codebook text (example, rule, definition or name) nearest to the excerpt for this code."""
        return self.prototypes.positive_texts[int(self.evidence_index[excerpt, code])]


class ZeroShotScorer:
    """Scores every excerpt of a corpus against every code; `score` uses the whole corpus it is given."""

    def __init__(self, prototypes: PrototypeVectors, settings: ZeroShotSettings | None = None):
        self.prototypes = prototypes
        self.settings = settings or ZeroShotSettings()

    def base_queries(self, units: Units) -> np.ndarray:
        """Per code, the normalised mean of its centred positive texts."""
        centred = units.centre(self.prototypes.positive)
        owner = self.prototypes.positive_owner
        sums = np.zeros((len(self.prototypes.codes), centred.shape[1]), dtype=np.float32)
        np.add.at(sums, owner, centred)
        return unit_rows(sums)

    def refine(self, queries: np.ndarray, unit_vectors: np.ndarray) -> np.ndarray:
        """Pseudo-relevance feedback from the units each code wins clearly (see the module doc, step 2)."""
        s = self.settings
        refined = queries
        for _ in range(s.feedback_rounds):
            z = standardise(unit_vectors @ refined.T)
            chosen = (z >= s.feedback_z) & (z >= z.max(1, keepdims=True))
            counts = chosen.sum(0)
            feedback = unit_rows((chosen.T.astype(np.float32) @ unit_vectors) / np.maximum(counts, 1)[:, None])
            share = ((1 - s.prototype_weight) * counts / (counts + s.feedback_prior))[:, None]
            refined = unit_rows((1 - share) * queries + share * feedback)
        return refined

    def _negative_penalty(self, vectors: np.ndarray, negatives: np.ndarray, positive_cos: np.ndarray) -> np.ndarray:
        """z units to subtract where a code's negative text is nearer than the code's query."""
        penalty = np.zeros_like(positive_cos)
        if len(negatives) == 0 or self.settings.negative_weight == 0:
            return penalty
        negative_cos = vectors @ negatives.T
        for row, code in enumerate(self.prototypes.negative_owner):
            penalty[:, code] = np.maximum(penalty[:, code], negative_cos[:, row] - positive_cos[:, code])
        spread = positive_cos.std(0)
        return self.settings.negative_weight * penalty / np.where(spread > 1e-9, spread, 1.0)

    def score(self, units: Units) -> ZeroShotScores:
        s = self.settings
        negatives = units.centre(self.prototypes.negative)
        unit_vectors = units.units_with_context(s.context_weight)
        queries = self.refine(self.base_queries(units), unit_vectors)
        unit_cos = unit_vectors @ queries.T
        own_cos = units.excerpts @ queries.T
        unit_z = standardise(unit_cos) - self._negative_penalty(unit_vectors, negatives, unit_cos)
        own_z = standardise(own_cos) - self._negative_penalty(units.excerpts, negatives, own_cos)
        z = s.own_weight * own_z + (1 - s.own_weight) * unit_z[units.unit_of]
        gap = gap_to_best(z)
        return ZeroShotScores(
            codes=list(self.prototypes.codes),
            z=z,
            probability=calibrate(z, gap, s),
            queries=queries,
            evidence_index=self._nearest_positive(units),
            prototypes=self.prototypes,
        )

    def _nearest_positive(self, units: Units) -> np.ndarray:
        mixed = unit_rows(units.excerpts + units.units[units.unit_of])
        similarity = mixed @ units.centre(self.prototypes.positive).T
        owner = self.prototypes.positive_owner
        index = np.zeros((units.n_excerpts, len(self.prototypes.codes)), dtype=np.int64)
        for code in range(len(self.prototypes.codes)):
            rows = np.flatnonzero(owner == code)
            index[:, code] = rows[similarity[:, rows].argmax(1)]
        return index


def fit_calibration(scores: ZeroShotScores, units: Units, labels: np.ndarray,
                    settings: ZeroShotSettings | None = None) -> ZeroShotSettings | None:
    """The calibration constants fitted on the coder's labelled units (labels: (n_units, n_codes) of 1/0/-1),
    pooled over codes, with each unit represented by its best excerpt; None while there are too few positives."""
    settings = settings or ZeroShotSettings()
    labels = np.asarray(labels)
    known = labels != -1
    if (labels == 1).sum() < MIN_CALIBRATION_POSITIVES or (labels == 0).sum() < MIN_CALIBRATION_POSITIVES:
        return None
    gap = gap_to_best(scores.z)
    unit_z = units.excerpt_max(scores.z)
    unit_gap = -units.excerpt_max(-gap)
    weights = fit_platt(np.stack([unit_z[known], unit_gap[known]], 1), labels[known] == 1)
    if weights[0] <= 0:  # a score that does not rise with the code's presence is no basis for a calibration
        return None
    return settings.model_copy(update={"slope": float(weights[0]), "gap_slope": float(-weights[1]),
                                       "intercept": float(weights[2])})


def recalibrated(scores: ZeroShotScores, settings: ZeroShotSettings, rows: np.ndarray | None = None) -> np.ndarray:
    """Probabilities of `scores` (of `rows` only, when given) under other calibration constants."""
    z = scores.z if rows is None else scores.z[rows]
    return calibrate(z, gap_to_best(z), settings)
