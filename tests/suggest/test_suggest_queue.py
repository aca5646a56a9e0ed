"""Review order: close calls first, dense regions favoured, the first batch spread out; or reading order."""

from __future__ import annotations

import numpy as np
import pytest

from coding.suggest import SuggestionInputError, document_order, review_order
from tests.suggest.conftest import unit_vector


def test_excerpts_with_a_probability_nearest_the_threshold_come_first():
    probability = np.array([[0.95, 0.01], [0.31, 0.02], [0.05, 0.6], [0.001, 0.001], [0.2, 0.28]])
    queue = review_order(probability, threshold=0.3)
    assert queue.order.tolist() == [1, 4, 2, 0, 3]  # 3 is a sure "no code": nothing to learn from it
    assert queue.code[4] == 1  # its close call is the second code (0.28 vs 0.3)
    assert np.all((queue.uncertainty >= 0) & (queue.uncertainty <= 1))


def test_reviewed_excerpts_are_left_out():
    probability = np.array([[0.3], [0.29], [0.9]])
    queue = review_order(probability, 0.3, reviewed=np.array([True, False, False]))
    assert queue.order.tolist() == [1, 2]


def test_the_first_batch_does_not_repeat_near_identical_excerpts():
    rng = np.random.default_rng(0)
    base = unit_vector(rng.normal(size=(3, 16)))
    vectors = np.vstack([base[0], base[0], base[0], base[1], base[2]])
    probability = np.array([[0.30], [0.30], [0.30], [0.25], [0.22]])
    plain = review_order(probability, 0.3, vectors=vectors, density_weight=0.0, diverse_first=1)
    assert plain.order[:3].tolist() == [0, 1, 2]
    diverse = review_order(probability, 0.3, vectors=vectors, density_weight=0.0, diverse_first=3, redundancy=0.5)
    assert sorted(diverse.order[:3].tolist()) == [0, 3, 4]


def test_among_equal_close_calls_the_one_in_a_dense_region_comes_first():
    rng = np.random.default_rng(1)
    cluster = unit_vector(np.ones(16) + 0.05 * rng.normal(size=(20, 16)))
    loner = unit_vector(rng.normal(size=(1, 16)))
    vectors = np.vstack([loner, cluster])
    probability = np.full((21, 1), 0.9)
    probability[0] = probability[1] = 0.3
    queue = review_order(probability, 0.3, vectors=vectors, diverse_first=1)
    assert queue.order[0] == 1


def test_document_order_sorts_by_position_and_skips_reviewed():
    keys = [("D2", 1, 1), ("D1", 4, 1), ("D1", 2, 2), ("D1", 2, 1)]
    assert document_order(keys).tolist() == [3, 2, 1, 0]
    assert document_order(keys, reviewed=np.array([False, False, True, False])).tolist() == [3, 1, 0]
    assert document_order(n=3).tolist() == [0, 1, 2]
    with pytest.raises(SuggestionInputError):
        document_order()
