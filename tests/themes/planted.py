"""Test corpora with known themes: texts from separate vocabularies, embedded with the hash embedder."""

from __future__ import annotations

import numpy as np

from coding.embedding import HashEmbedder

TOPICS: dict[str, list[str]] = {
    "training": "training workshop teachers coaching sessions summer learning colleagues practice skills".split(),
    "budget": "budget cost subscription license price grant funding money dollars renewal".split(),
    "privacy": "privacy data records security vendor agreement compliance names storage consent".split(),
}
SHARED_WORDS = "the we our and so it is".split()


def planted_corpus(per_topic: int = 40, seed: int = 0) -> tuple[list[str], list[str], list[str], list[str]]:
    """(texts, topic of each text, document of each, speaker of each); topics interleaved, 8 topic words + 2
    shared words per text."""
    rng = np.random.default_rng(seed)
    texts, topics, documents, speakers = [], [], [], []
    for i in range(per_topic):
        for topic, words in TOPICS.items():
            picked = list(rng.choice(words, size=8)) + list(rng.choice(SHARED_WORDS, size=2))
            texts.append(" ".join(picked))
            topics.append(topic)
            documents.append(f"D{i % 6}")
            speakers.append(f"S{i % 9}")
    return texts, topics, documents, speakers


def embed(texts: list[str]) -> np.ndarray:
    return HashEmbedder(dimension=64).encode(texts)


def sphere_blobs(centres: int, per_blob: int, dimension: int = 32, spread: float = 0.15, seed: int = 0):
    """Gaussian blobs around random unit centres, projected back to the sphere; returns (vectors, blob labels)."""
    rng = np.random.default_rng(seed)
    middles = rng.standard_normal((centres, dimension))
    middles /= np.linalg.norm(middles, axis=1, keepdims=True)
    noise = rng.standard_normal((centres * per_blob, dimension)) * spread * 3 / np.sqrt(dimension)
    points = np.repeat(middles, per_blob, axis=0) + noise
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    return points.astype(np.float32), np.repeat(np.arange(centres), per_blob)
