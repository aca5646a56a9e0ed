"""Words beside meaning: the wording view joins the clustered space only when asked, and then shared wording pulls
units together that their vectors alone keep apart."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import adjusted_rand_score

from coding.themes.discover import discover_themes
from coding.themes.lexical import wording_vectors, with_wording
from coding.themes.settings import ThemeSettings

TOPICS = [
    ["contract", "company", "product", "license", "pricing", "salesperson"],
    ["hiring", "vacancy", "substitute", "turnover", "recruit", "positions"],
    ["garden", "compost", "seedling", "harvest", "soil", "watering"],
]


def _corpus(per_topic: int = 20, seed: int = 0) -> tuple[np.ndarray, list[str], list[int]]:
    rng = np.random.default_rng(seed)
    texts, topics = [], []
    for topic, words in enumerate(TOPICS):
        for _ in range(per_topic):
            texts.append("we talked about the " + " and the ".join(rng.choice(words, size=3, replace=False)))
            topics.append(topic)
    vectors = rng.normal(size=(len(texts), 32)).astype(np.float32)  # meaning says nothing about the topic
    return vectors, texts, topics


def test_wording_vectors_are_unit_rows_and_absent_when_nothing_is_shared():
    _, texts, _ = _corpus()
    wording = wording_vectors(texts, seed=0)
    assert wording is not None and wording.shape[0] == len(texts)
    assert np.allclose(np.linalg.norm(wording, axis=1), 1.0, atol=1e-5)
    assert wording_vectors(["alpha", "beta", "gamma"], seed=0) is None  # no word in two texts


def test_weight_zero_leaves_the_space_as_it_was():
    vectors, texts, _ = _corpus()
    assert with_wording(vectors, texts, 0.0, seed=0) is vectors
    joined = with_wording(vectors, texts, 1.5, seed=0)
    assert joined.shape[0] == len(texts) and joined.shape[1] > vectors.shape[1]
    assert np.array_equal(joined[:, :vectors.shape[1]], vectors)


def test_shared_wording_finds_topics_that_the_vectors_alone_cannot():
    vectors, texts, topics = _corpus()
    groups, speakers = [f"D{i % 6}" for i in range(len(texts))], ["R"] * len(texts)

    def agreement(weight: float) -> float:
        settings = ThemeSettings(reducer="pca", n_components=5, min_cluster_size=8, min_samples=2,
                                 cluster_selection_method="eom", wording_weight=weight, seed=3)
        result = discover_themes(vectors, texts, groups, speakers, settings)
        labels = [-1 if t is None else t for t in result.theme_of]
        return adjusted_rand_score(topics, labels)

    assert agreement(3.0) > 0.8
    assert agreement(0.0) < 0.3
    # Centres stay in the embedding's own space, so they compare with the codebook's code vectors.
    settings = ThemeSettings(reducer="pca", n_components=5, min_cluster_size=8, min_samples=2, wording_weight=3.0)
    result = discover_themes(vectors, texts, groups, speakers, settings)
    assert result.themes and all(len(t.centroid) == vectors.shape[1] for t in result.themes)
