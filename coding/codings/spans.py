"""Coding any span of a transcript: a range of document offsets chosen with the mouse, not only a pre-cut excerpt.

A span may cross turns (interviewer turns included): it is still one coding, one decision, whose `turn` is the first
turn it touches. Its ends are moved onto transcript text: surrounding whitespace is trimmed, and an end that falls in
the title or a speaker label moves to the nearest utterance inside the range, so a coding always starts and ends in
what someone said. A span that is exactly one excerpt carries the excerpt's id, so coding it here is the same as
coding the excerpt in Review. Removing a coding and adjusting its span are logged like every decision; an
adjustment is an uncode and a code in one batch, so one `qcode undo` takes it back.
"""

from __future__ import annotations

import bisect

from coding.errors import NotFound, Problem, QcodeError
from coding.models import CodingSource, Decision, DecisionAction, Frozen, Span, Turn
from coding.project_codebook import require_codebook
from coding.store import ProjectStore
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.units import turns_reached


def code_span(store: ProjectStore, coder: str, document: str, start: int, end: int, code: str) -> int | None:
    """Code `document`[start:end] with `code` for `coder` (one decision). Returns its id, or None when the coder
    already holds that code on that span (nothing is logged)."""
    require_coder(coder)
    require_code(store, code)
    span = resolve_span(store, document, start, end)
    if coding_store.span_state(store, coder, span, code)[0]:
        return None
    return coding_store.record(store, [Decision(coder=coder, action=DecisionAction.code, span=span, code=code,
                                                source=CodingSource.human)])[0]


def uncode_span(store: ProjectStore, coder: str, document: str, start: int, end: int, code: str) -> int | None:
    """Remove the coder's `code` from exactly this span (one decision); None when the coder holds no such coding
    (removed already: a repeated click logs nothing)."""
    require_coder(coder)
    try:
        span = _held_span(store, coder, document, start, end, code)
    except NotFound:
        return None
    return coding_store.record(store, [Decision(coder=coder, action=DecisionAction.uncode, span=span, code=code,
                                                source=CodingSource.human)])[0]


def adjust_span(store: ProjectStore, coder: str, document: str, start: int, end: int, code: str,
                new_start: int, new_end: int) -> list[int]:
    """Move the coder's `code` from [start, end) to [new_start, new_end) as one decision group (uncode + code), so
    one undo restores the old span. Returns the decision ids; none when the new span is the old one."""
    require_coder(coder)
    old = _held_span(store, coder, document, start, end, code)
    new = resolve_span(store, document, new_start, new_end)
    if (new.start, new.end) == (old.start, old.end):
        return []
    batch = coding_store.new_batch_id()
    decisions = [Decision(coder=coder, action=DecisionAction.uncode, span=old, code=code, batch=batch)]
    if not coding_store.span_state(store, coder, new, code)[0]:  # already coded there: the move only removes
        decisions.append(Decision(coder=coder, action=DecisionAction.code, span=new, code=code, batch=batch,
                                  source=CodingSource.human))
    return coding_store.record(store, decisions)


class SelectedSpan(Frozen):
    """A selection as it would be coded: the trimmed span, the turns it runs over and its text."""

    span: Span
    last_turn: int
    text: str


def selected_span(store: ProjectStore, document: str, start: int, end: int) -> SelectedSpan:
    """What coding the selection [start, end) would code (see `resolve_span`), to show before coding it."""
    span = resolve_span(store, document, start, end)
    found = doc_store.get_document(store, document)
    last = last_turn(doc_store.get_turns(store, document), span)
    return SelectedSpan(span=span, last_turn=last, text=found.text[span.start:span.end])


def last_turn(turns: list[Turn], span: Span) -> int:
    """The number of the turn a span ends in (`turns`: its document's, in order)."""
    return turns_reached(span, turns)[-1]


