"""Prototype texts from the codebook: leaves only, positives and negatives, code references dropped."""

from __future__ import annotations

import numpy as np
import pytest

from coding.embedding import HashEmbedder
from coding.suggest import SuggestionInputError, build_prototypes, embed_prototypes, leaf_codes
from tests.suggest.conftest import code

CODES = [
    code("CONCERNS", definition="Parent code. Not applied directly."),
    code("COST", parent="CONCERNS", name="Cost and budgets", definition="Prices and budgets.",
         include=("per-seat fees",), exclude=("training time (TRAINING)",), examples=("It is free right now.",),
         counterexamples=("The training was long.",)),
    code("TRAINING", parent="CONCERNS", name="Training", definition="Teacher professional learning.",
         exclude=("vendors selling a product (COST or CONCERNS)",)),
]


def test_only_codes_without_children_are_suggested_by_default():
    assert [c.id for c in leaf_codes(CODES)] == ["COST", "TRAINING"]
    assert [p.code for p in build_prototypes(CODES)] == ["COST", "TRAINING"]
    assert [p.code for p in build_prototypes(CODES, leaves_only=False)] == ["CONCERNS", "COST", "TRAINING"]


def test_positives_come_from_name_definition_include_and_examples_and_negatives_from_exclude_and_counterexamples():
    cost = build_prototypes(CODES)[0]
    assert [(p.kind, p.text) for p in cost.positives] == [
        ("name", "Cost and budgets"), ("definition", "Prices and budgets."), ("include", "per-seat fees"),
        ("example", "It is free right now."),
    ]
    assert [(n.kind, n.text) for n in cost.negatives] == [
        ("exclude", "training time"), ("counterexample", "The training was long."),
    ]


def test_references_to_other_codes_in_rules_are_dropped_but_other_brackets_kept():
    training = build_prototypes(CODES)[1]
    assert training.negatives[0].text == "vendors selling a product"
    kept = build_prototypes([code("A", exclude=("pilots (not yet funded)",))])[0]
    assert kept.negatives[0].text == "pilots (not yet funded)"


def test_an_empty_codebook_is_reported():
    with pytest.raises(SuggestionInputError, match="no codes"):
        build_prototypes([])


def test_embedded_prototypes_keep_each_text_with_its_code():
    vectors = embed_prototypes(build_prototypes(CODES), HashEmbedder(16).encode)
    assert vectors.codes == ["COST", "TRAINING"]
    assert vectors.positive.shape == (6, 16) and vectors.positive_owner.tolist() == [0, 0, 0, 0, 1, 1]
    assert vectors.negative.shape == (3, 16) and vectors.negative_owner.tolist() == [0, 0, 1]
    assert np.allclose(np.linalg.norm(vectors.positive, axis=1), 1)
