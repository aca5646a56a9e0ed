"""Length-sorted batching in SentenceTransformerEmbedder, checked with a stand-in model (no torch needed)."""

from __future__ import annotations

import numpy as np

from coding.embedding import SentenceTransformerEmbedder
from coding.embedding.base import length_sorted_batches, restore_order


class RecordingModel:
    """Stands in for SentenceTransformer: vector = (len(text), 1, 0...), and it remembers every batch."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def encode(self, texts, batch_size=32, show_progress_bar=None, convert_to_numpy=True):
        self.batches.append(list(texts))
        rows = np.zeros((len(texts), 4), dtype=np.float32)
        rows[:, 0] = [len(t) for t in texts]
        rows[:, 1] = 1.0
        return rows

    def get_sentence_embedding_dimension(self) -> int:
        return 4


def test_batches_hold_texts_longest_first_and_results_come_back_in_input_order():
    texts = ["a", "ccc", "bb", "eeeee", "dddd", "ff"]
    model = RecordingModel()
    embedder = SentenceTransformerEmbedder.from_model(model, "recording")
    vectors = embedder.encode(texts, batch_size=2)
    assert model.batches == [["eeeee", "dddd"], ["ccc", "bb"], ["ff", "a"]]
    lengths = vectors[:, 0] / vectors[:, 1]  # unit-normalised rows keep the ratio len(text) : 1
    assert np.allclose(lengths, [len(t) for t in texts])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)


def test_progress_counts_texts_done_after_each_batch():
    calls: list[tuple[int, int]] = []
    embedder = SentenceTransformerEmbedder.from_model(RecordingModel(), "recording")
    embedder.encode(["x" * i for i in range(1, 8)], batch_size=3, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(3, 7), (6, 7), (7, 7)]


def test_equal_lengths_keep_their_input_order_so_batches_are_reproducible():
    order, batches = length_sorted_batches(["b1", "a1", "c22", "d1"], batch_size=10)
    assert batches == [["c22", "b1", "a1", "d1"]]
    assert order.tolist() == [2, 0, 1, 3]


def test_restore_order_inverts_the_sort():
    texts = ["xx", "x", "xxxx", "xxx"]
    order, batches = length_sorted_batches(texts, batch_size=3)
    sorted_rows = np.array([[len(t)] for batch in batches for t in batch])
    assert restore_order(order, sorted_rows)[:, 0].tolist() == [2, 1, 4, 3]


def test_wrapped_model_reports_its_id_and_dimension():
    embedder = SentenceTransformerEmbedder.from_model(RecordingModel(), "my-model")
    assert embedder.model_id == "my-model"
    assert embedder.dimension == 4
    assert embedder.encode([]).shape == (0, 4)
