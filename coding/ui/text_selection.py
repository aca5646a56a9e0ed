"""The Transcripts page's text: a small bidirectional custom component (selection_frontend/index.html).

Streamlit has no text-selection widget. The component draws the whole transcript (every turn, interviewer turns
included, under a speaker and turn-number heading) from the turns and codings the server sends, highlights each
coding in its code's colour with a chip naming the code in the margin, and reports two things back: a mouse (or
keyboard) selection as document character offsets, read from the offsets each text piece carries, never from the
rendered text; and the coding whose highlight or chip was clicked. Each event carries a number, so the server acts
on an event once even though a component's value stays the same across reruns. Text goes in with `textContent`
(never as HTML) and the frame loads nothing from outside.
"""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components
from pydantic import BaseModel, ConfigDict

from coding.annotated import AnnotatedTranscript
from coding.ui.components import clock, safe_color

_component = components.declare_component("qcode_text_selection",
                                          path=str(Path(__file__).parent / "selection_frontend"))


class SelectionEvent(BaseModel):
    """What the reader did last: selected [start, end) or clicked a coding (its decision id)."""

    model_config = ConfigDict(frozen=True)

    seq: int
    kind: str  # "select" or "coding"
    start: int | None = None
    end: int | None = None
    coding: int | None = None


def transcript_text(transcript: AnnotatedTranscript, key: str, selected: tuple[int, int] | None = None,
                    chosen: int | None = None) -> SelectionEvent | None:
    """Draw the transcript; returns the reader's latest event (the same one on every rerun until the next).
    `selected` outlines the span being coded; `chosen` marks the coding whose actions are open."""
    turns = [{"number": t.number, "speaker": t.speaker, "role": t.role.value, "start": t.start,
              "text": t.text, "time": clock(t.start_time)}
             for t in transcript.turns]
    codings = [{"id": c.decision_id, "start": c.start, "end": c.end, "code": c.code, "name": c.name,
                "color": safe_color(c.color), "coder": c.coder} for c in transcript.codings]
    value = _component(turns=turns, codings=codings, selected=list(selected) if selected else None,
                       chosen=chosen, key=key, default=None)
    return parse_event(value)


def parse_event(value: object) -> SelectionEvent | None:
    """The component's value as an event; anything malformed is no event."""
    if not isinstance(value, dict) or not isinstance(value.get("seq"), int):
        return None
    kind = value.get("kind")
    numbers = [value.get(k) for k in (("start", "end") if kind == "select" else ("coding",))]
    if kind not in ("select", "coding") or not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
        return None
    if kind == "select":
        return SelectionEvent(seq=value["seq"], kind=kind, start=value["start"], end=value["end"])
    return SelectionEvent(seq=value["seq"], kind=kind, coding=value["coding"])
