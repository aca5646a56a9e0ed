"""The decision log's meaning: which codings and rejections a sequence of decisions leaves.

The log is append-only. `replay` is the definition of the current state; `coding.store.codings` keeps a derived
copy of it in tables for speed and can always rebuild that copy from the log.
"""

from __future__ import annotations

from dataclasses import dataclass

from coding.models import Coding, CodingSource, Decision, DecisionAction

CodingKey = tuple[str, str, int, int, str]  # coder, document, start, end, code
RejectionKey = tuple[str, str, str]  # coder, excerpt id, code


@dataclass(frozen=True)
class Rejection:
    decision_id: int
    coder: str
    excerpt_id: str
    code: str


def active_decisions(decisions: list[Decision]) -> list[Decision]:
    """Decisions still in force: an undo deactivates its target and a redo reactivates it; the last one wins."""
    active: dict[int, bool] = {}
    for decision in decisions:
        if decision.action in (DecisionAction.undo, DecisionAction.redo) and decision.target is not None:
            active[decision.target] = decision.action == DecisionAction.redo
    return [
        d for d in decisions
        if d.action not in (DecisionAction.undo, DecisionAction.redo) and active.get(d.id, True)
    ]


def replay(decisions: list[Decision]) -> tuple[dict[CodingKey, Coding], dict[RejectionKey, Rejection]]:
    codings: dict[CodingKey, Coding] = {}
    rejections: dict[RejectionKey, Rejection] = {}
    for decision in sorted(active_decisions(decisions), key=lambda d: d.id or 0):
        span = decision.span
        if span is None or decision.code is None:
            continue
        key = (decision.coder, span.document, span.start, span.end, decision.code)
        if decision.action == DecisionAction.code:
            codings.setdefault(key, _coding(decision, decision.code))
            if span.excerpt_id:
                rejections.pop((decision.coder, span.excerpt_id, decision.code), None)
        elif decision.action == DecisionAction.uncode:
            codings.pop(key, None)
        elif decision.action == DecisionAction.reject:
            codings.pop(key, None)
            if span.excerpt_id:
                rejections.setdefault(
                    (decision.coder, span.excerpt_id, decision.code),
                    Rejection(decision.id or 0, decision.coder, span.excerpt_id, decision.code),
                )
        elif decision.action == DecisionAction.recode and decision.from_code:
            codings.pop((decision.coder, span.document, span.start, span.end, decision.from_code), None)
            codings.setdefault(key, _coding(decision, decision.code))
            if span.excerpt_id:
                rejections.pop((decision.coder, span.excerpt_id, decision.code), None)
    return codings, rejections


def _coding(decision: Decision, code: str) -> Coding:
    span = decision.span
    assert span is not None and decision.id is not None and decision.at is not None
    return Coding(
        decision_id=decision.id, coder=decision.coder, document=span.document, start=span.start, end=span.end,
        turn=span.turn, excerpt_id=span.excerpt_id, code=code, source=decision.source or CodingSource.human,
        created_at=decision.at,
    )
