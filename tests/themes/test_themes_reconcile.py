"""Themes against codebook codes: matched, straddles, new; negatives count against a code."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from coding.codebook.model import Code
from coding.themes.reconcile import ReconcileSettings, code_prototype_texts, reconcile

DIM = 16
E = np.eye(DIM, dtype=np.float32)
CODES = ["C0", "C1", "C2", "C3", "C4"]


def unit(v):
    return v / np.linalg.norm(v)


@pytest.fixture
def five_themes():
    # Theme 0 sits on code 0, theme 1 halfway between codes 1 and 2, theme 2 away from every code.
    return np.stack([E[0], unit(E[1] + E[2]), E[10], E[3], E[4]])


def test_a_theme_on_one_code_is_matched_to_it(five_themes):
    matches = reconcile(five_themes, CODES, E[:5], [None] * 5)
    assert matches[0].status == "matched"
    assert matches[0].codes == ["C0"]
    assert matches[0].scores[0].code == "C0"
    assert matches[0].scores[0].similarity == pytest.approx(1.0)


def test_a_theme_between_two_codes_straddles_them(five_themes):
    match = reconcile(five_themes, CODES, E[:5], [None] * 5)[1]
    assert match.status == "straddles"
    assert set(match.codes) == {"C1", "C2"}


def test_a_theme_far_from_every_code_is_new(five_themes):
    match = reconcile(five_themes, CODES, E[:5], [None] * 5)[2]
    assert match.status == "new"
    assert match.codes == []


def test_every_code_is_scored_best_first(five_themes):
    for match in reconcile(five_themes, CODES, E[:5], [None] * 5):
        assert sorted(s.code for s in match.scores) == sorted(CODES)
        scores = [s.score for s in match.scores]
        assert scores == sorted(scores, reverse=True)


def test_calibration_subtracts_each_codes_mean_over_themes(five_themes):
    match = reconcile(five_themes, CODES, E[:5], [None] * 5)[0]
    # Code 0 scores 1 for theme 0 and 0 for the other four: its baseline is 0.2.
    assert match.scores[0].score == pytest.approx(0.8)


def test_with_few_themes_the_fallback_baseline_is_used():
    settings = ReconcileSettings(fallback_baseline=0.5)
    match = reconcile(np.stack([E[0], E[1]]), CODES, E[:5], [None] * 5, settings)[0]
    assert match.scores[0].score == pytest.approx(0.5)
    assert match.status == "matched"


def test_a_theme_more_like_a_codes_negatives_than_the_code_is_scored_down():
    theme = unit(E[0] + 2 * E[5])[None, :]  # a little of code 0, mostly what code 0 excludes
    positives = np.stack([E[0], unit(E[0] + E[7])])
    settings = ReconcileSettings(calibrate=False, fallback_baseline=0.0, negative_weight=1.0)
    without = reconcile(theme, ["EXCLUDES_E5", "OTHER"], positives, [None, None], settings)[0]
    with_negative = reconcile(theme, ["EXCLUDES_E5", "OTHER"], positives, [E[5][None, :], None], settings)[0]
    assert without.scores[0].code == "EXCLUDES_E5"
    assert with_negative.scores[0].code == "OTHER"
    penalised = next(s for s in with_negative.scores if s.code == "EXCLUDES_E5")
    assert penalised.negative_similarity == pytest.approx(float(theme[0] @ E[5]))
    excess = penalised.negative_similarity - penalised.similarity
    assert penalised.score == pytest.approx(penalised.similarity - excess, abs=1e-6)


def test_negatives_less_similar_than_the_code_itself_do_not_count():
    theme = unit(2 * E[0] + E[5])[None, :]
    settings = ReconcileSettings(calibrate=False, fallback_baseline=0.0)
    plain = reconcile(theme, ["C"], E[:1], [None], settings)[0]
    with_negative = reconcile(theme, ["C"], E[:1], [E[5][None, :]], settings)[0]
    assert with_negative.scores[0].score == pytest.approx(plain.scores[0].score)


def test_no_themes_or_no_codes():
    assert reconcile(np.zeros((0, DIM)), CODES, E[:5], [None] * 5) == []
    assert [m.status for m in reconcile(E[:2], [], np.zeros((0, DIM)), [])] == ["new", "new"]


def test_mismatched_code_lists_are_refused():
    with pytest.raises(ValueError, match="one of each per code"):
        reconcile(E[:2], CODES, E[:4], [None] * 5)


def test_prototype_texts_come_from_a_duck_typed_code():
    code = SimpleNamespace(
        name="Cost and sustainability",
        definition="Prices and budgets.",
        include=["per-seat fees (COST)"],
        exclude=["vendors selling a product (PILOTS or COST)"],
        examples=["It's free right now."],
        counterexamples=["We love the tool."],
    )
    positives, negatives = code_prototype_texts(code)
    assert positives == ["Cost and sustainability: Prices and budgets.", "per-seat fees", "It's free right now."]
    assert negatives == ["vendors selling a product", "We love the tool."]


def test_prototype_texts_accept_the_codebook_model_and_missing_fields():
    code = Code(id="TRAINING", name="Training", include=("workshops",))
    assert code_prototype_texts(code) == (["Training", "workshops"], [])
    assert code_prototype_texts(SimpleNamespace(name="Only a name")) == (["Only a name"], [])
