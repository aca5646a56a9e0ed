"""Code suggestions: which codebook codes fit which excerpts, from the codebook alone and from the coder's codings.

A pure library over numpy arrays (no storage, no embedding): callers pass excerpt vectors, the unit (turn) of each
excerpt, optionally each unit's document and context vector (the question the turn answers), and labels.

    prototypes = embed_prototypes(build_prototypes(codebook.codes), embedder.encode)
    units = build_units(vectors, unit_of, documents, context)
    scores = score_corpus(units, prototypes, labels)        # labels: (n_units, n_codes) 1/0/-1, or None
    suggestions = to_suggestions(scores, excerpt_ids, texts)
    queue = review_order(scores.probability, scores.rule.threshold, reviewed, units.excerpts)
"""

from coding.suggest.decide import CorpusScores, Suggestion, score_corpus, to_suggestions
from coding.suggest.errors import SuggestionInputError
from coding.suggest.evaluate import Evaluation, evaluate, unit_decisions
from coding.suggest.labels import label_matrix, unit_labels
from coding.suggest.learned import LearnedScorer, LearnedScores, LearnedSettings
from coding.suggest.prototypes import (
    CodePrototype,
    PrototypeText,
    PrototypeVectors,
    build_prototypes,
    embed_prototypes,
    leaf_codes,
)
from coding.suggest.queue import ReviewQueue, document_order, review_order
from coding.suggest.rules import DecisionRule, combine, decide, learned_weight
from coding.suggest.units import Units, build_units
from coding.suggest.zero_shot import ZeroShotScorer, ZeroShotScores, ZeroShotSettings, calibrate

__all__ = [
    "CodePrototype",
    "CorpusScores",
    "DecisionRule",
    "Evaluation",
    "LearnedScorer",
    "LearnedScores",
    "LearnedSettings",
    "PrototypeText",
    "PrototypeVectors",
    "ReviewQueue",
    "Suggestion",
    "SuggestionInputError",
    "Units",
    "ZeroShotScorer",
    "ZeroShotScores",
    "ZeroShotSettings",
    "build_prototypes",
    "build_units",
    "calibrate",
    "combine",
    "decide",
    "document_order",
    "embed_prototypes",
    "evaluate",
    "label_matrix",
    "leaf_codes",
    "learned_weight",
    "review_order",
    "score_corpus",
    "to_suggestions",
    "unit_decisions",
    "unit_labels",
]
