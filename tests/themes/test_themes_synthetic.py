"""Synthetic excerpts for the 100k benchmark."""

from __future__ import annotations

import numpy as np

from coding.themes.synthetic import (
    BUILTIN_SENTENCES,
    excerpt_compositions,
    mixed_vectors,
    sentences_from_files,
    synthesise_excerpts,
)


def test_excerpts_are_one_to_three_consecutive_sentences_and_reproducible():
    sentences = [f"Sentence number {i}." for i in range(20)]
    excerpts = synthesise_excerpts(sentences, 200, seed=3)
    assert len(excerpts) == 200
    assert excerpts == synthesise_excerpts(sentences, 200, seed=3)
    assert excerpts != synthesise_excerpts(sentences, 200, seed=4)
    for excerpt in excerpts:
        count = excerpt.count("Sentence number")
        assert 1 <= count <= 3
    assert {e.count(".") for e in excerpts} == {1, 2, 3}


def test_mixed_vectors_are_unit_and_close_to_their_sentences():
    rng = np.random.default_rng(0)
    sentence_vectors = rng.standard_normal((30, 64)).astype(np.float32)
    sentence_vectors /= np.linalg.norm(sentence_vectors, axis=1, keepdims=True)
    compositions = excerpt_compositions(30, 100, seed=1)
    vectors = mixed_vectors(sentence_vectors, compositions, seed=1, noise=0.3)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    singles = [i for i, c in enumerate(compositions) if len(c) == 1]
    assert all(vectors[i] @ sentence_vectors[compositions[i][0]] > 0.9 for i in singles)


def test_sentences_are_read_from_labelled_transcripts_without_labels(tmp_path):
    (tmp_path / "D1.txt").write_text(
        "Title line\n\nInterviewer: How is it going with the new tools?\n\n"
        "Dr. Lee: We started a pilot in three schools. It went well for most teachers.\n1/2\n",
        encoding="utf-8",
    )
    sentences = sentences_from_files([tmp_path / "D1.txt"])
    assert "We started a pilot in three schools." in sentences
    assert "How is it going with the new tools?" in sentences
    assert not any("Interviewer" in s or "Lee:" in s for s in sentences)


def test_builtin_sentences_cover_several_topics():
    assert len(BUILTIN_SENTENCES) >= 30
