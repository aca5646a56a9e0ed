"""The turns around a turn raise a code's probability: neighbours, the boost, and where it is applied."""

from __future__ import annotations

import numpy as np
import pytest

from coding.embedding import HashEmbedder
from coding.suggest import (
    DecisionRule,
    SuggestionInputError,
    build_prototypes,
    build_units,
    decide,
    embed_prototypes,
    evaluate,
    score_corpus,
    to_suggestions,
)
from coding.suggest.dialogue import (
    NO_NEIGHBOUR,
    PRIOR_WEIGHT,
    adjacent_units,
    around_mean,
    choose_weight,
    with_dialogue,
)
from tests.suggest.test_suggest_decide import CODES, TEXTS


def test_neighbours_follow_the_reading_order_inside_each_document_whatever_the_input_order():
    documents = ["B", "A", "A", "B", "A"]
    positions = [4, 6, 2, 2, 4]  # turn numbers: A reads 2, 4, 6 (units 2, 4, 1); B reads 2, 4 (units 3, 0)
    neighbours = adjacent_units(documents, positions)
    assert neighbours.tolist() == [[3, NO_NEIGHBOUR], [4, NO_NEIGHBOUR], [NO_NEIGHBOUR, 4], [NO_NEIGHBOUR, 0], [2, 1]]


def test_neighbours_need_one_position_per_document_entry():
    with pytest.raises(ValueError, match="3 documents for 2 positions"):
        adjacent_units(["A", "A", "B"], [1, 2])


def test_the_mean_around_a_turn_uses_the_neighbours_it_has():
    values = np.array([[1.0, 0.0], [0.0, 0.0], [0.5, 1.0]])
    neighbours = adjacent_units(["A", "A", "A"], [1, 2, 3])
    assert around_mean(values, neighbours).tolist() == [[0.0, 0.0], [0.75, 0.5], [0.0, 0.0]]
    alone = adjacent_units(["A", "B", "C"], [1, 1, 1])
    assert around_mean(values, alone).tolist() == [[0.0, 0.0]] * 3


def test_the_boost_adds_the_weighted_neighbour_best_excerpt_and_stops_at_one():
    # three turns of one document; turn 1 has two excerpts, and its best excerpt is what its neighbours see
    probability = np.array([[0.9, 0.1], [0.2, 0.6], [0.7, 0.0], [0.1, np.nan]])
    unit_of = np.array([0, 1, 1, 2])
    neighbours = adjacent_units(["A", "A", "A"], [1, 2, 3])
    raised = with_dialogue(probability, unit_of, neighbours, 0.5)
    # turn 0: + 0.5 x turn 1's best (0.7, 0.6); turn 1: + 0.5 x mean of turns 0 and 2 ((0.9+0.1)/2, (0.1+0)/2)
    expected = np.array([[1.0, 0.4], [0.45, 0.625], [0.95, 0.025], [0.45, np.nan]])
    np.testing.assert_allclose(raised, expected)


def test_no_weight_or_no_reading_order_leaves_every_probability_as_it_was():
    probability = np.array([[0.2, 0.3], [0.4, 0.1]])
    neighbours = adjacent_units(["A", "A"], [1, 2])
    np.testing.assert_array_equal(with_dialogue(probability, np.array([0, 1]), neighbours, 0.0), probability)
    np.testing.assert_array_equal(with_dialogue(probability, np.array([0, 1]), None, 0.4), probability)


def test_units_learn_their_neighbours_from_documents_and_positions():
    vectors = np.eye(4, 8, dtype=np.float32)
    units = build_units(vectors, [0, 0, 1, 2], documents=["A", "A", "B"], positions=[3, 1, 1])
    assert units.neighbours.tolist() == [[1, NO_NEIGHBOUR], [NO_NEIGHBOUR, 0], [NO_NEIGHBOUR, NO_NEIGHBOUR]]
    assert build_units(vectors, [0, 0, 1, 2], documents=["A", "A", "B"]).neighbours is None
    with pytest.raises(SuggestionInputError, match="positions need documents"):
        build_units(vectors, [0, 0, 1, 2], positions=[1, 2, 3])
    with pytest.raises(SuggestionInputError, match="positions has 2 entries for 3 units"):
        build_units(vectors, [0, 0, 1, 2], documents=["A", "A", "B"], positions=[1, 2])


def _interview_units():
    texts = [*TEXTS, "The subscription price went up again.", "And it keeps climbing every year.",
             "Our budget money pays for the subscription price."]
    documents = [f"D{i}" for i in range(len(TEXTS))] + ["DX"] * 3
    embedder = HashEmbedder(256)
    prototypes = embed_prototypes(build_prototypes(CODES), embedder.encode)
    units = build_units(embedder.encode(texts), documents=documents, positions=list(range(len(texts))))
    return units, prototypes


