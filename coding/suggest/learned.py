"""Learned scores: per-code models trained on the coder's decisions, calibrated into probabilities.

Training units are turns (a coded turn labels its excerpts: multi-instance), represented by the mean of their
excerpt vectors plus, when given, the turn's context (the question it answers). For each code three
scores are computed and then stacked:
- ridge: a ridge regression on the unit vectors (closed form; all codes in one solve);
- neighbours: the similarity-weighted vote of the k most similar labelled units (label propagation in one step);
- best excerpt: the ridge model applied to each excerpt alone, maximum over the unit's excerpts, which catches a
  topic mentioned in one sentence of a long turn.
A per-code logistic regression (Platt scaling) on out-of-fold values of the three scores turns them into a
probability; folds never split a document, so the calibration sees the same kind of generalisation as new
documents do. Measured on the development corpus, leave one document out, mean kappa at each variant's best
threshold: class-weighted logistic regression 0.65, ridge 0.66, ridge calibrated 0.675, + neighbours 0.69,
+ best excerpt 0.70 (0.70 at the default threshold too; 0.73 when the question context is given).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from coding.suggest.calibration import apply_platt, fit_platt
from coding.suggest.errors import SuggestionInputError
from coding.suggest.labels import NEGATIVE, POSITIVE, UNKNOWN
from coding.suggest.linear import GramStats, RidgeModel, neighbour_vote
from coding.suggest.units import Units


class LearnedSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    ridge_penalty: float = Field(1.0, gt=0)
    neighbours: int = Field(20, ge=1)
    neighbour_temperature: float = Field(10.0, gt=0)
    context_weight: float = Field(0.5, ge=0, description="weight of the unit context added to unit vectors")
    folds: int = Field(5, ge=2, description="cross-validation folds for calibration, split by document")
    min_positives: int = Field(3, ge=1, description="a code needs this many positive units to get a model")
    min_negatives: int = Field(3, ge=1)
    platt_penalty: float = Field(0.01, ge=0)


@dataclass(frozen=True)
class LearnedScores:
    codes: list[str]
    probability: np.ndarray  # (n_excerpts, n_codes); NaN for codes without a model
    unit_probability: np.ndarray  # (n_units, n_codes); NaN for codes without a model
    trained: np.ndarray  # (n_codes,) bool
    positives: np.ndarray  # (n_codes,) labelled positive units per code
    unit_labels: np.ndarray
    units: Units

    def evidence_excerpts(self, excerpts: np.ndarray, code: int) -> np.ndarray:
        """For each excerpt, the most similar excerpt of another unit the coder gave `code` (-1 if none)."""
        excerpts = np.asarray(excerpts, dtype=np.int64)
        positive_units = np.flatnonzero(self.unit_labels[:, code] == POSITIVE)
        candidates = np.flatnonzero(np.isin(self.units.unit_of, positive_units))
        if len(candidates) == 0 or len(excerpts) == 0:
            return np.full(len(excerpts), -1, dtype=np.int64)
        similarity = self.units.excerpts[excerpts] @ self.units.excerpts[candidates].T
        same_unit = self.units.unit_of[excerpts][:, None] == self.units.unit_of[candidates][None, :]
        similarity[same_unit] = -np.inf
        best = similarity.argmax(1)
        found = np.isfinite(similarity[np.arange(len(excerpts)), best])
        return np.where(found, candidates[best], -1)


class LearnedScorer:
    def __init__(self, settings: LearnedSettings | None = None):
        self.settings = settings or LearnedSettings()

    def trainable(self, labels: np.ndarray) -> np.ndarray:
        """Per code, whether it has enough positive and negative units for a model."""
        labels = np.asarray(labels)
        s = self.settings
        return ((labels == POSITIVE).sum(0) >= s.min_positives) & ((labels == NEGATIVE).sum(0) >= s.min_negatives)

    def score(self, units: Units, labels: np.ndarray, codes: list[str],
              progress: Callable[[int, int], None] | None = None) -> LearnedScores:
        """Train on the labelled units (labels: (n_units, n_codes) of 1/0/-1) and score every excerpt and unit.
        `progress(done, total)` counts the codes with a model as their models are fitted."""
        labels = np.asarray(labels, dtype=np.int8)
        if labels.shape != (units.n_units, len(codes)):
            raise SuggestionInputError(f"labels must have shape ({units.n_units}, {len(codes)}), got {labels.shape}")
        s = self.settings
        features = units.units_with_context(s.context_weight)
        unit_p = np.full(labels.shape, np.nan)
        excerpt_p = np.full((units.n_excerpts, len(codes)), np.nan)
        positives = (labels == POSITIVE).sum(0)
        trainable = self.trainable(labels)
        fitted, to_fit = 0, int(trainable.sum())
        for mask_codes in _codes_by_mask(labels, trainable):
            rows = np.flatnonzero(labels[:, mask_codes[0]] != UNKNOWN)
            targets = (labels[np.ix_(rows, mask_codes)] == POSITIVE).astype(np.float64)
            u, e = self._fit_group(units, features, rows, targets)
            unit_p[:, mask_codes] = u
            excerpt_p[:, mask_codes] = e
            fitted += len(mask_codes)
            if progress is not None:
                progress(fitted, to_fit)
        return LearnedScores(list(codes), excerpt_p, unit_p, trainable, positives, labels, units)

    def _fit_group(
        self, units: Units, features: np.ndarray, rows: np.ndarray, targets: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Unit and excerpt probabilities for codes that share the same labelled units `rows`.

        The ridge model is trained on unit vectors (context included) and also applied to each excerpt's own vector.
        """
        s = self.settings
        folds = _folds(rows, units.documents, s.folds)
        total = GramStats.of(features[rows], targets)
        out_of_fold = np.zeros((len(rows), targets.shape[1], 3))
        for fold in np.unique(folds):
            held = folds == fold
            model = (total - GramStats.of(features[rows[held]], targets[held])).fit(s.ridge_penalty)
            out_of_fold[held, :, 0] = model.predict(features[rows[held]])
            out_of_fold[held, :, 2] = self._best_excerpt(units, model, rows[held])
            out_of_fold[held, :, 1] = neighbour_vote(features[rows[held]], features[rows[~held]], targets[~held],
                                                     s.neighbours, s.neighbour_temperature)
        model = total.fit(s.ridge_penalty)
        all_units = np.arange(units.n_units)
        ridge_units = model.predict(features)
        self_column = np.full(units.n_units, -1)
        self_column[rows] = np.arange(len(rows))
        neighbours = neighbour_vote(features, features[rows], targets, s.neighbours, s.neighbour_temperature,
                                    exclude=self_column)
        ridge_excerpts = model.predict(units.excerpts)
        best_excerpt = self._best_excerpt(units, model, all_units, ridge_excerpts)
        unit_p = np.empty((units.n_units, targets.shape[1]))
        excerpt_p = np.empty((units.n_excerpts, targets.shape[1]))
        for c in range(targets.shape[1]):
            weights = fit_platt(out_of_fold[:, c], targets[:, c], s.platt_penalty)
            unit_p[:, c] = apply_platt(weights, np.stack([ridge_units[:, c], neighbours[:, c],
                                                          best_excerpt[:, c]], 1))
            own = np.stack([ridge_units[units.unit_of, c], neighbours[units.unit_of, c], ridge_excerpts[:, c]], 1)
            excerpt_p[:, c] = apply_platt(weights, own)
        return unit_p, excerpt_p

    @staticmethod
    def _best_excerpt(
        units: Units, model: RidgeModel, chosen_units: np.ndarray, scores: np.ndarray | None = None
    ) -> np.ndarray:
        """Per unit in `chosen_units`, the highest ridge score among its excerpts."""
        chosen = np.zeros(units.n_units, dtype=bool)
        chosen[chosen_units] = True
        excerpts = np.flatnonzero(chosen[units.unit_of])
        values = model.predict(units.excerpts[excerpts]) if scores is None else scores[excerpts]
        best = np.full((units.n_units, values.shape[1]), -np.inf)
        np.maximum.at(best, units.unit_of[excerpts], values)
        return best[chosen_units]


def _codes_by_mask(labels: np.ndarray, trainable: np.ndarray) -> list[list[int]]:
    """Trainable codes grouped by which units are labelled for them, so each group is fitted in one solve."""
    groups: dict[bytes, list[int]] = {}
    for code in np.flatnonzero(trainable):
        groups.setdefault(np.packbits(labels[:, code] != UNKNOWN).tobytes(), []).append(int(code))
    return list(groups.values())


def _folds(rows: np.ndarray, documents: np.ndarray | None, n_folds: int) -> np.ndarray:
    """Fold number per labelled unit: whole documents per fold when documents are known, else round robin."""
    if documents is not None:
        names, doc_index = np.unique(documents[rows], return_inverse=True)
        if len(names) >= 2:
            order = np.random.default_rng(0).permutation(len(names))  # fixed: retrains stay reproducible
            return order[doc_index] % min(n_folds, len(names))
    return np.arange(len(rows)) % min(n_folds, max(2, len(rows)))
