"""The hash embedder that most tests use instead of the real model."""

from __future__ import annotations

import numpy as np

from coding.embedding import HashEmbedder, make_embedder


def test_same_text_gets_the_same_vector_from_any_instance_and_batch():
    texts = ["Teachers need training.", "Budget cuts hurt.", "Teachers need training."]
    first = HashEmbedder().encode(texts)
    second = HashEmbedder().encode(list(reversed(texts)), batch_size=1)
    assert np.array_equal(first[0], first[2])
    assert np.array_equal(first, second[::-1])


def test_vectors_are_unit_float32_rows_of_the_requested_dimension():
    vectors = HashEmbedder(dimension=32).encode(["one", "two words", "", "!!!"])
    assert vectors.dtype == np.float32
    assert vectors.shape == (4, 32)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)


def test_texts_sharing_words_are_more_similar_than_texts_without_shared_words():
    a, b, c = HashEmbedder().encode(
        [
            "teacher training and professional development workshops",
            "professional development workshops for every teacher",
            "budget cuts and subscription prices next year",
        ]
    )
    assert a @ b > 0.5
    assert a @ b > a @ c + 0.3


def test_case_and_punctuation_do_not_change_the_vector():
    plain, shouted = HashEmbedder().encode(["data privacy matters", "DATA, privacy... MATTERS!"])
    assert np.allclose(plain, shouted)


def test_model_id_names_the_fake_and_its_dimension():
    assert HashEmbedder().model_id == "fake-hash-64"
    assert HashEmbedder(dimension=16).model_id == "fake-hash-16"
    assert make_embedder("fake").model_id == "fake-hash-64"


def test_progress_reports_each_batch_and_ends_at_the_total():
    calls: list[tuple[int, int]] = []
    HashEmbedder().encode([f"text {i}" for i in range(5)], batch_size=2, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(2, 5), (4, 5), (5, 5)]


def test_empty_input_gives_an_empty_matrix():
    assert HashEmbedder().encode([]).shape == (0, 64)
