"""Search flows: text search over the project, and semantic search whose typed sentence is embedded through the
project's embedding cache (the same model and cache as the excerpts)."""

from __future__ import annotations

from coding.embedding.base import Embedder
from coding.search import SearchFilters, SearchResults, semantic_search, text_index, text_search, vector_index
from coding.search.semantic import DEFAULT_LIMIT
from coding.search.text import compile_query
from coding.store import ProjectStore
from coding.store.documents import text_hash
from pipelines.embed import embed_texts


def search_text(store: ProjectStore, query: str, regex: bool = False, case_sensitive: bool = False,
                filters: SearchFilters | None = None, limit: int | None = None) -> SearchResults:
    return text_search(text_index(store), query, regex, case_sensitive, filters, limit)


def search_like(store: ProjectStore, embedder: Embedder, sentence: str | None = None, excerpt_id: str | None = None,
                filters: SearchFilters | None = None, limit: int = DEFAULT_LIMIT) -> SearchResults:
    """Excerpts most like a typed sentence or like the excerpt `excerpt_id` (which is left out of its own results)."""
    vectors = vector_index(store, embedder.model_id)
    texts = text_index(store)
    if excerpt_id is not None:
        return semantic_search(texts, vectors, vectors.vector_of(excerpt_id), excerpt_id, filters, limit,
                               exclude=excerpt_id)
    compile_query(sentence or "")  # the same message for an empty query as a text search
    query_vectors, _ = embed_texts(store, embedder, [sentence], [text_hash(sentence)])
    return semantic_search(texts, vectors, query_vectors[0], sentence, filters, limit)
