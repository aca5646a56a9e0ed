"""The suggestion engine with the real all-MiniLM-L6-v2 model on a few sentences."""

from __future__ import annotations

import numpy as np
import pytest

from coding.suggest import build_prototypes, build_units, embed_prototypes, score_corpus, to_suggestions
from tests.suggest.conftest import code

CODES = [
    code("PRIVACY", name="Student privacy and data security",
         definition="Protection of student and staff data, vendor data practices, security and compliance."),
    code("COST", name="Cost and sustainability",
         definition="Prices, subscriptions, budgets and whether the district can keep paying for AI tools."),
    code("INTEGRITY", name="Cheating and plagiarism",
         definition="Students using AI to cheat, plagiarize or pass off work; detection of AI-written work."),
]
SENTENCES = {
    "PRIVACY": ["Before any tool touches student names, our data officer checks where the data is stored.",
                "Parents want to know whether the company keeps their children's information."],
    "COST": ["The licence is free this year, but next year it's twelve dollars a seat and our budget is flat.",
             "When the grant money runs out, I don't know how we keep paying for it."],
    "INTEGRITY": ["Teachers keep finding essays that the kids clearly didn't write themselves.",
                  "A student turned in a chatbot's answer as his own homework."],
}
# Scores are standardised over the corpus, so like a real one it needs turns that are about none of the codes.
SMALL_TALK = [
    "I've been superintendent here for six years, and before that I was a middle school principal.",
    "We serve about four thousand students across seven schools.",
    "Thanks for having me, I'm happy to talk about this.",
    "Our board meets on the second Tuesday of every month.",
    "Sorry, can you repeat the question?",
    "The district covers a lot of ground, mostly farmland and two small towns.",
]


@pytest.mark.model
def test_real_model_suggests_the_code_each_sentence_is_about():
    from coding.embedding import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder()
    texts = [s for sentences in SENTENCES.values() for s in sentences] + SMALL_TALK
    expected = [c for c, sentences in SENTENCES.items() for _ in sentences]
    prototypes = embed_prototypes(build_prototypes(CODES), embedder.encode)
    scores = score_corpus(build_units(embedder.encode(texts)), prototypes)
    best = [prototypes.codes[j] for j in scores.probability[: len(expected)].argmax(1)]
    assert best == expected
    assert np.all((scores.probability >= 0) & (scores.probability <= 1))
    suggested = {(s.excerpt, s.code) for s in to_suggestions(scores)}
    assert sum((i, c) in suggested for i, c in enumerate(expected)) >= 4  # the indirect ones score lower
    assert sum(i >= len(expected) for i, _ in suggested) <= 1


@pytest.mark.model
def test_real_model_reads_a_vague_follow_up_answer_with_the_answers_around_it():
    """'That part keeps me up at night' is about nothing alone; between two privacy answers privacy is its best code."""
    from coding.embedding import SentenceTransformerEmbedder
    from coding.suggest import DecisionRule

    embedder = SentenceTransformerEmbedder()
    interview = ["Student data privacy is my biggest worry: where the data is stored and who can see it.",
                 "Honestly, that part keeps me up at night.",
                 "We will not sign with any company that cannot show us how student data is protected and secured."]
    others = [s for c in ("COST", "INTEGRITY") for s in SENTENCES[c]] + SMALL_TALK
    texts = interview + others
    documents = ["D1"] * len(interview) + [f"S{i}" for i in range(len(others))]
    units = build_units(embedder.encode(texts), documents=documents, positions=list(range(len(texts))))
    prototypes = embed_prototypes(build_prototypes(CODES), embedder.encode)
    alone = score_corpus(units, prototypes, rule=DecisionRule(dialogue_weight=0))
    together = score_corpus(units, prototypes)
    privacy = prototypes.codes.index("PRIVACY")
    assert alone.probability[1].argmax() != privacy and alone.probability[1, privacy] < 0.1
    assert together.probability[1].argmax() == privacy and together.probability[1, privacy] > 0.2
    others_raised = np.delete(together.probability[1] - alone.probability[1], privacy)
    assert (together.probability[1, privacy] - alone.probability[1, privacy]) > 5 * others_raised.max()
    # a turn with no neighbours (its own one-turn document) is scored exactly as before
    np.testing.assert_allclose(together.probability[len(interview):], alone.probability[len(interview):])
