"""Turn units, the top level of themes, the explained status of a theme, and the hidden-code evaluation rule."""

import numpy as np
import pytest

from coding.themes.evaluation import FoundRule, evaluate_themes
from coding.themes.evidence import explain_theme
from coding.themes.hierarchy import MAX_TOP_LEVEL_THEMES, group_themes, top_level_count
from coding.themes.turn_units import pool_by_key

CODES = ["A", "B", "C"]


def _members(rows: list[str]) -> np.ndarray:
    """One member per string, carrying the codes named by its letters."""
    return np.array([[code in row for code in CODES] for row in rows], dtype=bool)


def test_a_theme_is_matched_when_one_code_fits_a_majority_of_its_members():
    explanation = explain_theme(_members(["A", "A", "AB", "", "C"]), CODES)
    assert explanation.status == "matched" and explanation.codes == ["A"]
    assert explanation.shares[0].code == "A" and explanation.shares[0].members == 3
    assert "A fits 3 of its 5 turns (60%)" in explanation.reason


def test_a_theme_straddles_when_two_codes_each_fit_a_majority():
    explanation = explain_theme(_members(["AB", "AB", "AB", "A", "B"]), CODES)
    assert explanation.status == "straddles" and explanation.codes == ["A", "B"]


def test_members_spread_over_codes_with_no_majority_make_a_new_theme():
    explanation = explain_theme(_members(["A", "A", "B", "B", "C", "", "AC"]), CODES)
    assert explanation.status == "new" and explanation.codes == []
    assert explanation.explained == pytest.approx(6 / 7, abs=1e-4)
    assert "no code fits half of its 7 turns" in explanation.reason


def test_a_theme_nobody_can_code_is_new_and_says_so():
    explanation = explain_theme(_members(["", "", ""]), CODES)
    assert explanation.status == "new" and explanation.shares == [] and explanation.explained == 0
    assert "most of its 3 turns carry no code at all" in explanation.reason


def test_excerpts_pool_into_units_by_key_in_order_of_first_appearance():
    vectors = np.array([[1, 0], [0, 1], [1, 0], [0, 2]], dtype=np.float32)
    pooled = pool_by_key(vectors, [("D1", 2), ("D1", 4), ("D1", 2), ("D2", 1)])
    assert pooled.keys == [("D1", 2), ("D1", 4), ("D2", 1)]
    assert [e.tolist() for e in pooled.excerpts_of] == [[0, 2], [1], [3]]
    assert pooled.unit_of.tolist() == [0, 1, 0, 2]
    np.testing.assert_allclose(pooled.vectors, [[1, 0], [0, 1], [0, 1]], atol=1e-6)


def test_the_top_level_grows_like_a_square_root_and_never_passes_its_cap():
    assert [top_level_count(k) for k in (0, 1, 2, 4, 16, 50)] == [0, 1, 2, 3, 6, 10]
    assert top_level_count(10_000) == MAX_TOP_LEVEL_THEMES


def test_similar_themes_share_a_top_level_group():
    rng = np.random.default_rng(0)
    axes = np.eye(8, dtype=np.float32)
    centroids = np.vstack([axes[i // 4] + 0.05 * rng.normal(size=8) for i in range(8)])  # 2 families of 4
    groups = group_themes(centroids, max_groups=2)
    assert set(groups.tolist()) == {1, 2}
    assert len(set(groups[:4].tolist())) == 1 and len(set(groups[4:].tolist())) == 1
    assert groups[0] != groups[4]


def test_a_hidden_code_is_found_when_new_themes_cover_half_its_turns_precisely():
    turns = {1: {("D", i) for i in range(10)}, 2: {("D", i) for i in range(10, 20)}}
    codes = {("D", i): {"HIDDEN"} for i in range(7)} | {("D", i): {"KNOWN"} for i in range(7, 20)}
    found = evaluate_themes(turns, {1: "new", 2: "matched"}, codes, {"HIDDEN"})
    hidden = next(c for c in found.codes if c.code == "HIDDEN")
    assert hidden.found_as_new and hidden.coverage == 1.0 and hidden.precision == 0.7
    assert found.found() == ["HIDDEN"]
    matched = evaluate_themes(turns, {1: "matched", 2: "matched"}, codes, {"HIDDEN"})
    assert matched.found() == [] and next(c for c in matched.codes if c.code == "HIDDEN").themes[0].theme == 1


def test_a_hidden_code_is_not_found_by_themes_smaller_than_the_rule_allows():
    turns = {1: {("D", i) for i in range(4)}}
    codes = {("D", i): {"HIDDEN"} for i in range(4)}
    assert evaluate_themes(turns, {1: "new"}, codes, {"HIDDEN"}, FoundRule(min_turns=5)).found() == []


def test_a_majority_code_matches_only_when_the_theme_centre_agrees():
    members = _members(["A", "A", "AB", "", "C"])
    agreed = explain_theme(members, CODES, centre_code="A", centre_score=0.2)
    assert agreed.status == "matched" and "centre is nearest A" in agreed.reason
    disagreed = explain_theme(members, CODES, centre_code="C", centre_score=0.2)
    assert disagreed.status == "new" and "centre is nearest C" in disagreed.reason


def test_an_agreeing_centre_lets_a_code_fitting_a_quarter_of_the_members_match():
    members = _members(["A", "A", "B", "", "", "", "", ""])
    assert explain_theme(members, CODES, centre_code="A").status == "matched"
    assert explain_theme(members, CODES, centre_code="B").status == "new"
    assert explain_theme(_members(["A", "", "", "", "", ""]), CODES, centre_code="A").status == "new"


def test_members_coded_with_several_codes_make_a_new_theme_even_when_the_centre_is_nearest_the_commonest():
    # 6 of 8 members carry some code, A the most (3 of 8, over a quarter) and the centre is nearest A: the members
    # say "several codes", so the centre does not decide, unlike a theme the suggester is unsure of.
    members = _members(["A", "A", "A", "B", "B", "C", "", ""])
    explained = explain_theme(members, CODES, centre_code="A")
    assert explained.status == "new" and explained.codes == []
    assert "no code fits half of its 8 turns" in explained.reason and "75% carry some code" in explained.reason
    unsure = _members(["A", "A", "B", "", "", "", "", ""])  # 3 of 8 carry a code: the centre decides
    assert explain_theme(unsure, CODES, centre_code="A").status == "matched"
