"""Search over a project: text (words, phrases, regex) and semantic (excerpts like a sentence or an excerpt)."""

from coding.search.cache import text_index, vector_index
from coding.search.coding_hits import HitsCoded, code_hits, undo_hits_batch
from coding.search.filters import parse_where
from coding.search.models import SearchFilters, SearchHit, SearchResults
from coding.search.semantic import DEFAULT_LIMIT, VectorIndex, semantic_search
from coding.search.text import TextIndex, compile_query, text_search

__all__ = [
    "DEFAULT_LIMIT", "HitsCoded", "SearchFilters", "SearchHit", "SearchResults", "TextIndex", "VectorIndex",
    "code_hits", "compile_query", "parse_where", "semantic_search", "text_index", "text_search", "undo_hits_batch",
    "vector_index",
]
