"""Where a theme also comes up: units outside it that use its distinctive keywords as strongly as its members."""

import numpy as np

from coding.themes.cluster import PrecomputedClusterer
from coding.themes.discover import discover_themes
from coding.themes.keywords import term_counts, theme_keywords
from coding.themes.mentions import distinctive_keywords, theme_mentions
from coding.themes.reduce import IdentityReducer
from coding.themes.settings import ThemeSettings

TRANSPORT = [
    "The bus routes were cut and the drivers quit, so the school starts late.",
    "We lost six bus drivers this year and two bus routes at the school.",
    "Bus routes in the north end run an hour late without drivers.",
    "Our drivers are retiring and nobody applies, so bus routes get merged.",
    "Without drivers the bus routes double up and the school day shrinks.",
    "The bus drivers union asked about routes and the school calendar.",
]
BUDGET = [
    "The budget for the school is flat, the levy failed and the grant ended.",
    "The levy failed twice and the budget cuts hit every school program.",
    "Grant money ends in June and the budget has no line for the school library.",
    "We balanced the budget by cutting the grant writer and the levy campaign.",
    "The school budget depends on a levy that the board keeps postponing.",
    "Budget season means the levy, the grant renewals and the school fees.",
]
PASSING = "The budget is what it is, though losing bus drivers and bus routes, so kids come in late, hurts more."
ONLY_SCHOOL = "The school is a good school and the school staff are proud of the school."
TEXTS = [*TRANSPORT, *BUDGET, PASSING, ONLY_SCHOOL]
LABELS = np.array([0] * 6 + [1] * 6 + [1, -1])


def _mentions(top_keywords=5, member_quantile=0.75, labels=LABELS):
    terms = term_counts(TEXTS)
    keywords = theme_keywords(TEXTS, labels, terms=terms)
    members = [np.flatnonzero(labels == t) for t in sorted(keywords)]
    return theme_mentions(terms, [keywords[t] for t in sorted(keywords)], members, top_keywords, member_quantile)


def test_a_turn_about_something_else_that_uses_a_themes_words_is_a_mention_of_it():
    transport, budget = _mentions()
    assert [unit for unit, _ in transport] == [12]  # the budget turn that talks about drivers and routes
    assert all(unit not in range(6) for unit, _ in transport)  # never its own members
    assert 13 not in [unit for unit, _ in transport]  # "school" alone is everybody's word


def test_a_word_used_everywhere_weighs_little_beside_the_themes_own_words():
    terms = term_counts(TEXTS)
    keywords = dict(theme_keywords(TEXTS, LABELS, terms=terms)[0])
    weighed = {terms.vocabulary[column]: weight
               for column, weight in distinctive_keywords(terms, list(keywords.items()), np.arange(6), 10)}
    assert "driver" in weighed and "school" in keywords
    assert weighed.get("school", 0.0) < 0.5 * keywords["school"]  # 4 of its 6+ users are elsewhere
    assert weighed["driver"] > 0.7 * keywords["driver"]


def test_mentions_are_strongest_first_and_a_higher_bar_finds_fewer():
    low = _mentions(member_quantile=0.0)
    high = _mentions(member_quantile=1.0)
    for found in low:
        scores = [score for _, score in found]
        assert scores == sorted(scores, reverse=True)
    assert sum(map(len, high)) <= sum(map(len, low))
    assert {u for u, _ in high[0]} <= {u for u, _ in low[0]}


def test_no_keywords_asked_or_no_shared_words_find_no_mentions():
    assert _mentions(top_keywords=0) == [[], []]
    assert theme_mentions(None, [[("bus", 1.0)]], [[0, 1]]) == [[]]
    terms = term_counts(["alpha beta", "gamma delta", "epsilon zeta", "alpha"])
    # the theme's members share no word, so its typical member uses none of its keywords: nothing to reach by
    assert theme_mentions(terms, [[("beta", 1.0), ("gamma", 1.0)]], [[0, 1, 2]], 5, 0.5) == [[]]


def test_discovery_lists_each_themes_mentions_and_can_be_told_not_to():
    vectors = np.eye(len(TEXTS), 16, dtype=np.float32) + 0.01
    labels = [0] * 6 + [1] * 7 + [-1]
    kwargs = dict(reducer=IdentityReducer(), clusterer=PrecomputedClusterer(labels))
    groups, speakers = [f"D{i % 3}" for i in range(len(TEXTS))], ["R"] * len(TEXTS)
    result = discover_themes(vectors, TEXTS, groups, speakers, ThemeSettings(), **kwargs)
    transport = next(t for t in result.themes if 0 in t.members)
    assert transport.mentions == [12] and len(transport.mention_scores) == 1
    quiet = discover_themes(vectors, TEXTS, groups, speakers, ThemeSettings(mention_keywords=0), **kwargs)
    assert all(t.mentions == [] for t in quiet.themes)
    assert result.manifest["settings"]["mention_keywords"] == 5
