"""Zero-shot probabilities: in 0..1, ordered like the scores, lowered by competition and by negatives."""

from __future__ import annotations

import numpy as np

from coding.suggest import DecisionRule, ZeroShotScorer, build_units, calibrate, decide
from coding.suggest.calibration import apply_platt, fit_platt, standardise
from tests.suggest.conftest import planted_corpus, prototype_vectors, unit_vector


def test_calibrated_probabilities_stay_between_zero_and_one_and_rise_with_the_score():
    z = np.linspace(-50, 50, 2001)
    probability = calibrate(z, np.zeros_like(z))
    assert np.all((probability >= 0) & (probability <= 1))
    assert np.all(np.diff(probability) >= 0)
    assert probability[0] < 0.01 and probability[-1] > 0.99


def test_a_code_far_behind_the_excerpts_best_code_gets_a_lower_probability():
    z = np.full(5, 2.0)
    gaps = np.array([0.0, 0.5, 1.0, 2.0, 4.0])
    assert np.all(np.diff(calibrate(z, gaps)) < 0)


def test_zero_shot_probabilities_are_in_range_and_ordered_like_similarity():
    planted = planted_corpus()
    units = build_units(planted.vectors, planted.unit_of, planted.documents)
    scores = ZeroShotScorer(prototype_vectors(planted.codes, planted.directions)).score(units)
    assert scores.probability.shape == (len(planted.vectors), len(planted.codes))
    assert np.all((scores.probability > 0) & (scores.probability < 1))
    # Within a code, a higher z-score never gets a lower probability when the gap is the same (the best code).
    best = scores.z.argmax(1)
    for code in range(len(planted.codes)):
        rows = np.flatnonzero(best == code)
        order = np.argsort(scores.z[rows, code])
        assert np.all(np.diff(scores.probability[rows, code][order]) >= -1e-12)


def test_scores_are_standardised_per_code_so_a_generally_close_code_does_not_win_everywhere():
    raw = np.array([[0.9, 0.1], [0.8, 0.3], [0.85, 0.2], [0.95, 0.0]])  # code 0 is close to everything
    z = standardise(raw)
    assert np.allclose(z.mean(0), 0) and np.allclose(z.std(0), 1)
    assert z[1].argmax() == 1  # the excerpt unusually close to code 1 now prefers it


def test_a_negative_text_near_the_excerpt_lowers_its_score():
    planted = planted_corpus()
    units = build_units(planted.vectors, planted.unit_of, planted.documents)
    code0_excerpts = np.flatnonzero(np.isin(planted.unit_of, [u for u, i in enumerate(planted.unit_ids)
                                                               if planted.gold.get(i) == {"C0"}]))
    plain = ZeroShotScorer(prototype_vectors(planted.codes, planted.directions)).score(units)
    # A counterexample lying exactly where the code's first excerpt lies: that excerpt is closer to it than to C0.
    negative = planted.vectors[code0_excerpts[:1]]
    penalised = ZeroShotScorer(prototype_vectors(planted.codes, planted.directions, negative, [0])).score(units)
    target = code0_excerpts[0]
    assert penalised.z[target, 0] < plain.z[target, 0]
    assert penalised.probability[target, 0] < plain.probability[target, 0]
    # Other codes are untouched.
    assert np.allclose(penalised.z[:, 1:], plain.z[:, 1:])


def test_an_excerpt_can_get_several_codes():
    probability = np.array([[0.8, 0.7, 0.1], [0.9, 0.2, 0.05]])
    chosen = decide(probability, DecisionRule(threshold=0.3, relative=0.5))
    assert chosen[0].tolist() == [True, True, False]
    assert chosen[1].tolist() == [True, False, False]
    assert decide(probability, DecisionRule(threshold=0.3, relative=0.5, max_codes=1))[0].tolist() == [True, False,
                                                                                                        False]


def test_an_excerpt_about_two_codes_gets_both_from_zero_shot():
    planted = planted_corpus()
    mixed = unit_vector(planted.directions[0] + planted.directions[1])
    vectors = np.vstack([planted.vectors, mixed[None, :]])
    unit_of = np.append(planted.unit_of, planted.unit_of.max() + 1)
    units = build_units(vectors, unit_of)
    scores = ZeroShotScorer(prototype_vectors(planted.codes, planted.directions)).score(units)
    row = scores.probability[-1]
    assert min(row[0], row[1]) > 5 * max(row[2:])
    # Half-way between two codes is weaker evidence than a clear case, so it takes a lower threshold; both codes
    # pass it together, and the codes it is not about do not.
    suggested = decide(scores.probability, DecisionRule(threshold=0.15))
    assert suggested[-1].tolist() == [True, True, False, False]


def test_platt_scaling_recovers_a_known_logistic_relation():
    rng = np.random.default_rng(1)
    score = rng.normal(size=(4000, 1))
    labels = rng.random(4000) < 1 / (1 + np.exp(-(2.0 * score[:, 0] - 1.0)))
    weights = fit_platt(score, labels, l2=0.0)
    assert abs(weights[0] - 2.0) < 0.3 and abs(weights[1] + 1.0) < 0.3
    probability = apply_platt(weights, score)
    assert np.all((probability > 0) & (probability < 1))


def test_the_projects_own_codings_replace_the_prior_calibration(planted):
    from coding.suggest import build_units, label_matrix, score_corpus
    from coding.suggest.zero_shot import MIN_CALIBRATION_POSITIVES, ZeroShotScorer, ZeroShotSettings, fit_calibration

    units = build_units(planted.vectors, planted.unit_of, planted.documents)
    prototypes = prototype_vectors(planted.codes, planted.directions)
    labels = label_matrix(len(planted.unit_ids), planted.codes,
                          {row: planted.gold.get(unit, set()) for row, unit in enumerate(planted.unit_ids)})
    scores = ZeroShotScorer(prototypes).score(units)
    fitted = fit_calibration(scores, units, labels)
    prior = ZeroShotSettings()
    assert fitted is not None and fitted.slope > 0
    assert (fitted.slope, fitted.gap_slope, fitted.intercept) != (prior.slope, prior.gap_slope, prior.intercept)
    # the planted codes are easy: the project's own calibration is surer of them than the prior was
    scored = score_corpus(units, prototypes, labels)
    positive = labels[planted.unit_of] == 1
    assert scored.calibration == fitted
    assert scored.zero_shot.probability[positive].mean() > scores.probability[positive].mean()
    few = labels.copy()
    few[(np.cumsum(labels == 1, axis=None).reshape(labels.shape) > MIN_CALIBRATION_POSITIVES - 1) & (labels == 1)] = -1
    assert fit_calibration(scores, units, few) is None
    assert score_corpus(units, prototypes, None).calibration is None
