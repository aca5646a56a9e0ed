"""Evaluation flows: how well the suggestions reproduce one coder (leave-one-document-out, at turn level), and how
well theme discovery lines up with the coder's codes, including codes hidden from the codebook."""

from __future__ import annotations

from coding.embedding.base import Embedder, ProgressCallback
from coding.errors import NotFound, Problem
from coding.project_codebook import require_codebook
from coding.store import ProjectStore
from coding.store import codings as coding_store
from coding.store.documents import all_turns, text_hash
from coding.suggest import DecisionRule, build_prototypes, embed_prototypes
from coding.suggest.evaluate import Evaluation, evaluate
from coding.theme_review.actions import theme_listing
from coding.themes.evaluation import ThemeEvaluation, evaluate_themes
from coding.themes.settings import ThemeSettings
from coding.units import codes_by_unit
from pipelines.embed import embed_texts
from pipelines.suggest import gather_inputs, suggestion_units
from pipelines.themes import run_themes


def evaluate_coder(store: ProjectStore, embedder: Embedder, coder: str, rule: DecisionRule | None = None,
                   progress: ProgressCallback | None = None) -> Evaluation:
    """For each document: learn from the coder's codings on all other documents, suggest for this one, score
    against the coder. Zero-shot (codebook alone) is scored on the same units. Units: respondent turns."""
    if coder not in coding_store.coders(store):
        raise NotFound(Problem(f"no codings by coder '{coder}'",
                               hint=f"coders are: {', '.join(coding_store.coders(store)) or 'none yet'}"))
    _, codebook = require_codebook(store)
    inputs = gather_inputs(store, embedder, progress)
    codes = [c.id for c in codebook.leaves()]
    gold = codes_by_unit(coding_store.current_codings(store, coder=coder), "turn", [], all_turns(store))
    prototypes = embed_prototypes(
        build_prototypes(codebook.codes),
        lambda texts: embed_texts(store, embedder, texts, [text_hash(t) for t in texts])[0])
    return evaluate(suggestion_units(inputs), prototypes, inputs.unit_keys, gold, rule=rule)


def evaluation_json(evaluation: Evaluation) -> dict:
    """The documented shape: the suggestions as made (learned + zero-shot), plus `zero_shot` and `learned` alone."""
    return {**evaluation.combined.model_dump(), "zero_shot": evaluation.zero_shot.model_dump(),
            "learned_only": evaluation.learned.model_dump(),
            "dialogue_weights": dict(sorted((evaluation.dialogue_weights or {}).items()))}


def evaluate_theme_discovery(store: ProjectStore, embedder: Embedder, coder: str, hide: list[str] | None = None,
                             settings: ThemeSettings | None = None, progress: ProgressCallback | None = None
                             ) -> tuple[int, ThemeEvaluation]:
    """Run theme discovery with `hide` codes left out of the codebook (and out of what the evidence learns from
    the coder), then report per code the themes mostly about it and whether each hidden code surfaces as new.
    Turns count only in documents the coder has coded."""
    hidden = list(dict.fromkeys(hide or []))
    if coder not in coding_store.coders(store):
        raise NotFound(Problem(f"no codings by coder '{coder}'",
                               hint=f"coders are: {', '.join(coding_store.coders(store)) or 'none yet'}"))
    run_id = run_themes(store, embedder, settings, progress, coders=[coder], hide=hidden)
    listing = theme_listing(store, run_id)
    turn_codes = codes_by_unit(coding_store.current_codings(store, coder=coder), "turn", [], all_turns(store))
    # Only documents the coder has coded say anything: elsewhere an uncoded turn is unread, not "no code".
    coded_documents = {document for document, _ in turn_codes}
    # A theme covers its members' turns and the turns where it also comes up (its mentions).
    theme_turns = {t.theme: listing.turns_of(t.theme, coded_documents) for t in listing.themes}
    return run_id, evaluate_themes(theme_turns, {t.theme: t.status for t in listing.themes}, turn_codes,
                                   set(hidden))
