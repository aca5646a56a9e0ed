"""Text to unit vectors: the `Embedder` interface, the real sentence-transformers model and a fast fake.

Callers ask `make_embedder(name)` for an embedder and cache vectors under `(embedder.model_id, text_hash(text))`.
"""

from coding.embedding.base import Embedder, ProgressCallback
from coding.embedding.fake import HashEmbedder
from coding.embedding.hashing import text_hash
from coding.embedding.registry import DEFAULT_MODEL_ID, make_embedder
from coding.embedding.sentence import SentenceTransformerEmbedder, default_model_path

__all__ = [
    "DEFAULT_MODEL_ID",
    "Embedder",
    "HashEmbedder",
    "ProgressCallback",
    "SentenceTransformerEmbedder",
    "default_model_path",
    "make_embedder",
    "text_hash",
]
