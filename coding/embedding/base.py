"""The interface every embedder satisfies, and helpers shared by implementations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import numpy as np

# 32, as SentenceTransformer.encode uses: measured on 2 CPU cores, batches of 64 ran at 0.85x of the direct call
# (more padding per batch), batches of 32 at 1.0x.
DEFAULT_BATCH_SIZE = 32

# progress(done, total): called after each batch with the number of texts encoded so far.
ProgressCallback = Callable[[int, int], None]
# stage(name, count): a long pipeline says which stage starts now and how many items it works on.
StageCallback = Callable[[str, int], None]


class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors, one row per text, in input order.

    Not `runtime_checkable` on purpose: an isinstance check reads `dimension`, which loads a lazy model.
    """

    @property
    def model_id(self) -> str:
        """Stable id of the model: recorded in run manifests and part of the embedding cache key."""
        ...

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        ...

    def encode(
        self, texts: list[str], batch_size: int = DEFAULT_BATCH_SIZE, progress: ProgressCallback | None = None
    ) -> np.ndarray:
        """A `(len(texts), dimension)` float32 array whose rows have unit L2 norm."""
        ...


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length as float32; all-zero rows stay zero rather than becoming NaN."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def length_sorted_batches(texts: list[str], batch_size: int) -> tuple[np.ndarray, list[list[str]]]:
    """Texts ordered longest first and cut into batches, plus the order used (to restore input order later).

    Batching similar lengths together keeps padding, and so wasted model work, small. The sort is stable, so equal
    lengths keep their input order and results do not depend on anything but the input.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    order = np.argsort([-len(t) for t in texts], kind="stable")
    ordered = [texts[i] for i in order]
    batches = [ordered[start : start + batch_size] for start in range(0, len(ordered), batch_size)]
    return order, batches


def restore_order(order: np.ndarray, sorted_rows: np.ndarray) -> np.ndarray:
    """Undo `length_sorted_batches`: row k of the result belongs to texts[k]."""
    result = np.empty_like(sorted_rows)
    result[order] = sorted_rows
    return result
