"""From vectors to Suggestion objects, with the evidence that explains each."""

from __future__ import annotations

import numpy as np

from coding.embedding import HashEmbedder
from coding.suggest import (
    Suggestion,
    build_prototypes,
    build_units,
    embed_prototypes,
    label_matrix,
    score_corpus,
    to_suggestions,
)
from tests.suggest.conftest import code, planted_corpus, prototype_vectors

CODES = [
    code("COST", name="budget money", definition="budget money subscription price",
         examples=("the subscription price eats our budget money",)),
    code("PRIVACY", name="student data privacy", definition="student data privacy security",
         examples=("student data must stay private and secure",)),
    code("TRAINING", name="teacher training workshops", definition="teacher training workshops",
         examples=("teacher training workshops every month",)),
]
TEXTS = [
    "The subscription price is eating our budget money.",
    "Where does student data go, is it private and secure?",
    "We run teacher training workshops on Wednesdays.",
    "Our budget money pays for the subscription price.",
    "Student data privacy and security come first.",
    "Workshops for teacher training start in the fall.",
    "The weather was nice.",
    "Lunch is at noon.",
    # Scores are standardised over the corpus, so like a real one it needs turns that are about none of the codes.
    "I grew up two towns over.",
    "Thanks for having me today.",
    "That was back in two thousand nine.",
    "My office is on the second floor.",
    "We have four elementary schools.",
    "Sorry, could you repeat the question?",
]
OFF_TOPIC = range(6, len(TEXTS))


def _hash_scores(labels=None):
    embedder = HashEmbedder(256)
    prototypes = embed_prototypes(build_prototypes(CODES), embedder.encode)
    units = build_units(embedder.encode(TEXTS))
    return score_corpus(units, prototypes, labels)


def test_zero_shot_suggests_each_excerpt_its_code_with_a_codebook_text_as_evidence():
    scores = _hash_scores()
    suggestions = to_suggestions(scores, excerpt_ids=[f"D1:{i}:1" for i in range(len(TEXTS))], texts=TEXTS)
    chosen = {(s.excerpt, s.code) for s in suggestions}
    assert {(0, "COST"), (1, "PRIVACY"), (2, "TRAINING"), (3, "COST"), (4, "PRIVACY"), (5, "TRAINING")} <= chosen
    assert not any(s.excerpt in OFF_TOPIC for s in suggestions)
    first = next(s for s in suggestions if s.excerpt == 0 and s.code == "COST")
    assert isinstance(first, Suggestion) and first.suggested and first.excerpt_id == "D1:0:1"
    assert first.learned is None and first.score == first.zero_shot and 0 < first.score < 1
    assert first.evidence_source == "codebook" and "budget money" in first.evidence


def test_every_pair_can_be_listed_with_its_decision():
    scores = _hash_scores()
    everything = to_suggestions(scores, only_suggested=False, excerpts=[6])
    assert [s.code for s in everything] == ["COST", "PRIVACY", "TRAINING"]
    assert not any(s.suggested for s in everything)


def test_once_the_coder_has_coded_enough_the_evidence_quotes_their_coding():
    planted = planted_corpus()
    units = build_units(planted.vectors, planted.unit_of, planted.documents)
    applied = {u: planted.gold.get(i, set()) for u, i in enumerate(planted.unit_ids)}
    labels = label_matrix(units.n_units, planted.codes, applied)
    labels[planted.documents == "D0"] = -1
    texts = [f"excerpt {i}" for i in range(len(planted.vectors))]
    scores = score_corpus(units, prototype_vectors(planted.codes, planted.directions), labels, prior_labels=2.0)
    assert np.all(scores.learned_weight > 0.5)
    held = np.flatnonzero(planted.documents[planted.unit_of] == "D0")
    suggestions = to_suggestions(scores, texts=texts, excerpts=held)
    assert suggestions and all(s.evidence_source == "coding" for s in suggestions)
    for s in suggestions:
        quoted_unit = planted.unit_of[s.evidence_excerpt]
        assert s.evidence == texts[s.evidence_excerpt]
        assert labels[quoted_unit, planted.codes.index(s.code)] == 1
        assert s.learned is not None
