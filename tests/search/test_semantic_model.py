"""Semantic search with the bundled MiniLM: a paraphrase finds the passage it paraphrases."""

from __future__ import annotations

import pytest

from coding.embedding import make_embedder
from coding.store import documents as doc_store
from pipelines.embed import embed_excerpts
from pipelines.search import search_like

pytestmark = pytest.mark.model


def test_a_paraphrase_ranks_its_passage_first(search_project):
    embedder = make_embedder(None)
    embed_excerpts(search_project, embedder)
    results = search_like(search_project, embedder, sentence="We cannot afford the software subscriptions", limit=3)
    licenses = next(e for e in doc_store.get_excerpts(search_project, "R1") if "licenses" in e.text)
    assert results.hits[0].excerpt_id == licenses.id
    privacy = search_like(search_project, embedder, sentence="worries about student data protection", limit=2)
    assert all("rivacy" in h.text for h in privacy.hits)
