"""Themes beyond the codebook: the codebook's directions are shrunk in the clustered space only, by the discount
asked for, so that what the codes do not say can hold a theme together."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from coding.themes.codebook_discount import codebook_basis, discount_codebook
from coding.themes.discover import discover_themes
from coding.themes.settings import ThemeSettings

DIMENSION = 32


def _axis(i: int) -> np.ndarray:
    v = np.zeros(DIMENSION, dtype=np.float32)
    v[i] = 1.0
    return v


def _rows(n: int = 20, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).normal(size=(n, DIMENSION)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_no_discount_or_no_codebook_leaves_the_vectors_as_they_are():
    rows, prototypes = _rows(), np.stack([_axis(0), _axis(1)])
    assert discount_codebook(rows, prototypes, 0.0) is rows
    assert discount_codebook(rows, None, 0.5) is rows
    assert discount_codebook(rows, np.zeros((0, DIMENSION)), 0.5) is rows


def test_a_full_discount_leaves_nothing_along_any_code_and_rows_stay_unit_length():
    rows = _rows()
    prototypes = np.stack([_axis(0) + _axis(1), _axis(1), 2 * _axis(1)])  # the third adds no direction
    assert codebook_basis(prototypes, DIMENSION).shape == (DIMENSION, 2)
    out = discount_codebook(rows, prototypes, 1.0)
    assert np.allclose(out @ prototypes.T, 0.0, atol=1e-5)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    inside = discount_codebook(_axis(0)[None, :], prototypes, 1.0)  # nothing left: keeps its own direction
    assert np.allclose(inside, _axis(0)[None, :])


def test_half_a_discount_halves_the_part_the_codebook_describes():
    rows, prototypes = _rows(), np.stack([_axis(0), _axis(1)])
    out = discount_codebook(rows, prototypes, 0.5)

    def ratio(x: np.ndarray) -> np.ndarray:  # codebook part against the rest, before renormalising
        return np.linalg.norm(x[:, :2], axis=1) / np.linalg.norm(x[:, 2:], axis=1)

    assert np.allclose(ratio(out), 0.5 * ratio(rows), rtol=1e-4)


def _two_codes_with_hidden_topics(per_cell: int = 12, seed: int = 1):
    """Every unit talks mostly about one of two codes and, more quietly, about one of two topics no code names;
    code and topic are independent, so clustering by the codes' directions misses the topics."""
    rng = np.random.default_rng(seed)
    vectors, topics = [], []
    for code in (0, 1):
        for topic in (2, 3):
            for _ in range(per_cell):
                vectors.append(_axis(code) + 0.5 * _axis(topic) + 0.05 * rng.normal(size=DIMENSION))
                topics.append(topic)
    codes = [code for code in (0, 1) for _ in range(2 * per_cell)]
    return np.asarray(vectors, dtype=np.float32), topics, codes, np.stack([_axis(0), _axis(1)])


def test_a_discounted_codebook_lets_topics_it_does_not_name_form_themes():
    vectors, topics, codes, prototypes = _two_codes_with_hidden_topics()
    texts = [f"unit {i}" for i in range(len(vectors))]
    groups, speakers = [f"D{i % 6}" for i in range(len(vectors))], ["R"] * len(vectors)

    def run(discount: float, given: np.ndarray | None = prototypes):
        settings = ThemeSettings(reducer="pca", n_components=5, min_cluster_size=8, min_samples=2, wording_weight=0,
                                 cluster_selection_method="eom", codebook_discount=discount, seed=3)
        return discover_themes(vectors, texts, groups, speakers, settings, code_prototypes=given)

    def agreement(result) -> float:
        return adjusted_rand_score(topics, [-1 if t is None else t for t in result.theme_of])

    def codes_per_theme(result) -> set[int]:
        return {len({codes[i] for i in t.members}) for t in result.themes}

    assert codes_per_theme(run(0.0)) == {1}  # every theme inside one code: the topics are split by code
    assert codes_per_theme(run(0.5, None)) == {1}  # no codebook: nothing to discount
    discounted = run(1.0)
    assert agreement(discounted) > 0.8 and codes_per_theme(discounted) == {2}  # a topic across both codes
    assert discounted.manifest["codebook_discounted_codes"] == 2
    assert run(0.0).manifest["codebook_discounted_codes"] == 0
    # Centres stay in the full embedding, codes included, so the status against the codebook sees all of it.
    assert all(max(abs(t.centroid[0]), abs(t.centroid[1])) > 0.3 for t in discounted.themes)


def test_code_vectors_of_another_model_are_refused():
    vectors, *_ = _two_codes_with_hidden_topics()
    with pytest.raises(ValueError, match="same model"):
        discover_themes(vectors, ["t"] * len(vectors), ["D"] * len(vectors), ["R"] * len(vectors),
                        ThemeSettings(reducer="pca"), code_prototypes=np.ones((2, DIMENSION + 1)))
