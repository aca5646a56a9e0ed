"""Cache keys for embeddings: a vector is stored under (model_id, text_hash(text))."""

from __future__ import annotations

import hashlib
import unicodedata


def text_hash(text: str) -> str:
    """sha256 hex digest of the NFC-normalised text, so the same words typed differently share one cache entry."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()