def test_suggestions_are_decided_on_the_raised_probabilities_and_the_rule_records_the_weight():
    units, prototypes = _interview_units()
    alone = score_corpus(units, prototypes, rule=DecisionRule(dialogue_weight=0))
    read_together = score_corpus(units, prototypes)
    assert read_together.rule.dialogue_weight == 0.4
    raised = with_dialogue(alone.probability, units.unit_of, units.neighbours, 0.4)
    np.testing.assert_allclose(read_together.probability, raised)
    np.testing.assert_array_equal(read_together.suggested, decide(raised, read_together.rule))
    # the middle turn of DX is raised by both neighbours; turns of one-turn documents are not raised at all
    assert (read_together.probability[-2] > alone.probability[-2]).all()
    np.testing.assert_array_equal(read_together.probability[:len(TEXTS)], alone.probability[:len(TEXTS)])


def test_evaluation_scores_what_suggesting_would_show():
    units, prototypes = _interview_units()
    unit_ids = list(range(units.n_units))
    gold = {len(TEXTS) + i: {"COST"} for i in range(3)}
    evaluation = evaluate(units, prototypes, unit_ids, gold)
    suggested = score_corpus(units, prototypes)
    np.testing.assert_allclose(evaluation.zero_shot_probability, suggested.probability)  # one excerpt per unit


def test_a_suggestion_made_only_because_of_the_turns_around_says_so_in_its_reason():
    units, prototypes = _interview_units()
    rule = DecisionRule(threshold=0.11, relative=0.5)  # low enough that the neighbours lift the middle turn of DX
    scores = score_corpus(units, prototypes, rule=rule)
    suggestions = to_suggestions(scores, texts=[""] * units.n_excerpts)
    middle = len(TEXTS) + 1
    lifted = next(s for s in suggestions if s.excerpt == middle and s.code == "COST")
    assert scores.alone[middle, 0] < rule.threshold <= lifted.score
    assert lifted.evidence.startswith(f"the turns just before and after carry it ({scores.alone[middle, 0]:.2f} "
                                      "on its own) · ")
    alone_decided = decide(scores.alone, rule)
    for s in suggestions:
        if alone_decided[s.excerpt, scores.codes.index(s.code)]:
            assert not s.evidence.startswith("the turns just before")


def _topic_runs(order: str):
    """Six interviews of ten turns about codes A and B; every other turn is vague (zero-shot 0.2 for its code, below
    the 0.3 threshold), the others clear (1.0); the other code scores 0.25 everywhere. `order` "runs": topics carry on
    for five turns, so a little weight lifts a vague turn to its code; "alternating": the topic changes at every
    turn, so any weight lifts a vague turn to its neighbours' code, the wrong one."""
    codes = []
    for _ in range(6):
        codes += (["A"] * 5 + ["B"] * 5) if order == "runs" else ["A", "B"] * 5
    n = len(codes)
    probability = np.full((n, 2), 0.25)
    for unit, code in enumerate(codes):
        probability[unit, "AB".index(code)] = 0.2 if unit % 2 else 1.0
    labels = np.array([[code == "A", code == "B"] for code in codes], dtype=np.int8)
    neighbours = adjacent_units([f"D{u // 10}" for u in range(n)], [u % 10 for u in range(n)])
    return probability, np.arange(n), neighbours, labels


def test_the_weight_is_chosen_on_the_coders_turns_high_where_topics_carry_on_and_zero_where_they_do_not():
    rule = DecisionRule()
    for order, expected in (("runs", lambda w: w > 0), ("alternating", lambda w: w == 0.0)):
        probability, unit_of, neighbours, labels = _topic_runs(order)
        choice = choose_weight(probability, unit_of, neighbours, labels, lambda p: decide(p, rule))
        assert expected(choice.weight), (order, choice)
        assert choice.source == "chosen on the coder's 60 coded turns (zero-shot agreement)"


def test_before_enough_codings_or_without_a_reading_order_the_weight_is_the_prior_or_none():
    rule = DecisionRule()
    probability, unit_of, neighbours, labels = _topic_runs("alternating")
    few = np.full_like(labels, -1)
    few[:10] = labels[:10]  # ten coded turns: ten positive pairs, fewer than MIN_CODED_PAIRS
    assert choose_weight(probability, unit_of, neighbours, few, lambda p: decide(p, rule)).weight == PRIOR_WEIGHT
    assert choose_weight(probability, unit_of, neighbours, None, lambda p: decide(p, rule)).weight == PRIOR_WEIGHT
    assert choose_weight(probability, unit_of, None, labels, lambda p: decide(p, rule)).weight == 0.0
