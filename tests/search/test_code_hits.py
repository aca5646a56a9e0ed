"""Code all hits: one batch of decisions on the matched spans, undone together, refused whole on a mistake."""

from __future__ import annotations

import pytest

from coding.errors import QcodeError
from coding.models import CodingSource
from coding.search import SearchFilters, code_hits, parse_where
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from pipelines.search import search_text


def test_every_hit_is_coded_on_its_span_and_undone_at_once(search_project):
    results = search_text(search_project, "budget", filters=SearchFilters(where=parse_where(["district_type=rural"])))
    batch = code_hits(search_project, results.hits, "COST", "ana", note="search: budget")
    assert batch
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
    assert code_hits(search_project, [], "COST", "ana", note="search") is None
    assert search_project.conn.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0
