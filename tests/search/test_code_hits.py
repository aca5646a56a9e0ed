"""Code all hits: one batch of decisions on the matched spans, undone together, refused whole on a mistake."""

from __future__ import annotations

import pytest

from coding.errors import QcodeError
from coding.models import CodingSource
from coding.search import SearchFilters, code_hits, parse_where, undo_hits_batch
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from pipelines.search import search_text


def test_every_hit_is_coded_on_its_span_and_undone_at_once(search_project):
    results = search_text(search_project, "budget", filters=SearchFilters(where=parse_where(["district_type=rural"])))
    done = code_hits(search_project, results.hits, "COST", "ana", note="search: budget")
    assert done.batch and done.coded == 3 and done.already == 0
    codings = coding_store.current_codings(search_project, coder="ana")
    assert [(c.document, c.turn, c.start, c.end, c.text) for c in codings] == [
        (h.document, h.turn, h.start, h.end, h.text) for h in results.hits]
    assert all(c.code == "COST" and c.source == CodingSource.human for c in codings)
    undone = coding_store.undo_last(search_project, "ana")
    assert len(undone) == len(results.hits) == 3
    assert coding_store.current_codings(search_project, coder="ana") == []
    coding_store.redo_last(search_project, "ana")
    assert len(coding_store.current_codings(search_project, coder="ana")) == 3


def test_a_hit_that_is_a_whole_excerpt_keeps_its_excerpt_id(search_project):
    excerpt = doc_store.get_excerpts(search_project, "U1")[0]
    results = search_text(search_project, excerpt.text)
    assert [h.excerpt_id for h in results.hits] == [excerpt.id]
    code_hits(search_project, results.hits, "COST", "ana", note="search")
    assert [c.excerpt_id for c in coding_store.current_codings(search_project, coder="ana")] == [excerpt.id]
    assert all(h.excerpt_id is None for h in search_text(search_project, "budget").hits)


def test_an_earlier_decision_is_not_undone_with_the_batch(search_project):
    code_hits(search_project, search_text(search_project, "privacy").hits, "PRIVACY", "ana", note="first")
    code_hits(search_project, search_text(search_project, "budget").hits, "COST", "ana", note="second")
    coding_store.undo_last(search_project, "ana")
    assert {c.code for c in coding_store.current_codings(search_project, coder="ana")} == {"PRIVACY"}


@pytest.mark.parametrize("code, coder, message", [
    ("NOPE", "ana", "unknown code 'NOPE'"),
    ("COST", " ", "the coder name is empty"),
])
def test_a_mistake_codes_nothing(search_project, code, coder, message):
    hits = search_text(search_project, "budget").hits
    with pytest.raises(QcodeError, match=message):
        code_hits(search_project, hits, code, coder, note="search")
    assert search_project.conn.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0


def test_no_hits_records_nothing(search_project):
    assert code_hits(search_project, [], "COST", "ana", note="search").batch is None
    assert search_project.conn.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0


def _decision_count(store) -> int:
    return store.conn.execute("SELECT count(*) FROM decisions").fetchone()[0]


def test_hits_the_coder_already_holds_the_code_on_are_not_logged_again(search_project):
    budget = search_text(search_project, "budget").hits
    first = code_hits(search_project, budget[:2], "COST", "ana", note="first")
    logged = _decision_count(search_project)
    second = code_hits(search_project, budget, "COST", "ana", note="second")
    assert (second.coded, second.already) == (len(budget) - 2, 2)
    assert _decision_count(search_project) == logged + len(budget) - 2
    # undoing the second batch takes back only what it coded; the first batch's codings stay
    assert len(coding_store.undo_last(search_project, "ana")) == len(budget) - 2
    kept = coding_store.current_codings(search_project, coder="ana")
    assert [(c.start, c.end) for c in kept] == [(h.start, h.end) for h in budget[:2]] and first.coded == 2


def test_the_same_hits_twice_record_nothing_the_second_time(search_project):
    hits = search_text(search_project, "privacy").hits
    code_hits(search_project, hits, "PRIVACY", "ana", note="first")
    logged = _decision_count(search_project)
    again = code_hits(search_project, hits + hits, "PRIVACY", "ana", note="again")
    assert (again.batch, again.coded, again.already) == (None, 0, len(hits))
    assert _decision_count(search_project) == logged


def test_another_coder_or_another_code_is_still_recorded(search_project):
    hits = search_text(search_project, "privacy").hits
    code_hits(search_project, hits, "PRIVACY", "ana", note="ana")
    assert code_hits(search_project, hits, "PRIVACY", "ben", note="ben").coded == len(hits)
    assert code_hits(search_project, hits, "COST", "ana", note="other code").coded == len(hits)


def test_a_duplicated_hit_in_one_call_is_coded_once(search_project):
    hits = search_text(search_project, "privacy").hits
    done = code_hits(search_project, hits + hits[:1], "PRIVACY", "ana", note="twice")
    assert done.coded == len(hits) and _decision_count(search_project) == len(hits)


def test_undoing_a_search_batch_takes_it_back_once(search_project):
    hits = search_text(search_project, "budget").hits
    done = code_hits(search_project, hits, "COST", "ana", note="search")
    assert undo_hits_batch(search_project, "ana", done.batch) == len(hits)
    assert coding_store.current_codings(search_project, coder="ana") == []
    logged = _decision_count(search_project)
    assert undo_hits_batch(search_project, "ana", done.batch) == 0  # a second click
    assert _decision_count(search_project) == logged


def test_undoing_a_search_batch_never_takes_back_a_later_decision(search_project):
    done = code_hits(search_project, search_text(search_project, "budget").hits, "COST", "ana", note="search")
    code_hits(search_project, search_text(search_project, "privacy").hits, "PRIVACY", "ana", note="later")
    with pytest.raises(QcodeError, match="ana has made other decisions since"):
        undo_hits_batch(search_project, "ana", done.batch)
    assert {c.code for c in coding_store.current_codings(search_project, coder="ana")} == {"COST", "PRIVACY"}
