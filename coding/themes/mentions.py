"""Where a theme also comes up: units outside a theme that use its most distinctive words as strongly as its members.

Clustering gives each turn one theme, but an interviewee often touches a topic in passing inside a turn about
something else (a turn about the budget that says in passing which bus routes were cut). A coder codes that too,
so a theme that holds only the turns mostly about it shows a researcher too little of where it comes up. The
mentions of a theme are found from its own keywords (c-TF-IDF, computed on the project), with no outside vocabulary:

- each keyword's weight is its c-TF-IDF score times its concentration: the share of the units using it that are
  the theme's members. "school" or "teacher" may be among a theme's keywords, but most units that use them are
  elsewhere, so they weigh little; a word the theme's members use and others rarely do weighs nearly its score;
- a unit's wording score for a theme is the summed weight of the theme's `top_keywords` heaviest keywords that
  the unit uses (the same words and bigrams as the keywords, after the same stop words and lemmatiser);
- the bar is the `member_quantile` quantile of that score over the theme's own members, so a theme whose members
  share strong wording sets a high bar and one whose members share little sets none (no mentions);
- a unit outside the theme (in another theme, or unthemed) is a mention when its score reaches the bar.

A mention does not move the unit: its theme, the theme's status and the bulk actions are decided on the members.

Defaults 5 keywords and the upper quartile (0.75): chosen on the tuning halves of 6 document splits of corpus-dev
(keywords 0/5/10 x quantile 0.5/0.75/0.9), scored on the check halves (`bench_themes --choose-per-half`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from coding.themes.keywords import TermCounts


def distinctive_keywords(terms: TermCounts, keywords: Sequence[tuple[str, float]], members: np.ndarray,
                         top: int) -> list[tuple[int, float]]:
    """(term column, weight) of the theme's `top` heaviest keywords, each weighed by its score times the share of
    the units using it that are members; ties keep the keywords' own order, weightless ones are dropped."""
    inside = np.zeros(terms.counts.shape[0], dtype=bool)
    inside[members] = True
    weighed = []
    for keyword, score in keywords:
        column = terms.column(keyword)
        if column is None:
            continue
        users = terms.users(column)
        concentration = inside[users].sum() / max(len(users), 1)
        weighed.append((column, float(score) * float(concentration)))
    order = sorted(range(len(weighed)), key=lambda i: (-weighed[i][1], i))
    return [weighed[i] for i in order[:top] if weighed[i][1] > 0]


def wording_scores(terms: TermCounts, weighted_columns: Sequence[tuple[int, float]]) -> np.ndarray:
    """Per unit, the summed weight of the given (term column, weight) pairs it uses."""
    scores = np.zeros(terms.counts.shape[0], dtype=np.float64)
    for column, weight in weighted_columns:
        scores[terms.users(column)] += weight
    return scores


def theme_mentions(
    terms: TermCounts | None,
    keywords_of_themes: Sequence[Sequence[tuple[str, float]]],
    members_of_themes: Sequence[Sequence[int]],
    top_keywords: int = 5,
    member_quantile: float = 0.75,
) -> list[list[tuple[int, float]]]:
    """Per theme, its mentions as (unit index, wording score), highest score first (ties by index).

    `terms` are the units' `term_counts` (None: no unit has a term), `keywords_of_themes[t]` theme t's (keyword,
    weight) pairs best first (as `theme_keywords` gives them) and `members_of_themes[t]` its member unit indices.
    `top_keywords` 0 finds none.
    """
    if len(keywords_of_themes) != len(members_of_themes):
        raise ValueError(f"{len(keywords_of_themes)} keyword lists for {len(members_of_themes)} themes")
    if top_keywords <= 0 or terms is None:
        return [[] for _ in members_of_themes]
    n = terms.counts.shape[0]
    result = []
    for keywords, members in zip(keywords_of_themes, members_of_themes):
        members = np.asarray(members, dtype=np.int64)
        if len(members) == 0 or not keywords:
            result.append([])
            continue
        scores = wording_scores(terms, distinctive_keywords(terms, list(keywords), members, top_keywords))
        bar = float(np.quantile(scores[members], member_quantile))
        if bar <= 0:  # its typical member uses none of its words: no wording to recognise it by
            result.append([])
            continue
        outside = np.ones(n, dtype=bool)
        outside[members] = False
        found = np.flatnonzero(outside & (scores >= bar - 1e-12))
        order = found[np.lexsort((found, -scores[found]))]
        result.append([(int(i), round(float(scores[i]), 6)) for i in order])
    return result
