"""A deterministic stand-in for a sentence-embedding model, for fast and exact tests.

Each lowercased word token gets a fixed pseudo-random direction derived from its sha256; a text's vector is the
normalised sum of its tokens' directions. So identical texts get identical vectors, texts sharing words are similar
(in proportion to the words they share) and texts with disjoint vocabularies are nearly orthogonal, which is enough
structure for clustering and matching tests. Vectors depend only on the text, never on the batch or the platform.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np

from coding.embedding.base import DEFAULT_BATCH_SIZE, ProgressCallback, normalise_rows

_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=65536)
def _direction(token: str, dimension: int) -> np.ndarray:
    """Uniform values in [-0.5, 0.5) from sha256 in counter mode; portable, unlike a seeded numpy generator."""
    needed = 4 * dimension
    chunks = []
    counter = 0
    while sum(len(c) for c in chunks) < needed:
        chunks.append(hashlib.sha256(f"{counter}\x00{token}".encode("utf-8")).digest())
        counter += 1
    raw = np.frombuffer(b"".join(chunks)[:needed], dtype="<u4").astype(np.float64)
    vector = raw / 2.0**32 - 0.5
    vector.setflags(write=False)
    return vector


class HashEmbedder:
    """Fake embedder: bag of hashed word directions. `model_id` is "fake-hash-<dimension>"."""

    def __init__(self, dimension: int = 64):
        if dimension < 2:
            raise ValueError(f"dimension must be at least 2, got {dimension}")
        self._dimension = dimension

    @property
    def model_id(self) -> str:
        return f"fake-hash-{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(
        self, texts: list[str], batch_size: int = DEFAULT_BATCH_SIZE, progress: ProgressCallback | None = None
    ) -> np.ndarray:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        rows = np.zeros((len(texts), self._dimension), dtype=np.float64)
        for i, text in enumerate(texts):
            # A text without word characters still needs a unit vector: hash the whole text instead.
            tokens = _WORD.findall(text.lower()) or [f"\x01{text}"]
            for token in tokens:
                rows[i] += _direction(token, self._dimension)
            if progress is not None and ((i + 1) % batch_size == 0 or i + 1 == len(texts)):
                progress(i + 1, len(texts))
        return normalise_rows(rows)
