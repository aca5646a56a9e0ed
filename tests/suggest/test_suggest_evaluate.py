"""The evaluation harness on fixtures whose right answers are known."""

from __future__ import annotations

import numpy as np
import pytest

from coding.suggest import SuggestionInputError, build_units, evaluate, unit_decisions
from tests.suggest.conftest import planted_corpus, prototype_vectors, unit_vector


def test_codes_that_the_codebook_and_the_codings_both_describe_exactly_are_found_everywhere():
    planted = planted_corpus()
    units = build_units(planted.vectors, planted.unit_of, planted.documents)
    result = evaluate(units, prototype_vectors(planted.codes, planted.directions), planted.unit_ids, planted.gold)
    for report in (result.zero_shot, result.learned, result.combined):
        assert report.mean_kappa == pytest.approx(1.0)
        assert report.macro_f1 == pytest.approx(1.0)
        assert {code: r.support for code, r in report.codes.items()} == {c: 12 for c in planted.codes}


def test_a_codebook_pointing_the_wrong_way_scores_badly_zero_shot_but_codings_still_teach_the_model():
    planted = planted_corpus()
    wrong = np.roll(planted.directions, 1, axis=0)  # each code described by its neighbour's direction
    units = build_units(planted.vectors, planted.unit_of, planted.documents)
    result = evaluate(units, prototype_vectors(planted.codes, wrong), planted.unit_ids, planted.gold)
    assert result.zero_shot.mean_kappa < 0
    assert result.learned.mean_kappa == pytest.approx(1.0)
    assert result.combined.mean_kappa > 0.9
    code = result.zero_shot.codes["C0"]
    assert code.recall == 0.0 and code.counts["fn"] == 12


def test_a_unit_carries_a_code_when_any_of_its_excerpts_does():
    suggested = np.array([[True, False], [False, False], [False, True], [False, False]])
    assert unit_decisions(suggested, np.array([0, 0, 1, 2]), 3).tolist() == [[True, False], [False, True],
                                                                              [False, False]]


def test_evaluation_needs_documents_for_leave_one_document_out():
    planted = planted_corpus()
    units = build_units(planted.vectors, planted.unit_of)
    with pytest.raises(SuggestionInputError, match="document"):
        evaluate(units, prototype_vectors(planted.codes, planted.directions), planted.unit_ids, planted.gold)


def test_units_reject_mismatched_inputs():
    vectors = unit_vector(np.random.default_rng(0).normal(size=(4, 8)))
    with pytest.raises(SuggestionInputError, match="unit_of"):
        build_units(vectors, [0, 1])
    with pytest.raises(SuggestionInputError, match="at least one excerpt"):
        build_units(vectors, [0, 0, 2, 2])
    with pytest.raises(SuggestionInputError, match="context"):
        build_units(vectors, [0, 0, 1, 1], context=np.zeros((3, 8)))
