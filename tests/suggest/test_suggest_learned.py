"""The learned scorer: trains on coded units, beats the codebook on a planted problem, needs enough codings."""

from __future__ import annotations

import numpy as np
import pytest

from coding.suggest import (
    LearnedScorer,
    SuggestionInputError,
    ZeroShotScorer,
    build_units,
    combine,
    decide,
    label_matrix,
    learned_weight,
    unit_decisions,
    unit_labels,
)
from coding.suggest.labels import NEGATIVE, POSITIVE, UNKNOWN
from coding.suggest.linear import neighbour_vote
from coding.stats.agreement import cohen_kappa
from tests.suggest.conftest import planted_corpus, prototype_vectors, unit_vector


def _mean_kappa(decided: np.ndarray, gold: np.ndarray) -> float:
    return float(np.mean([cohen_kappa(gold[:, j].tolist(), decided[:, j].tolist()) for j in range(gold.shape[1])]))


def test_learned_model_recovers_codes_the_codebook_misdescribes():
    planted = planted_corpus(documents=8, noise=0.6)
    rng = np.random.default_rng(5)
    misleading = unit_vector(rng.normal(size=planted.directions.shape))  # codebook texts point elsewhere
    units = build_units(planted.vectors, planted.unit_of, planted.documents)
    codes = planted.codes
    labels = label_matrix(units.n_units, codes, {u: planted.gold.get(i, set()) for u, i in enumerate(planted.unit_ids)})
    gold = labels == POSITIVE
    held = planted.documents == "D0"
    training = labels.copy()
    training[held] = UNKNOWN
    learned = LearnedScorer().score(units, training, codes)
    zero_shot = ZeroShotScorer(prototype_vectors(codes, misleading)).score(units)
    n = units.n_units
    learned_kappa = _mean_kappa(unit_decisions(decide(learned.probability), units.unit_of, n)[held], gold[held])
    zero_shot_kappa = _mean_kappa(unit_decisions(decide(zero_shot.probability), units.unit_of, n)[held], gold[held])
    assert learned.trained.all()
    assert learned_kappa > 0.9
    assert zero_shot_kappa < 0.3
    assert np.all((learned.probability >= 0) & (learned.probability <= 1))


def test_codes_with_too_few_codings_get_no_model():
    planted = planted_corpus()
    units = build_units(planted.vectors, planted.unit_of, planted.documents)
    labels = np.full((units.n_units, 2), UNKNOWN, dtype=np.int8)
    labels[:10, 0] = NEGATIVE
    labels[:2, 0] = POSITIVE  # two positives: below the minimum of three
    labels[:, 1] = NEGATIVE
    labels[:5, 1] = POSITIVE
    scores = LearnedScorer().score(units, labels, ["A", "B"])
    assert scores.trained.tolist() == [False, True]
    assert np.isnan(scores.probability[:, 0]).all()
    assert not np.isnan(scores.probability[:, 1]).any()


def test_labels_must_match_the_units():
    planted = planted_corpus()
    units = build_units(planted.vectors, planted.unit_of, planted.documents)
    with pytest.raises(SuggestionInputError, match="labels must have shape"):
        LearnedScorer().score(units, np.zeros((3, 2), dtype=np.int8), ["A", "B"])


def test_learned_evidence_is_the_most_similar_excerpt_of_another_coded_unit():
    planted = planted_corpus()
    units = build_units(planted.vectors, planted.unit_of, planted.documents)
    labels = label_matrix(units.n_units, planted.codes,
                          {u: planted.gold.get(i, set()) for u, i in enumerate(planted.unit_ids)})
    scores = LearnedScorer().score(units, labels, planted.codes)
    excerpt = 0  # in a unit coded C0
    evidence = scores.evidence_excerpts(np.array([excerpt]), 0)[0]
    assert planted.unit_of[evidence] != planted.unit_of[excerpt]
    assert labels[planted.unit_of[evidence], 0] == POSITIVE


def test_coder_actions_become_labels_and_roll_up_from_excerpts_to_units():
    labels = label_matrix(4, ["A", "B"], applied={0: {"A", "OTHER"}}, reviewed=[1], rejected={2: {"B"}})
    assert labels.tolist() == [[1, 0], [0, 0], [-1, 0], [-1, -1]]
    excerpt_labels = np.array([[1, -1], [0, -1], [0, 0], [-1, -1]], dtype=np.int8)
    assert unit_labels(excerpt_labels, np.array([0, 0, 1, 2])).tolist() == [[1, -1], [0, 0], [-1, -1]]


def test_learned_probabilities_count_more_as_codings_accumulate():
    weight = learned_weight(np.array([0, 5, 10, 90]), np.array([False, True, True, True]), prior_labels=10)
    assert weight.tolist() == pytest.approx([0.0, 1 / 3, 0.5, 0.9])
    zero_shot = np.array([[0.2, 0.2, 0.2, 0.2]])
    learned = np.array([[np.nan, 0.8, 0.8, 0.8]])
    assert combine(zero_shot, learned, weight)[0].tolist() == pytest.approx([0.2, 0.4, 0.5, 0.74])


def test_neighbour_vote_weights_the_nearest_labelled_units_and_skips_the_unit_itself():
    labelled = np.eye(3)
    queries = unit_vector(np.array([[1.0, 0.9, 0.0], [0.0, 1.0, 0.9]]))
    targets = np.array([[1.0], [1.0], [0.0]])
    votes = neighbour_vote(queries, labelled, targets, k=2, temperature=10.0)
    assert votes[0, 0] == pytest.approx(1.0)  # both nearest are coded
    assert 0.5 < votes[1, 0] < 1.0  # nearest coded, second nearest not
    others = unit_vector(np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]))
    uncoded_self = neighbour_vote(others[:1], others, np.array([[0.0], [1.0], [0.0]]), k=1, temperature=10.0,
                                  exclude=np.array([0]))
    assert uncoded_self[0, 0] == pytest.approx(1.0)  # its own "no" is skipped; its nearest other unit is coded
    chunked = neighbour_vote(queries, labelled, targets, k=2, temperature=10.0, chunk=1)
    assert np.allclose(chunked, votes)
