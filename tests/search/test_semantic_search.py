"""Semantic search: ranking by cosine over planted vectors, filters, --like, and the typed sentence's cache."""

from __future__ import annotations

import numpy as np
import pytest

from coding.embedding.fake import HashEmbedder
from coding.errors import NotFound, QcodeError
from coding.models import SpeakerRole
from coding.search import SearchFilters, parse_where, semantic_search, text_index, vector_index
from coding.store import documents as doc_store
from coding.store import embeddings as embedding_store
from pipelines.embed import embed_excerpts
from pipelines.search import search_like

MODEL = "planted"


def _plant(store, angles: dict[str, float]) -> None:
    """A 3-d unit vector per excerpt at `angle` degrees from the x axis (excerpts not named get none)."""
    rows = embedding_store.excerpt_hashes(store)
    hashes, vectors = [], []
    for excerpt_id, text_hash, _ in rows:
        if excerpt_id in angles:
            radians = np.radians(angles[excerpt_id])
            hashes.append(text_hash)
            vectors.append([np.cos(radians), np.sin(radians), 0.0])
    embedding_store.save_vectors(store, MODEL, hashes, np.array(vectors, dtype=np.float32))


@pytest.fixture
def planted(search_project):
    ids = [e.id for e in doc_store.get_excerpts(search_project)]
    # Distinct texts get distinct angles; the closer to 0 degrees, the more like the query [1, 0, 0].
    angles = {excerpt_id: 10.0 * i for i, excerpt_id in enumerate(ids)}
    _plant(search_project, angles)
    return search_project, ids, angles


def test_excerpts_rank_by_cosine(planted):
    store, ids, angles = planted
    results = semantic_search(text_index(store), vector_index(store, MODEL), np.array([1.0, 0, 0]), "q", limit=3)
    assert [h.excerpt_id for h in results.hits] == ids[:3]
    assert [h.score for h in results.hits] == pytest.approx([np.cos(np.radians(angles[i])) for i in ids[:3]],
                                                            abs=1e-4)
    for hit in results.hits:
        excerpt = doc_store.get_excerpt(store, hit.excerpt_id)
        assert (hit.document, hit.turn, hit.start, hit.end, hit.text) == (
            excerpt.document, excerpt.turn, excerpt.start, excerpt.end, excerpt.text)
        assert hit.role == SpeakerRole.respondent


def test_the_query_direction_decides_the_order(planted):
    store, ids, angles = planted
    last = ids[-1]
    towards_last = np.array([np.cos(np.radians(angles[last])), np.sin(np.radians(angles[last])), 0.0]) * 7.0
    results = semantic_search(text_index(store), vector_index(store, MODEL), towards_last, "q", limit=len(ids))
    assert results.hits[0].excerpt_id == last and results.hits[0].score == pytest.approx(1.0, abs=1e-4)
    assert [h.score for h in results.hits] == sorted((h.score for h in results.hits), reverse=True)


def test_like_an_excerpt_leaves_the_excerpt_out(planted):
    store, ids, _ = planted
    results = search_like(store, _Named(MODEL), excerpt_id=ids[2], limit=2)
    # 10 degrees either side: equal scores, so document order decides.
    assert [h.excerpt_id for h in results.hits] == [ids[1], ids[3]]


def test_filters_apply_to_semantic_search(planted):
    store, ids, _ = planted
    urban = semantic_search(text_index(store), vector_index(store, MODEL), np.array([1.0, 0, 0]), "q",
                            filters=SearchFilters(where=parse_where(["district_type=urban"])), limit=10)
    urban_ids = [e.id for e in doc_store.get_excerpts(store, "U1")]
    assert [h.excerpt_id for h in urban.hits] == urban_ids  # all of U1's, still in angle order
    asked = semantic_search(text_index(store), vector_index(store, MODEL), np.array([1.0, 0, 0]), "q",
                            filters=SearchFilters(role=SpeakerRole.interviewer), limit=10)
    assert asked.hits == []  # excerpts are cut from respondent turns only


def test_unembedded_excerpts_are_counted_not_searched(search_project):
    ids = [e.id for e in doc_store.get_excerpts(search_project)]
    _plant(search_project, {ids[0]: 0.0, ids[1]: 45.0})
    results = semantic_search(text_index(search_project), vector_index(search_project, MODEL),
                              np.array([1.0, 0, 0]), "q", limit=10)
    assert [h.excerpt_id for h in results.hits] == ids[:2]
    assert results.unembedded == len(ids) - 2


def test_no_vectors_says_to_embed(search_project):
    with pytest.raises(QcodeError, match="run 'qcode embed' first"):
        vector_index(search_project, "never-used")


def test_an_unknown_excerpt_is_named(planted):
    store, _, _ = planted
    with pytest.raises(NotFound, match="no excerpt 'R1:99:1'"):
        search_like(store, _Named(MODEL), excerpt_id="R1:99:1")


def test_a_typed_sentence_is_embedded_once_through_the_cache(search_project):
    embedder = HashEmbedder(32)
    embed_excerpts(search_project, embedder)
    target = doc_store.get_excerpts(search_project, "U1")[0]
    results = search_like(search_project, embedder, sentence=target.text, limit=3)
    assert results.hits[0].excerpt_id == target.id and results.hits[0].score == pytest.approx(1.0, abs=1e-4)
    assert results.model_id == embedder.model_id
    sentence = "licenses cost money this year"
    before = embedding_store.models_cached(search_project)[embedder.model_id]
    search_like(search_project, embedder, sentence=sentence)
    search_like(search_project, embedder, sentence=sentence)
    assert embedding_store.models_cached(search_project)[embedder.model_id] == before + 1


def test_an_empty_sentence_is_refused(search_project):
    embedder = HashEmbedder(32)
    embed_excerpts(search_project, embedder)
    with pytest.raises(QcodeError, match="the search text is empty"):
        search_like(search_project, embedder, sentence="  ")


class _Named:
    """An embedder that is only a model id: --like reads stored vectors and never encodes."""

    def __init__(self, model_id: str):
        self.model_id = model_id

    def encode(self, *args, **kwargs):
        raise AssertionError("--like must not embed anything")


def test_the_vector_index_is_reloaded_only_when_excerpts_gain_vectors(search_project):
    ids = [e.id for e in doc_store.get_excerpts(search_project)]
    _plant(search_project, {ids[0]: 0.0})
    first = vector_index(search_project, MODEL)
    assert first.ids == [ids[0]]
    _plant(search_project, {ids[1]: 5.0})  # an excerpt gains a vector: reload
    second = vector_index(search_project, MODEL)
    assert second.ids == ids[:2] and second is not first
    _plant(search_project, {i: 10.0 for i in ids})
    full = vector_index(search_project, MODEL)
    assert full.ids == ids and full.unembedded == 0
    embedding_store.save_vectors(search_project, MODEL, ["a typed query's hash"], np.array([[0, 1.0, 0]], np.float32))
    assert vector_index(search_project, MODEL) is full  # a cached query vector is no excerpt's
