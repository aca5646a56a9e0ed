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
_vectors: dict[tuple[str, str], tuple[tuple, VectorIndex]] = {}


def text_index(store: ProjectStore) -> TextIndex:
    key = str(store.path.resolve()) if store.path else str(id(store))
    stamp = search_store.documents_stamp(store)
    with _lock:
        held = _texts.get(key)
        if held is None or held[0] != stamp:
            held = (stamp, TextIndex.load(store))
            _texts[key] = held
        return held[1]


def vector_index(store: ProjectStore, model_id: str) -> VectorIndex:
    key = (str(store.path.resolve()) if store.path else str(id(store)), model_id)
    stamp = (search_store.documents_stamp(store), search_store.vectors_stamp(store, model_id))
    with _lock:
        held = _vectors.get(key)
        if held is None or held[0] != stamp:
            held = (stamp, VectorIndex.load(store, model_id))
            _vectors[key] = held
        return held[1]
