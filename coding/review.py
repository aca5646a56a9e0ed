"""Reviewing excerpts one at a time: the queue, the item with its context and suggestions, and the decisions.

Every decision is written at once to the decision log under the coder's name (see coding.store.codings).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from coding.codebook import Codebook
from coding.errors import NotFound, Problem
from coding.models import CodingSource, Decision, DecisionAction, Excerpt, Span, Turn
from coding.store import ProjectStore
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store import suggestions as suggestion_store

DEFAULT_THRESHOLD = 0.5


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


def review_queue(store: ProjectStore, coder: str, order: str = "uncertainty", document: str | None = None,
                 limit: int | None = None) -> list[str]:
    """Excerpt ids still to review by `coder`: most informative first, or in document order."""
    run = suggestion_store.latest_suggestion_run(store)
    if order == "uncertainty" and run is not None and document is None:
        threshold = float(run.manifest.get("threshold", DEFAULT_THRESHOLD))
        return suggestion_store.uncertainty_queue(store, run.id, threshold, coder, limit)
    queue = doc_store.document_order_queue(store, coder, document)
    return queue[:limit] if limit is not None else queue


def review_item(store: ProjectStore, excerpt_id: str, coder: str, codebook: Codebook | None) -> ReviewItem:
    excerpt = doc_store.get_excerpt(store, excerpt_id)
    if excerpt is None:
        raise NotFound(Problem(f"no excerpt {excerpt_id}", hint="re-run suggest after re-ingesting"))
    turns = {t.number: t for t in doc_store.turns_around(store, excerpt.document, excerpt.turn)}
    run = suggestion_store.latest_suggestion_run(store)
    stored = suggestion_store.suggestions_for(store, run.id, [excerpt_id]) if run else []
    suggestions = []
    for s in stored:
        code = codebook.get(s.code) if codebook else None
        suggestions.append(ReviewSuggestion(code=s.code, name=code.name if code else s.code,
                                            color=code.color if code else None, score=s.score,
                                            suggested=s.suggested, evidence=s.evidence))
    mine = [c for c in coding_store.current_codings(store, coder=coder, document=excerpt.document)
            if c.excerpt_id == excerpt_id or (c.start <= excerpt.start and excerpt.end <= c.end)]
    rejected = [code for who, eid, code in coding_store.current_rejections(store, coder) if eid == excerpt_id]
    return ReviewItem(excerpt=excerpt, turn=turns[excerpt.turn], before=turns.get(excerpt.turn - 1),
                      after=turns.get(excerpt.turn + 1), suggestions=suggestions,
                      applied=sorted({c.code for c in mine}), rejected=sorted(rejected))


def _span(excerpt: Excerpt) -> Span:
    return Span(document=excerpt.document, start=excerpt.start, end=excerpt.end, turn=excerpt.turn,
                excerpt_id=excerpt.id)


def _decide(store: ProjectStore, coder: str, excerpt_id: str, action: DecisionAction, code: str,
            source: CodingSource = CodingSource.human, score: float | None = None,
            from_code: str | None = None) -> int:
    excerpt = doc_store.get_excerpt(store, excerpt_id)
    if excerpt is None:
        raise NotFound(Problem(f"no excerpt {excerpt_id}"))
    decision = Decision(coder=coder, action=action, span=_span(excerpt), code=code, source=source, score=score,
                        from_code=from_code)
    return coding_store.record(store, [decision])[0]


def accept_suggestion(store: ProjectStore, coder: str, excerpt_id: str, code: str, score: float | None = None) -> int:
    return _decide(store, coder, excerpt_id, DecisionAction.code, code, CodingSource.accepted_suggestion, score)


def reject_suggestion(store: ProjectStore, coder: str, excerpt_id: str, code: str, score: float | None = None) -> int:
    return _decide(store, coder, excerpt_id, DecisionAction.reject, code, score=score)


def code_excerpt(store: ProjectStore, coder: str, excerpt_id: str, code: str) -> int:
    return _decide(store, coder, excerpt_id, DecisionAction.code, code)


def uncode_excerpt(store: ProjectStore, coder: str, excerpt_id: str, code: str) -> int:
    return _decide(store, coder, excerpt_id, DecisionAction.uncode, code)


def recode_excerpt(store: ProjectStore, coder: str, excerpt_id: str, from_code: str, code: str) -> int:
    return _decide(store, coder, excerpt_id, DecisionAction.recode, code, from_code=from_code)


def review_progress(store: ProjectStore, coder: str) -> tuple[int, int]:
    """(excerpts the coder has decided on, all excerpts)."""
    total = doc_store.counts(store)["excerpts"]
    return len(coding_store.reviewed_excerpts(store, coder)), total
