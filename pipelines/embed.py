"""Embedding flow: every current excerpt gets a vector from the chosen model, computed once per (model, text)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coding.embedding.base import Embedder, ProgressCallback
from coding.embedding.registry import make_embedder
from coding.store import ProjectStore
from coding.store import embeddings as embedding_store
from coding.store.settings import get_setting

MODEL_SETTING = "embedding_model"


@dataclass(frozen=True)
class EmbedReport:
    model_id: str
    excerpts: int
    encoded: int  # texts sent to the model in this call
    cached: int  # texts already embedded with this model


def project_embedder(store: ProjectStore, model: str | None = None) -> Embedder:
    """`model` if given, else the project's `embedding_model` setting, else the bundled MiniLM."""
    return make_embedder(model or get_setting(store, MODEL_SETTING))


def embed_texts(store: ProjectStore, embedder: Embedder, texts: list[str], hashes: list[str],
                progress: ProgressCallback | None = None) -> tuple[np.ndarray, int]:
    """Vectors for `texts` (rows in order), encoding only the ones not cached. Returns (vectors, encoded)."""
    model_id = embedder.model_id
    cached = embedding_store.cached_hashes(store, model_id, hashes)
    todo: dict[str, str] = {}
    for text, text_hash in zip(texts, hashes):
        if text_hash not in cached and text_hash not in todo:
            todo[text_hash] = text
    if todo:
        vectors = embedder.encode(list(todo.values()), progress=progress)
        embedding_store.save_vectors(store, model_id, list(todo), vectors)
    if not hashes:
        return np.zeros((0, embedder.dimension), dtype=np.float32), 0
    return embedding_store.load_vectors(store, model_id, hashes), len(todo)


def embed_excerpts(store: ProjectStore, embedder: Embedder, progress: ProgressCallback | None = None) -> EmbedReport:
    rows = embedding_store.excerpt_hashes(store)
    hashes = [r[1] for r in rows]
    _, encoded = embed_texts(store, embedder, [r[2] for r in rows], hashes, progress)
    return EmbedReport(embedder.model_id, len(rows), encoded, len(set(hashes)) - encoded)


def excerpt_vectors(store: ProjectStore, embedder: Embedder,
                    progress: ProgressCallback | None = None) -> tuple[list[tuple[str, str, str]], np.ndarray]:
    """(excerpt id, text hash, text) rows in document order and their vectors, embedding what is missing."""
    rows = embedding_store.excerpt_hashes(store)
    vectors, _ = embed_texts(store, embedder, [r[2] for r in rows], [r[1] for r in rows], progress)
    return rows, vectors
