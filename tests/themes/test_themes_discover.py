"""discover_themes end to end on corpora with planted themes (PCA reducer: fast; one UMAP test)."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest

from coding.themes import IdentityReducer, PrecomputedClusterer, ThemeSettings, discover_themes
from tests.themes.planted import TOPICS, embed, planted_corpus, sphere_blobs

FAST = ThemeSettings(reducer="pca", n_components=5, min_cluster_size=10)


@pytest.fixture(scope="module")
def planted():
    texts, topics, documents, speakers = planted_corpus(per_topic=40)
    vectors = embed(texts)
    # Five excerpts that belong to no topic: they should end up as outliers with a nearest theme.
    strays = [f"unrelated chatter about weather number {i} and lunch menus" for i in range(5)]
    return (
        np.vstack([vectors, embed(strays)]),
        texts + strays,
        topics + ["stray"] * 5,
        documents + ["D9"] * 5,
        speakers + ["S99"] * 5,
    )


@pytest.fixture(scope="module")
def fast_result(planted):
    vectors, texts, _, documents, speakers = planted
    return discover_themes(vectors, texts, documents, speakers, FAST)


def test_each_planted_topic_becomes_one_pure_theme(planted, fast_result):
    topics = planted[2]
    assert len(fast_result.themes) == 3
    for theme in fast_result.themes:
        member_topics = Counter(topics[i] for i in theme.members)
        topic, count = member_topics.most_common(1)[0]
        assert topic != "stray"
        assert count / theme.size >= 0.95
        assert count >= 36  # nearly all 40 texts of the topic


def test_keywords_come_from_the_theme_vocabulary(planted, fast_result):
    topics = planted[2]
    for theme in fast_result.themes:
        topic = Counter(topics[i] for i in theme.members).most_common(1)[0][0]
        vocabulary = {w.rstrip("s") for w in TOPICS[topic]}
        top = theme.keywords[:5]
        assert all(word.rstrip("s") in vocabulary for term in top for word in term.split()), (topic, top)
        assert theme.label.count(" / ") == 2
        assert theme.label.split(" / ")[0] == theme.keywords[0]


def test_theme_ids_run_from_one_by_size_descending(fast_result):
    assert [t.id for t in fast_result.themes] == list(range(1, len(fast_result.themes) + 1))
    sizes = [t.size for t in fast_result.themes]
    assert sizes == sorted(sizes, reverse=True)


def test_every_excerpt_is_a_member_or_an_outlier_exactly_once(planted, fast_result):
    members = [i for t in fast_result.themes for i in t.members]
    outliers = [o.index for o in fast_result.outliers]
    assert sorted(members + outliers) == list(range(len(planted[1])))
    for i, theme_id in enumerate(fast_result.theme_of):
        assert (theme_id is None) == (i in outliers)


def test_outliers_get_their_nearest_theme_and_its_similarity(planted, fast_result):
    vectors = planted[0]
    strays = set(range(len(planted[1]) - 5, len(planted[1])))
    assert strays <= {o.index for o in fast_result.outliers}
    centroids = np.array([t.centroid for t in fast_result.themes])
    for outlier in fast_result.outliers:
        similarities = centroids @ vectors[outlier.index]
        assert outlier.nearest_theme == int(np.argmax(similarities)) + 1
        assert outlier.similarity == pytest.approx(float(similarities.max()), abs=1e-5)


def test_representatives_are_the_members_closest_to_the_centroid(planted, fast_result):
    vectors = planted[0]
    for theme in fast_result.themes:
        centroid = np.array(theme.centroid)
        assert np.linalg.norm(centroid) == pytest.approx(1.0, abs=1e-5)
        closeness = {i: float(vectors[i] @ centroid) for i in theme.members}
        best = sorted(theme.members, key=lambda i: (-closeness[i], i))[: FAST.representatives]
        assert theme.representatives == best


def test_documents_and_speakers_count_distinct_sources_and_people_per_document(planted, fast_result):
    documents, speakers = planted[3], planted[4]
    for theme in fast_result.themes:
        assert theme.documents == len({documents[i] for i in theme.members})
        assert theme.speakers == len({(documents[i], speakers[i]) for i in theme.members})


def test_same_input_and_settings_give_an_identical_result(planted, fast_result):
    vectors, texts, _, documents, speakers = planted
    again = discover_themes(vectors.copy(), list(texts), documents, speakers, FAST)
    assert again == fast_result
    assert again.model_dump_json() == fast_result.model_dump_json()


def test_manifest_records_parameters_seed_and_versions_as_json(fast_result):
    manifest = json.loads(json.dumps(fast_result.manifest))
    assert manifest["n_excerpts"] == 125
    assert manifest["seed"] == 42
    assert manifest["reducer"]["name"] == "pca"
    assert manifest["clusterer"] == {
        "name": "hdbscan",
        "min_cluster_size": 10,
        "min_samples": 3,
        "cluster_selection_method": ThemeSettings().cluster_selection_method,
        "metric": "euclidean",
    }
    assert manifest["settings"]["reducer"] == "pca"
    assert {"umap-learn", "hdbscan", "scikit-learn"} <= set(manifest["versions"])
    assert manifest["n_themes"] == 3


def test_blobs_on_the_sphere_are_recovered_with_a_scaled_min_cluster_size():
    vectors, blobs = sphere_blobs(centres=4, per_blob=60, seed=3)
    n = len(vectors)
    texts = [f"text {i}" for i in range(n)]
    result = discover_themes(vectors, texts, ["D"] * n, ["S"] * n, ThemeSettings(reducer="pca", n_components=8))
    assert result.manifest["min_cluster_size"] == 8  # round(sqrt(240) / 2)
    assert len(result.themes) == 4
    for theme in result.themes:
        assert len(set(blobs[theme.members].tolist())) == 1


def test_stages_can_be_replaced_for_labels_the_caller_already_has(planted):
    vectors, texts, topics, documents, speakers = planted
    labels = [-1 if t == "stray" else ["training", "budget", "privacy"].index(t) for t in topics]
    result = discover_themes(
        vectors, texts, documents, speakers, FAST, reducer=IdentityReducer(), clusterer=PrecomputedClusterer(labels)
    )
    assert [t.size for t in result.themes] == [40, 40, 40]
    assert result.manifest["clusterer"] == {"name": "precomputed"}
    assert len(result.outliers) == 5


def test_the_same_speaker_label_in_two_documents_counts_as_two_speakers():
    texts = ["budget money", "budget cost", "budget grant", "budget price"]
    result = discover_themes(
        embed(texts), texts, ["D1", "D1", "D2", "D2"], ["Superintendent", "Superintendent", "Superintendent", "CFO"],
        FAST, reducer=IdentityReducer(), clusterer=PrecomputedClusterer([0, 0, 0, 0]),
    )
    assert (result.themes[0].documents, result.themes[0].speakers) == (2, 3)


def test_too_few_excerpts_give_no_theme_and_every_excerpt_an_outlier():
    texts = ["budget money", "privacy data", "training teachers"]
    result = discover_themes(embed(texts), texts, ["D"] * 3, ["S"] * 3, FAST)
    assert result.themes == []
    assert [(o.index, o.nearest_theme) for o in result.outliers] == [(0, None), (1, None), (2, None)]


def test_mismatched_inputs_are_refused():
    with pytest.raises(ValueError, match="2 groups for 3 vectors"):
        discover_themes(embed(["a", "b", "c"]), ["a", "b", "c"], ["D", "D"], ["S"] * 3, FAST)


def test_umap_default_finds_the_planted_topics_and_reproduces(planted):
    vectors, texts, topics, documents, speakers = planted
    settings = ThemeSettings(min_cluster_size=10)  # reducer="umap", the default
    first = discover_themes(vectors, texts, documents, speakers, settings)
    second = discover_themes(vectors, texts, documents, speakers, settings)
    assert first == second
    assert first.manifest["reducer"]["name"] == "umap"
    # Each theme holds one planted topic (UMAP attaches the five strays to some neighbourhood, so they may join),
    # and every topic is found; HDBSCAN's 'leaf' selection may split a topic into more than one theme.
    planted_topics = [{topics[i] for i in theme.members} - {"stray"} for theme in first.themes]
    assert all(len(t) == 1 for t in planted_topics)
    assert set().union(*planted_topics) == {"budget", "privacy", "training"}
    themed = sum(theme.size for theme in first.themes)
    assert themed >= 0.8 * 120
