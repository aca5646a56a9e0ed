"""Choosing an embedder by name, cache keys, and the offline error for a model that is not here."""

from __future__ import annotations

import unicodedata

import pytest

from coding.embedding import DEFAULT_MODEL_ID, HashEmbedder, SentenceTransformerEmbedder, make_embedder, text_hash
from coding.errors import QcodeError


@pytest.mark.parametrize("name", [None, "default", "all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"])
def test_default_names_mean_the_bundled_minilm_and_nothing_loads_yet(name):
    embedder = make_embedder(name)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.model_id == DEFAULT_MODEL_ID
    assert embedder.dimension == 384
    assert not embedder.loaded


@pytest.mark.parametrize("name", ["fake", "fake-hash", "FAKE"])
def test_fake_names_give_the_hash_embedder(name):
    assert isinstance(make_embedder(name), HashEmbedder)


def test_other_names_are_sentence_transformers_models_recorded_by_name():
    embedder = make_embedder("org/some-model")
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.model_id == "org/some-model"


def test_a_model_folder_is_recorded_by_its_absolute_path(tmp_path, monkeypatch):
    (tmp_path / "mymodel").mkdir()
    monkeypatch.chdir(tmp_path)
    assert make_embedder("./mymodel").model_id == str(tmp_path / "mymodel")


def test_missing_model_folder_says_which_model_that_qcode_is_offline_and_how_to_configure(tmp_path):
    missing = str(tmp_path / "no-such-model")
    with pytest.raises(QcodeError) as caught:
        make_embedder(missing).encode(["hello"])
    message = str(caught.value)
    assert missing in message
    assert "offline" in message
    assert "folder" in message and "sentence-transformers model" in message


def test_folder_without_model_files_is_reported_before_loading_anything(tmp_path):
    with pytest.raises(QcodeError, match="no modules.json or config.json"):
        make_embedder(str(tmp_path)).encode(["hello"])


def test_text_hash_is_sha256_of_the_nfc_text():
    composed = "café"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert text_hash(composed) == text_hash(decomposed)
    assert len(text_hash("x")) == 64 and text_hash("x") != text_hash("y")
