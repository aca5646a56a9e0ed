"""Reviewing excerpts one at a time: the queue, the item with its context and suggestions, and the decisions.

Every decision is written at once to the decision log under the coder's name (see coding.store.codings).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from coding.codebook import Codebook
from coding.errors import NotFound, Problem, QcodeError
from coding.models import CodingSource, Decision, DecisionAction, Excerpt, Span, SuggestionRun, Turn
from coding.store import ProjectStore
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store import review_item as item_store
from coding.store import review_queue as queue_store
from coding.store import suggestions as suggestion_store

DEFAULT_THRESHOLD = 0.5


class _Latest:
    """Default of `run` parameters: look up the latest suggestion run (None means there is none)."""


LATEST = _Latest()


class ReviewSuggestion(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    name: str
    color: str | None
    score: float
    suggested: bool
    evidence: str | None


class ReviewItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    excerpt: Excerpt
    turn: Turn
    before: Turn | None
    after: Turn | None
    suggestions: list[ReviewSuggestion]
    applied: list[str]  # codes this coder has on the excerpt
    rejected: list[str]
    nothing_to_code: bool = False  # the coder marked it "nothing to code here"


def review_queue(store: ProjectStore, coder: str, order: str = "uncertainty", document: str | None = None,
                 limit: int | None = None, exclude: list[str] | None = None,
                 run: SuggestionRun | None | _Latest = LATEST) -> list[str]:
    """Excerpt ids still to review by `coder`: most informative first, or in document order.

    `exclude` leaves out excerpts the coder skipped on screen (a skip is not a decision, so it is not logged).
    `run` saves looking up the latest suggestion run when the caller has it already.
    """
    if run is LATEST:
        run = suggestion_store.latest_suggestion_run(store)
    if order == "uncertainty" and run is not None:
        threshold = float(run.manifest.get("threshold", DEFAULT_THRESHOLD))
        return queue_store.uncertainty_head(store, run.id, threshold, coder, limit, document, exclude)
    return queue_store.document_order_head(store, coder, limit, document, exclude)


def prepare_review_order(store: ProjectStore) -> None:
    """Rank the latest suggestion run for review now (after a run), so the first click does not wait for it."""
    run = suggestion_store.latest_suggestion_run(store)
    if run is not None:
        threshold = float(run.manifest.get("threshold", DEFAULT_THRESHOLD))
        queue_store.uncertainty_head(store, run.id, threshold, "", limit=1)


def review_item(store: ProjectStore, excerpt_id: str, coder: str, codebook: Codebook | None,
                run: SuggestionRun | None | _Latest = LATEST) -> ReviewItem:
    """The excerpt with the turns around it, the latest run's suggestions for it, and the coder's decisions on it.

    Every read is a point lookup, so this costs the same in a small project and in one with 50k excerpts.
    """
    excerpt = item_store.excerpt(store, excerpt_id)
    if excerpt is None:
        raise NotFound(Problem(f"no excerpt {excerpt_id}", hint="re-run suggest after re-ingesting"))
    turns = {t.number: t for t in doc_store.turns_around(store, excerpt.document, excerpt.turn)}
    if run is LATEST:
        run = suggestion_store.latest_suggestion_run(store)
    suggestions = []
    for s in item_store.suggestions(store, run.id, excerpt_id) if run else []:
        code = codebook.get(s.code) if codebook else None
        suggestions.append(ReviewSuggestion(code=s.code, name=code.name if code else s.code,
                                            color=code.color if code else None, score=s.score,
                                            suggested=s.suggested, evidence=s.evidence))
    return ReviewItem(excerpt=excerpt, turn=turns[excerpt.turn], before=turns.get(excerpt.turn - 1),
                      after=turns.get(excerpt.turn + 1), suggestions=suggestions,
                      applied=item_store.applied_codes(store, coder, excerpt),
                      rejected=item_store.rejected_codes(store, coder, excerpt_id),
                      nothing_to_code=coding_store.nothing_to_code_in_force(store, coder, excerpt_id))


def _span(excerpt: Excerpt) -> Span:
    return Span(document=excerpt.document, start=excerpt.start, end=excerpt.end, turn=excerpt.turn,
                excerpt_id=excerpt.id)


def _decide(store: ProjectStore, coder: str, excerpt_id: str, action: DecisionAction, code: str | None,
            source: CodingSource = CodingSource.human, score: float | None = None,
            from_code: str | None = None) -> int | None:
    """Log one decision on an excerpt, unless it would change nothing (then None: a repeated key press or a replayed
    click never adds a second identical decision that would take a second undo)."""
    decision = decision_on_excerpt(store, coder, excerpt_id, action, code, source, score, from_code)
    return coding_store.record(store, [decision])[0] if decision else None


def decision_on_excerpt(store: ProjectStore, coder: str, excerpt_id: str, action: DecisionAction, code: str | None,
                        source: CodingSource = CodingSource.human, score: float | None = None,
                        from_code: str | None = None, batch: str | None = None) -> Decision | None:
    """The decision to log, or None when it would leave the coder's codings and rejections as they are."""
    excerpt = item_store.excerpt(store, excerpt_id)
    if excerpt is None:
        raise NotFound(Problem(f"no excerpt {excerpt_id}", hint="re-run suggest after re-ingesting"))
    span = _span(excerpt)
    if action == DecisionAction.nothing:
        held = item_store.applied_codes(store, coder, excerpt)
        if held:
            raise QcodeError(Problem(
                f"{excerpt_id} holds {', '.join(held)} for {coder}, so it is not 'nothing to code here'",
                hint="remove those codes first, or move on with N"))
        if coding_store.nothing_to_code_in_force(store, coder, excerpt_id):
            return None
    else:
        assert code is not None
        coded, rejected = coding_store.span_state(store, coder, span, code)
        if ((action == DecisionAction.code and coded)
                or (action == DecisionAction.reject and rejected and not coded)
                or (action == DecisionAction.uncode and not coded)):
            return None
        if action == DecisionAction.recode and coded:
            assert from_code is not None
            if not coding_store.span_state(store, coder, span, from_code)[0]:
                return None
    return Decision(coder=coder, action=action, span=span, code=code, source=source, score=score,
                    from_code=from_code, batch=batch)


