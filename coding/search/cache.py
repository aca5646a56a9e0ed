"""Search indexes kept per process and project file, rebuilt when the project's documents or vectors change.

A cheap stamp query on every search decides whether the held index is still the project's."""

from __future__ import annotations

import threading

from coding.search.semantic import VectorIndex
from coding.search.text import TextIndex
from coding.store import ProjectStore
from coding.store import search as search_store

_lock = threading.Lock()
_texts: dict[str, tuple[tuple, TextIndex]] = {}
_vectors: dict[tuple[str, str], tuple[tuple, VectorIndex]] = {}  # ((documents, rows, join), index)


def text_index(store: ProjectStore) -> TextIndex:
    key = _key(store)
    stamp = search_store.documents_stamp(store)
    with _lock:
        held = _texts.get(key)
        if held is None or held[0] != stamp:
            held = (stamp, TextIndex.load(store))
            _texts[key] = held
        return held[1]


def vector_index(store: ProjectStore, model_id: str) -> VectorIndex:
    """Reloaded when documents change or excerpts gain vectors. Caching a typed query's vector adds a row to the
    embedding cache too, so a change in the model's row count alone is checked against the excerpts (a join) only
    while some excerpts still lack a vector: with all of them embedded, no new row can be an excerpt's."""
    key = (_key(store), model_id)
    documents = search_store.documents_stamp(store)
    vectors = search_store.model_vector_count(store, model_id)
    with _lock:
        held = _vectors.get(key)
        if held is not None and held[0][0] == documents:
            (_, held_vectors, held_join), index = held
            if held_vectors == vectors:
                return index
            join = search_store.vectors_stamp(store, model_id)
            if index.unembedded == 0 or join == held_join:
                _vectors[key] = ((documents, vectors, held_join), index)
                return index
        join = search_store.vectors_stamp(store, model_id)
        index = VectorIndex.load(store, model_id)
        _vectors[key] = ((documents, vectors, join), index)
        return index


def _key(store: ProjectStore) -> str:
    return str(store.path.resolve()) if store.path else str(id(store))
