"""What search reads from the project: documents' text, turn spans and the excerpt vectors of one model.

Search keeps these in memory per process (`coding.search.cache`); the stamps here tell it when the project changed.
"""

from __future__ import annotations

from coding.store.connection import ProjectStore


def documents_stamp(store: ProjectStore) -> tuple:
    """Changes whenever a document is added, replaced, removed or gets new attributes."""
    return store.conn.execute(
        "SELECT count(*), max(ingested_at), sum(version), md5(string_agg(name || '|' || attributes, '|' ORDER BY name))"
        " FROM documents"
    ).fetchone()


def searchable_documents(store: ProjectStore) -> list[tuple[str, str, str]]:
    """(name, stored text, attributes JSON) of every current document, by name."""
    return store.conn.execute("SELECT name, text, attributes FROM documents ORDER BY name").fetchall()


def turn_spans(store: ProjectStore) -> list[tuple[str, int, str, str, int, int]]:
    """(document, number, speaker, role, start, end) of every turn, in document and turn order."""
    return store.conn.execute(
        "SELECT document, number, speaker, role, start_offset, end_offset FROM turns ORDER BY document, number"
    ).fetchall()


def excerpt_spans(store: ProjectStore) -> list[tuple[str, str, int, int]]:
    """(excerpt id, document, start, end) of every excerpt, to tell when a span is exactly one excerpt."""
    return store.conn.execute("SELECT id, document, start_offset, end_offset FROM excerpts").fetchall()


def vectors_stamp(store: ProjectStore, model_id: str) -> tuple:
    """Changes when excerpts gain or lose vectors for the model (not when a search query's vector is cached)."""
    return store.conn.execute(
        "SELECT count(*), count(e.text_hash) FROM excerpts x"
        " LEFT JOIN embeddings e ON e.text_hash = x.text_hash AND e.model_id = ?", [model_id]
    ).fetchone()


def excerpt_vectors(store: ProjectStore, model_id: str) -> list[tuple[str, str, int, int, bytes]]:
    """(excerpt id, document, start, end, vector bytes) of every excerpt that has a vector for the model, in document
    order. No excerpt text: search reads it from the documents, and leaving it out makes this load 4x faster."""
    return store.conn.execute(
        "SELECT x.id, x.document, x.start_offset, x.end_offset, e.vector FROM excerpts x"
        " JOIN embeddings e ON e.text_hash = x.text_hash AND e.model_id = ? ORDER BY x.document, x.turn, x.idx",
        [model_id],
    ).fetchall()


def model_vector_count(store: ProjectStore, model_id: str) -> int:
    """Rows the embedding cache holds for the model (excerpts' and typed queries' vectors)."""
    return store.conn.execute("SELECT count(*) FROM embeddings WHERE model_id = ?", [model_id]).fetchone()[0]


def excerpt_count(store: ProjectStore) -> int:
    return store.conn.execute("SELECT count(*) FROM excerpts").fetchone()[0]
