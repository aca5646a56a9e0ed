"""Suggestion flow: excerpt vectors + codebook prototypes + a coder's decisions -> scores -> stored suggestions.

Units are respondent turns: a turn's excerpts share its labels (a coded turn teaches every excerpt in it) and the
interviewer's question before the turn is its context. Every run records the model, the codebook version, the
decision rule and how many decisions it learned from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd

from coding.codebook import Codebook
from coding.embedding.base import Embedder, ProgressCallback, StageCallback
from coding.errors import Problem, QcodeError
from coding.models import Coding, Excerpt, SpeakerRole, SuggestionRun, Turn
from coding.project_codebook import require_codebook
from coding.store import ProjectStore
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.units import codes_by_unit
from coding.store import suggestions as suggestion_store
from coding.store.documents import text_hash
from coding.suggest import (
    DecisionRule,
    build_prototypes,
    build_units,
    embed_prototypes,
    label_matrix,
    Units,
    score_corpus,
    to_suggestions,
)
from coding.suggest.decide import CorpusScores
from pipelines.embed import embed_texts, excerpt_vectors


@dataclass(frozen=True)
class SuggestionInputs:
    excerpts: list[Excerpt]
    vectors: np.ndarray
    unit_of: np.ndarray  # unit (respondent turn) index per excerpt
    unit_keys: list[tuple[str, int]]  # (document, turn) per unit
    context: np.ndarray  # the question before each unit (zeros when none)


def gather_inputs(store: ProjectStore, embedder: Embedder, progress: ProgressCallback | None = None
                  ) -> SuggestionInputs:
    rows, vectors = excerpt_vectors(store, embedder, progress)
    if not rows:
        raise QcodeError(Problem("the project has no excerpts to suggest codes for", hint="run 'qcode ingest' first"))
    by_id = doc_store.excerpts_by_id(store, [r[0] for r in rows])
    excerpts = [by_id[r[0]] for r in rows]
    turns: dict[tuple[str, int], Turn] = {(t.document, t.number): t for t in doc_store.all_turns(store)}
    unit_index: dict[tuple[str, int], int] = {}
    for e in excerpts:
        unit_index.setdefault((e.document, e.turn), len(unit_index))
    unit_keys = list(unit_index)
    questions = []
    for document, number in unit_keys:
        before = turns.get((document, number - 1))
        asked = before is not None and before.role == SpeakerRole.interviewer and before.text.strip()
        questions.append(before.text if asked else "")
    context = np.zeros((len(unit_keys), vectors.shape[1]), dtype=np.float32)
    asked_rows = [i for i, q in enumerate(questions) if q]
    if asked_rows:
        texts = [questions[i] for i in asked_rows]
        context[asked_rows], _ = embed_texts(store, embedder, texts, [text_hash(t) for t in texts])
    unit_of = np.array([unit_index[(e.document, e.turn)] for e in excerpts], dtype=np.int64)
    return SuggestionInputs(excerpts, vectors, unit_of, unit_keys, context)


def coder_labels(store: ProjectStore, inputs: SuggestionInputs, codes: list[str], coders: list[str] | None
                 ) -> tuple[np.ndarray | None, int]:
    """(n_units, n_codes) labels from the coders' codings, reviews and rejections; None when nobody has coded."""
    chosen = coders if coders is not None else coding_store.coders(store)
    if not chosen:
        return None, 0
    codings: list[Coding] = [c for coder in chosen for c in coding_store.current_codings(store, coder=coder)]
    return (labels_from_codings(inputs, codes, codings, store_reviews(store, chosen), doc_store.all_turns(store)),
            len(codings))


def store_reviews(store: ProjectStore, coders: list[str]) -> tuple[set[str], list[tuple[str, str, str]]]:
    reviewed: set[str] = set()
    rejections: list[tuple[str, str, str]] = []
    for coder in coders:
        reviewed |= coding_store.reviewed_excerpts(store, coder)
        rejections += coding_store.current_rejections(store, coder)
    return reviewed, rejections


def labels_from_codings(inputs: SuggestionInputs, codes: list[str], codings: list[Coding],
                        reviews: tuple[set[str], list[tuple[str, str, str]]],
                        turns: list[Turn] | None = None) -> np.ndarray:
    """Labels per unit; with `turns`, a coding across turns labels every respondent turn it reaches."""
    unit_of_key = {key: i for i, key in enumerate(inputs.unit_keys)}
    applied: dict[int, set[str]] = {}
    for key, found in codes_by_unit(codings, "turn", [], turns).items():
        unit = unit_of_key.get(key)
        if unit is not None:
            applied.setdefault(unit, set()).update(found)
    excerpt_unit = {e.id: int(u) for e, u in zip(inputs.excerpts, inputs.unit_of)}
    reviewed_ids, rejections = reviews
    reviewed = {excerpt_unit[i] for i in reviewed_ids if i in excerpt_unit}
    rejected: dict[int, set[str]] = {}
    for _, excerpt_id, code in rejections:
        if excerpt_id in excerpt_unit:
            rejected.setdefault(excerpt_unit[excerpt_id], set()).add(code)
    return label_matrix(len(inputs.unit_keys), codes, applied, reviewed, rejected)


