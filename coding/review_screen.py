"""Everything the Review screen shows at once: the excerpt under review with its context and suggestions,
progress, and the codes a coder can choose instead. One call per screen, so moving on stays fast."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from coding.project_codebook.editing import applicable_codes
from coding.review import DEFAULT_THRESHOLD, ReviewItem, reject_all, review_item, review_progress, review_queue
from coding.errors import NotFound
from coding.store import ProjectStore
from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store import suggestions as suggestion_store


class ReviewScreen(BaseModel):
    model_config = ConfigDict(frozen=True)

    item: ReviewItem | None  # None: nothing left to review in this order and filter
    decided: int
    total: int
    has_suggestions: bool
    run_id: int | None  # the suggestion run the queue and the scores come from
    threshold: float | None  # that run's threshold: a code scoring above it is suggested
    has_codebook: bool
    documents: list[str]
    codes: list[tuple[str, str]]  # (id, "ID  name") of the codes one can apply, for choosing another code
    last_decision: int | None  # the coder's latest logged decision: an Undo click names it, so a replay is refused


def review_screen(store: ProjectStore, coder: str, current: str | None = None, order: str = "uncertainty",
                  document: str | None = None, skipped: list[str] | None = None) -> ReviewScreen:
    """The excerpt `current` if it still exists, else the head of the coder's queue (leaving out `skipped`)."""
    found = codebook_store.current_codebook(store)
    codebook = found[1] if found else None
    run = suggestion_store.latest_suggestion_run(store)
    item = _item(store, current, coder, codebook, run) if current else None
    passed = list(skipped or [])
    while item is None:
        head = review_queue(store, coder, order=order, document=document, limit=1, exclude=passed, run=run)
        if not head:
            break
        item = _item(store, head[0], coder, codebook, run)
        passed.append(head[0])  # re-ingested away since the suggestion run: look further
    decided, total = review_progress(store, coder)
    return ReviewScreen(
        item=item, decided=decided, total=total, has_suggestions=run is not None, has_codebook=codebook is not None,
        run_id=run.id if run else None,
        threshold=float(run.manifest.get("threshold", DEFAULT_THRESHOLD)) if run else None,
        documents=doc_store.document_names(store),
        codes=applicable_codes(store, codebook) if codebook else [],
        last_decision=coding_store.last_decision_id(store, coder),
    )


def _item(store: ProjectStore, excerpt_id: str, coder: str, codebook, run) -> ReviewItem | None:
    try:
        return review_item(store, excerpt_id, coder, codebook, run)
    except NotFound:
        return None


def reject_remaining(store: ProjectStore, coder: str, excerpt_id: str, codes: list[str]) -> int:
    """'None of these': reject each of `codes` for the excerpt as one decision group (one undo). Returns how many."""
    return len(reject_all(store, coder, excerpt_id, codes))


def last_decision_id(store: ProjectStore, coder: str) -> int | None:
    return coding_store.last_decision_id(store, coder)


def undo_review_decision(store: ProjectStore, coder: str) -> str | None:
    """Undo the coder's latest decision; returns the excerpt it was about (to show it again), if any."""
    undone = coding_store.undo_last(store, coder)
    spans = [d.span for d in undone if d.span is not None and d.span.excerpt_id]
    return spans[0].excerpt_id if spans else None
