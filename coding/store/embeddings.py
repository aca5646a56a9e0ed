"""The embedding cache, keyed by (model id, text hash): a re-run embeds only texts it has never seen."""

from __future__ import annotations

import numpy as np

from coding.store.connection import ProjectStore


def cached_hashes(store: ProjectStore, model_id: str, hashes: list[str]) -> set[str]:
    if not hashes:
        return set()
    rows = store.conn.execute(
        "SELECT e.text_hash FROM embeddings e JOIN (SELECT unnest(?) AS h) q ON q.h = e.text_hash"
        " WHERE e.model_id = ?", [hashes, model_id]
    ).fetchall()
    return {r[0] for r in rows}


def save_vectors(store: ProjectStore, model_id: str, hashes: list[str], vectors: np.ndarray) -> None:
    vectors = np.ascontiguousarray(vectors, dtype="<f4")
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO embeddings VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [[model_id, h, vectors.shape[1], vectors[i].tobytes()] for i, h in enumerate(hashes)],
        )


def load_vectors(store: ProjectStore, model_id: str, hashes: list[str]) -> np.ndarray:
    """Vectors in the order of `hashes` (every hash must be cached)."""
    if not hashes:
        return np.zeros((0, 0), dtype=np.float32)
    rows = store.conn.execute(
        "SELECT e.text_hash, e.vector FROM embeddings e JOIN (SELECT unnest(?) AS h) q ON q.h = e.text_hash"
        " WHERE e.model_id = ?",
        [list(set(hashes)), model_id],
    ).fetchall()
    by_hash = {h: np.frombuffer(v, dtype="<f4") for h, v in rows}
    missing = [h for h in hashes if h not in by_hash]
    if missing:
        raise KeyError(f"{len(missing)} texts have no cached embedding for {model_id}")
    return np.vstack([by_hash[h] for h in hashes]).astype(np.float32)


def excerpt_hashes(store: ProjectStore) -> list[tuple[str, str, str]]:
    """(excerpt id, text hash, text) for every current excerpt, in document order."""
    return [tuple(r) for r in store.conn.execute(
        "SELECT id, text_hash, text FROM excerpts ORDER BY document, turn, idx").fetchall()]


def models_cached(store: ProjectStore) -> dict[str, int]:
    return dict(store.conn.execute("SELECT model_id, count(*) FROM embeddings GROUP BY model_id").fetchall())