def score(store: ProjectStore, embedder: Embedder, codebook: Codebook, inputs: SuggestionInputs,
          labels: np.ndarray | None, rule: DecisionRule | None = None, stage: StageCallback | None = None,
          progress: ProgressCallback | None = None) -> CorpusScores:
    """`stage` and `progress` as in `score_corpus`, after a "code prototypes" stage (the codebook texts embedded)."""
    prototypes = build_prototypes(codebook.codes)
    if stage is not None:
        stage("code prototypes", len(prototypes))
    vectors = embed_prototypes(
        prototypes, lambda texts: embed_texts(store, embedder, texts, [text_hash(t) for t in texts])[0])
    return score_corpus(suggestion_units(inputs), vectors, labels, rule=rule, stage=stage, progress=progress)


def suggestion_units(inputs: SuggestionInputs) -> Units:
    """The turns as the suggester sees them: excerpt vectors pooled per turn, with the question each answers, the
    document of each (cross-validation keeps documents apart) and its turn number (which turns are neighbours)."""
    documents = np.array([document for document, _ in inputs.unit_keys])
    return build_units(inputs.vectors, inputs.unit_of, documents, inputs.context,
                       positions=[number for _, number in inputs.unit_keys])


def run_suggestions(store: ProjectStore, embedder: Embedder, coders: list[str] | None = None,
                    rule: DecisionRule | None = None, progress: ProgressCallback | None = None,
                    stage: StageCallback | None = None) -> int:
    """Score every (excerpt, leaf code), store the run with its manifest; returns the run id.

    `progress` follows the embedding; `stage(name, count)` is told as each later stage starts (code prototypes,
    zero-shot, learn, score, evidence, save), with how many items it works on, and `progress` then counts the
    codes learned and the excerpts scored."""
    announce = stage or (lambda name, count: None)
    version, codebook = require_codebook(store)
    inputs = gather_inputs(store, embedder, progress)
    codes = [c.id for c in codebook.leaves()]
    labels, n_codings = coder_labels(store, inputs, codes, coders)
    scores = score(store, embedder, codebook, inputs, labels, rule, stage=announce, progress=progress)
    announce("evidence", len(inputs.excerpts))
    frame = suggestion_frame(scores, inputs)
    manifest = {
        "model": embedder.model_id, "codebook_version": version, "threshold": scores.rule.threshold,
        "rule": scores.rule.model_dump(), "dialogue_weight_from": scores.dialogue_from,
        "learned_from": coders or coding_store.coders(store),
        "codings_used": n_codings, "learned_codes": [c for c, w in zip(scores.codes, scores.learned_weight) if w > 0],
        "zero_shot_calibration": (
            {"fitted_on": "the coders' codings", **scores.calibration.model_dump(include={"slope", "gap_slope",
                                                                                          "intercept"})}
            if scores.calibration is not None else {"fitted_on": "prior (corpus-dev)"}),
        "excerpts": len(inputs.excerpts), "units": len(inputs.unit_keys),
        "created_at": datetime.now().isoformat(timespec="seconds"),
    }
    run = SuggestionRun(model_id=embedder.model_id, codebook_version=version, manifest=manifest)
    announce("save", len(frame))
    return suggestion_store.save_suggestion_frame(store, run, frame)


def suggestion_frame(scores: CorpusScores, inputs: SuggestionInputs) -> pd.DataFrame:
    """Every (excerpt, code) score as a frame; evidence only where a code is suggested (it is what gets shown)."""
    n, k = scores.probability.shape
    learned = (np.full((n, k), np.nan) if scores.learned is None else scores.learned.probability)
    frame = pd.DataFrame({
        "excerpt_id": np.repeat([e.id for e in inputs.excerpts], k),
        "code": np.tile(scores.codes, n),
        "score": scores.probability.reshape(-1).astype(float),
        "zero_shot": scores.zero_shot.probability.reshape(-1).astype(float),
        "learned": learned.reshape(-1).astype(float),
        "suggested": scores.suggested.reshape(-1),
    })
    frame["learned"] = frame["learned"].where(frame["learned"].notna(), None)
    evidence = np.full(n * k, None, dtype=object)
    for s in to_suggestions(scores, texts=[e.text for e in inputs.excerpts]):
        evidence[s.excerpt * k + scores.codes.index(s.code)] = s.evidence
    frame["evidence"] = evidence
    return frame
