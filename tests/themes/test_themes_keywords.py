"""Keywords by c-TF-IDF and the labels made from them."""

from __future__ import annotations

import pytest

from coding.themes.keywords import TermAnalyser, keyword_label, light_normalise, stop_words, theme_keywords


@pytest.mark.parametrize(
    ("word", "expected"),
    [("teachers", "teacher"), ("policies", "policy"), ("classes", "class"), ("process", "process"),
     ("news", "news"), ("bus", "bus"), ("data", "data"), ("status", "status"), ("tools", "tool")],
)
def test_light_normaliser_singularises_regular_plurals_only(word, expected):
    assert light_normalise(word) == expected


def test_analyser_drops_stop_words_and_fillers_and_pairs_only_adjacent_words():
    analyse = TermAnalyser(stop_words(), light_normalise)
    terms = analyse("Yeah, our teachers don't have time for professional development. Budget, you know?")
    assert "professional development" in terms
    assert "teacher" in terms and "budget" in terms
    assert not {"yeah", "know", "don", "our", "have"} & set(terms)
    assert "teacher time" not in terms  # "have" stood between them
    assert "development budget" not in terms  # a full stop stood between them


def test_extra_stop_words_are_never_keywords():
    analyse = TermAnalyser(stop_words(["district"]), light_normalise)
    assert "district" not in analyse("The district budget")


def test_c_tf_idf_ranks_each_theme_distinctive_words_first():
    texts = [
        "teacher training workshops in the summer",
        "training for teachers and coaching",
        "the budget for licenses and subscription cost",
        "subscription cost keeps rising in the budget",
        "teachers talk about the budget",  # an outlier mentioning both
    ]
    keywords = theme_keywords(texts, [0, 0, 1, 1, -1], top_n=4)
    assert set(keywords) == {0, 1}  # the outliers (-1) get no keywords
    assert [term for term, _ in keywords[0]][:2] == ["training", "teacher"]
    assert {term for term, _ in keywords[1][:3]} == {"cost", "subscription", "subscription cost"}
    # "budget" appears in both budget texts but also among the outliers, so it ranks below the theme's own words.
    assert keywords[1][3][0] == "budget"
    assert all(score > 0 for terms in keywords.values() for _, score in terms)


def test_keywords_are_the_same_every_run():
    texts = ["alpha beta", "beta gamma", "delta epsilon", "epsilon zeta"]
    assert theme_keywords(texts, [0, 0, 1, 1]) == theme_keywords(list(texts), [0, 0, 1, 1])


def test_label_takes_three_keywords_that_share_no_word():
    keywords = ["training", "teacher training", "professional development", "professional", "teacher"]
    assert keyword_label(keywords) == "training / professional development / teacher"
    assert keyword_label(keywords, separator=", ") == "training, professional development, teacher"
    assert keyword_label([]) == "(no keywords)"