def accept_suggestion(store: ProjectStore, coder: str, excerpt_id: str, code: str,
                      score: float | None = None) -> int | None:
    return _decide(store, coder, excerpt_id, DecisionAction.code, code, CodingSource.accepted_suggestion, score)


def reject_suggestion(store: ProjectStore, coder: str, excerpt_id: str, code: str,
                      score: float | None = None) -> int | None:
    return _decide(store, coder, excerpt_id, DecisionAction.reject, code, score=score)


def code_excerpt(store: ProjectStore, coder: str, excerpt_id: str, code: str) -> int | None:
    return _decide(store, coder, excerpt_id, DecisionAction.code, code)


def uncode_excerpt(store: ProjectStore, coder: str, excerpt_id: str, code: str) -> int | None:
    return _decide(store, coder, excerpt_id, DecisionAction.uncode, code)


def recode_excerpt(store: ProjectStore, coder: str, excerpt_id: str, from_code: str, code: str) -> int | None:
    return _decide(store, coder, excerpt_id, DecisionAction.recode, code, from_code=from_code)


def nothing_to_code(store: ProjectStore, coder: str, excerpt_id: str) -> int | None:
    """'Nothing to code here': a logged, undoable decision that takes the excerpt out of the coder's queue."""
    return _decide(store, coder, excerpt_id, DecisionAction.nothing, None)


def reject_all(store: ProjectStore, coder: str, excerpt_id: str, codes: list[str],
               scores: dict[str, float] | None = None) -> list[int]:
    """'None of these': reject every code in one decision group, so one undo takes them all back."""
    batch = coding_store.new_batch_id()
    decisions = [decision_on_excerpt(store, coder, excerpt_id, DecisionAction.reject, code,
                                     score=(scores or {}).get(code), batch=batch) for code in codes]
    return coding_store.record(store, [d for d in decisions if d is not None])


def review_progress(store: ProjectStore, coder: str) -> tuple[int, int]:
    """(current excerpts the coder has decided on, all current excerpts)."""
    return queue_store.progress_counts(store, coder)
