""""Code all hits": one undoable batch of decisions that codes the span of every hit, and undoing that batch."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from coding.codings.spans import require_code, require_coder
from coding.decisions import active_decisions
from coding.errors import Problem, QcodeError
from coding.models import CodingSource, Decision, DecisionAction, Span
from coding.search.models import SearchHit
from coding.store import ProjectStore
from coding.store import codings as coding_store


class HitsCoded(BaseModel):
    """What coding a list of hits did."""

    model_config = ConfigDict(frozen=True)

    batch: str | None  # the batch `qcode undo` takes back; None when nothing new was coded
    coded: int  # hits newly coded
    already: int  # hits the coder already held the code on (not logged again)


def code_hits(store: ProjectStore, hits: list[SearchHit], code: str, coder: str, note: str) -> HitsCoded:
    """Record `code` on every hit's span for `coder` as one batch (`qcode undo` takes it all back). A span the coder
    already holds the code on is not logged again, so coding the same hits twice (a repeated command, a replayed
    click) adds nothing to undo."""
    require_code(store, code)
    require_coder(coder)
    batch = coding_store.new_batch_id()
    # One read of the coder's codings, not a query per hit: a common word can have thousands of hits.
    held = {(c.document, c.start, c.end) for c in coding_store.current_codings(store, coder=coder) if c.code == code}
    decisions, already, seen = [], 0, set()
    for h in hits:
        where = (h.document, h.start, h.end)
        if where in seen:
            continue
        seen.add(where)
        if where in held:
            already += 1
            continue
        span = Span(document=h.document, start=h.start, end=h.end, turn=h.turn, excerpt_id=h.excerpt_id)
        decisions.append(Decision(coder=coder, action=DecisionAction.code, code=code, source=CodingSource.human,
                                  batch=batch, note=note, span=span))
    coding_store.record(store, decisions)
    return HitsCoded(batch=batch if decisions else None, coded=len(decisions), already=already)


def undo_hits_batch(store: ProjectStore, coder: str, batch: str) -> int:
    """Take back the coder's batch `batch` if it is still their latest decision in force. Returns how many decisions
    were undone: 0 when the batch is already undone (a second click). A later decision of the coder's stands in the
    way: undoing past it would take that back too."""
    in_force = [d for d in active_decisions(coding_store.all_decisions(store)) if d.coder == coder]
    if not any(d.batch == batch for d in in_force):
        return 0
    if in_force[-1].batch != batch:
        raise QcodeError(Problem(f"{coder} has made other decisions since this search's coding",
                                 hint=f"undo those first (Review's Undo, or 'qcode undo --coder {coder}'), or "
                                      "remove the codes one by one on the Review page"))
    return len(coding_store.undo_last(store, coder))