def undo_last_coding(store: ProjectStore, coder: str, expected_last: int | None) -> list[Decision]:
    """Undo the coder's latest decision (a whole batch, such as an adjustment), unless the coder's latest logged
    decision is no longer `expected_last`: a replayed click must not undo twice."""
    if coding_store.last_decision_id(store, coder) != expected_last:
        return []
    return coding_store.undo_last(store, coder)


def last_decision(store: ProjectStore, coder: str) -> int | None:
    return coding_store.last_decision_id(store, coder)


def resolve_span(store: ProjectStore, document: str, start: int, end: int) -> Span:
    """The span a selection [start, end) of `document` codes: checked, trimmed onto transcript text, with its first
    turn and, when it is exactly one excerpt, the excerpt's id. Raises a located `QcodeError` otherwise."""
    found = doc_store.get_document(store, document)
    if found is None:
        raise NotFound(Problem(f"no document {document} in the project", hint="pick one from 'qcode transcripts'"))
    where = f"{document} {start}-{end}"
    if not 0 <= start < end <= len(found.text):
        raise QcodeError(Problem(
            f"{where} is not a span of the transcript (it has {len(found.text)} characters)",
            hint="select some text of this transcript; the start must come before the end"))
    turns = doc_store.get_turns(store, document)
    trimmed = snap_to_turns(found.text, turns, start, end)
    if trimmed is None:
        raise QcodeError(Problem(f"{where} holds no transcript text (only spaces, a title or speaker labels)",
                                 hint="select some of what a speaker said"))
    start, end, turn = trimmed
    excerpts = {(e.start, e.end): e.id for e in doc_store.get_excerpts(store, document) if e.turn == turn.number}
    return Span(document=document, start=start, end=end, turn=turn.number, excerpt_id=excerpts.get((start, end)))


def snap_to_turns(text: str, turns: list[Turn], start: int, end: int) -> tuple[int, int, Turn] | None:
    """[start, end) moved onto utterances (ends in a title or a speaker label move inwards) and trimmed of
    whitespace, with the first turn it touches; None when no utterance text is left."""
    start, end = _trimmed(text, start, end)
    starts = [t.start for t in turns]
    first = bisect.bisect_right(starts, start) - 1
    if first < 0 or start >= turns[first].end:  # before the first turn or between two: the next utterance
        first += 1
    last = bisect.bisect_left(starts, end) - 1  # the last turn that starts before `end`
    if first >= len(turns) or last < first:
        return None
    start = max(start, turns[first].start)
    end = min(end, turns[last].end)
    start, end = _trimmed(text, start, end)
    if start >= end:
        return None
    # Trimming may leave the first turn (its utterance ended in spaces): the span belongs to the turn it starts in.
    index = max(bisect.bisect_right(starts, start) - 1, first)
    return start, end, turns[index]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _held_span(store: ProjectStore, coder: str, document: str, start: int, end: int, code: str) -> Span:
    for coding in coding_store.current_codings(store, coder=coder, document=document):
        if (coding.start, coding.end, coding.code) == (start, end, code):
            return Span(document=document, start=start, end=end, turn=coding.turn, excerpt_id=coding.excerpt_id)
    raise NotFound(Problem(f"{coder} has no coding {code} on {document} {start}-{end}", code=code,
                           hint="it may have been removed or undone already; reload the transcript"))


def require_code(store: ProjectStore, code: str) -> None:
    """A located error unless `code` is in the project's codebook (any coding by hand checks this first)."""
    _, codebook = require_codebook(store)
    if code not in codebook:
        raise QcodeError(Problem(f"unknown code '{code}'", code=code,
                                 hint="use a code id from 'qcode codebook show', or add the code first"))


def require_coder(coder: str) -> None:
    """A located error when the coder name is empty."""
    if not coder or not coder.strip():
        raise QcodeError(Problem("the coder name is empty", hint="give --coder NAME (or set QCODE_CODER)"))
