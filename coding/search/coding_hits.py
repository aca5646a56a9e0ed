""""Code all hits": one undoable batch of decisions that codes the span of every hit."""

from __future__ import annotations

from coding.errors import Problem, QcodeError
from coding.models import CodingSource, Decision, DecisionAction, Span
from coding.project_codebook import require_codebook
from coding.search.models import SearchHit
from coding.store import ProjectStore
from coding.store import codings as coding_store


def code_hits(store: ProjectStore, hits: list[SearchHit], code: str, coder: str, note: str) -> str | None:
    """Record `code` on every hit's span for `coder` as one batch (`qcode undo` takes it all back). Returns the batch
    id, or None when there was nothing to code."""
    _, codebook = require_codebook(store)
    if code not in codebook:
        raise QcodeError(Problem(f"unknown code '{code}'", code=code,
                                 hint="use a code id from 'qcode codebook show', or add the code first"))
    if not coder.strip():
        raise QcodeError(Problem("the coder name is empty", hint="give --coder NAME (or set QCODE_CODER)"))
    if not hits:
        return None
    batch = coding_store.new_batch_id()
    decisions = [
        Decision(coder=coder, action=DecisionAction.code, code=code, source=CodingSource.human, batch=batch, note=note,
                 span=Span(document=h.document, start=h.start, end=h.end, turn=h.turn, excerpt_id=h.excerpt_id))
        for h in hits
    ]
    coding_store.record(store, decisions)
    return batch
