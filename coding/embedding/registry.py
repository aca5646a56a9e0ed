"""Embedders by name, as a project setting or a command-line option spells them."""

from __future__ import annotations

from coding.embedding.base import Embedder
from coding.embedding.fake import HashEmbedder
from coding.embedding.sentence import DEFAULT_MODEL_ID, SentenceTransformerEmbedder

FAKE_NAMES = frozenset({"fake", "fake-hash"})

__all__ = ["DEFAULT_MODEL_ID", "FAKE_NAMES", "make_embedder"]


def make_embedder(name: str | None = None, device: str = "cpu") -> Embedder:
    """None or "default": the bundled all-MiniLM-L6-v2; "fake"/"fake-hash": `HashEmbedder` (64-d, for tests and
    demos); anything else: a sentence-transformers model name in the local cache or a model folder.

    Nothing is loaded here; the model loads on first use.
    """
    key = (name or "default").strip()
    if key.lower() in FAKE_NAMES:
        return HashEmbedder()
    return SentenceTransformerEmbedder(None if key.lower() == "default" else key, device=device)
