"""Pieces of the Review view: the excerpt in context, the suggestion rows, and the callbacks behind the buttons.

Buttons act through `on_click` callbacks, which run before the page is drawn again, so the page always shows the
state just saved. Keyboard (see `coding.ui.review_keys`): 1-9 accept the code in that row, X rejects the remaining
suggestions (or, when none is pending, records "nothing to code here"), N moves on, S skips, U undoes the last
decision. A browser can replay a click; every callback is safe to run twice: decisions that change nothing are not
logged, and moving on or undoing checks that the screen it was clicked on is still the current one.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field

import streamlit as st

from coding.review import (ReviewItem, ReviewSuggestion, accept_suggestion, code_excerpt, nothing_to_code,
                           reject_suggestion, uncode_excerpt)
from coding.review_screen import ReviewScreen, last_decision_id, reject_remaining, review_screen, undo_review_decision
from coding.ui import review_keys, state
from coding.ui.components import label_html, show_html, show_turn, text_html
from coding.ui.search_parts import like_link
from coding.ui.text import md

CURRENT = "review_current"  # a copy of Navigation.current for tests and other views; the Navigation is the truth
KEYBOARD = "review_keys"
_NAVIGATION_ID = "review_navigation"


@dataclass
class Navigation:
    """Where a browser session is in Review. Kept in server memory, not in `st.session_state`: Streamlit drops the
    session-state writes of a callback whose run a newer request interrupts, while the decision that callback saved
    stays in the project; the screen then showed an older state and the next press repeated the decision."""

    current: str | None = None  # the excerpt on screen
    skipped: list[str] = field(default_factory=list)  # left without a decision in this browser session
    applied: int = 0  # the last key press number applied
    outcomes: list[tuple[str, str]] = field(default_factory=list)  # what the last key presses did
    run_id: int | None = None  # the suggestion run the queue was ordered by


_SESSIONS: dict[str, Navigation] = {}
_SESSIONS_LOCK = threading.Lock()


def navigation() -> Navigation:
    """This browser session's Navigation (a new one starts at the excerpt named in the address, if any)."""
    token = st.session_state.get(_NAVIGATION_ID)
    if token is None:
        token = st.session_state[_NAVIGATION_ID] = uuid.uuid4().hex
    with _SESSIONS_LOCK:
        found = _SESSIONS.get(token)
        if found is None:
            found = _SESSIONS[token] = Navigation(current=st.query_params.get("excerpt"))
        return found
SHOWN = 8  # suggestion rows listed; any other code is one choice away


def show_context(item: ReviewItem) -> None:
    excerpt = item.excerpt
    st.caption(md(f"{excerpt.document} · turn {excerpt.turn} · excerpt {excerpt.index} ({excerpt.id})"))
    if item.before:
        show_turn(item.before, dim=True)
    show_turn(item.turn, mark=(excerpt.start, excerpt.end))
    if item.after:
        show_turn(item.after, dim=True)
    like_link(excerpt.id)


def rows(item: ReviewItem) -> list[ReviewSuggestion]:
    """Suggested codes first, then the best-scoring others, then any code already applied."""
    ranked = sorted(item.suggestions, key=lambda s: (not s.suggested, -s.score))[:SHOWN]
    listed = {s.code for s in ranked}
    extra = [ReviewSuggestion(code=c, name=c, color=None, score=0.0, suggested=False, evidence=None)
             for c in item.applied if c not in listed]
    return ranked + extra


def show_row(n: int, suggestion: ReviewSuggestion, item: ReviewItem, coder: str) -> None:
    applied, rejected = suggestion.code in item.applied, suggestion.code in item.rejected
    eid = item.excerpt.id
    status = (' · <b style="color:#15803d">✓ applied</b>' if applied
              else ' · <b style="color:#b91c1c">✗ rejected</b>' if rejected else "")
    score = (f"score {suggestion.score:.2f}" + (" · suggested" if suggestion.suggested else "")
             if suggestion.code in {s.code for s in item.suggestions} else "not scored")
    why = (f'<div style="font-size:.8em;color:#6b7280">why: {text_html(suggestion.evidence)}</div>'
           if suggestion.evidence else "")
    with st.container(border=True):
        text, accept, reject = st.columns([3, 1.8, 1.5], gap="small", vertical_alignment="center")
        with text:
            show_html(f"{label_html(suggestion.name, suggestion.color, title=suggestion.code, struck=rejected)}"
                      f'<span style="font-size:.85em;color:#374151">{score}{status}</span>{why}')
        if applied:
            accept.button("Remove", key=f"review_uncode_{suggestion.code}", width="stretch", on_click=state.act,
                          args=(uncode_excerpt, coder, eid, suggestion.code))
        else:
            accept.button("Accept", key=f"review_accept_{suggestion.code}", type="primary", width="stretch",
                          on_click=state.act,
                          args=(accept_suggestion, coder, eid, suggestion.code, suggestion.score))
        reject.button("Reject", key=f"review_reject_{suggestion.code}", disabled=rejected, width="stretch",
                      on_click=state.act, args=(reject_suggestion, coder, eid, suggestion.code, suggestion.score))


def pending(item: ReviewItem) -> list[str]:
    """Suggested codes the coder has neither applied nor rejected."""
    return [s.code for s in item.suggestions if s.suggested and s.code not in item.applied + item.rejected]


def apply_chosen(coder: str, excerpt_id: str) -> None:
    code = st.session_state.get("review_other")
    if code:
        state.act(code_excerpt, coder, excerpt_id, code)


def none_of_these(coder: str, item: ReviewItem) -> str:
    """X: reject every pending suggestion (one undo group) or, with none pending and no code applied, record
    "nothing to code here". Returns what it did, in words."""
    codes = pending(item)
    if codes:
        state.act(reject_remaining, coder, item.excerpt.id, codes)
        return f"rejected {', '.join(codes)}"
    if state.act(nothing_to_code, coder, item.excerpt.id) is not None:
        return "nothing to code here"
    return "ignored: nothing to reject" if item.applied else "nothing to code here (already recorded)"


def decided(item: ReviewItem) -> bool:
    """Whether the coder has a decision on the excerpt (else moving on remembers it as skipped)."""
    return bool(item.applied or item.rejected or item.nothing_to_code)


def none_label(item: ReviewItem) -> str:
    return "None of these" if pending(item) else "Nothing to code here"


def move_on(excerpt_id: str, decided: bool, skip: bool) -> bool:
    """Next excerpt, if `excerpt_id` is still the one on screen (a replayed click must not move twice). One left
    without any decision is remembered as skipped for this browser session so the queue does not offer it again."""
    place = navigation()
    if place.current != excerpt_id:
        return False
    if skip or not decided:
        place.skipped.append(excerpt_id)
    place.current = None
    return True


def undo(coder: str, last_decision: int | None = None) -> str | None:
    """Undo the coder's latest decision and show its excerpt again. With `last_decision` (a click), nothing happens
    unless that is still the coder's latest logged decision: a replayed click must not undo twice."""
    if last_decision is not None and state.query(last_decision_id, coder) != last_decision:
        return None
    excerpt_id = state.act(undo_review_decision, coder)
    if excerpt_id:
        place = navigation()
        place.current = excerpt_id
        place.skipped = [e for e in place.skipped if e != excerpt_id]
    return excerpt_id


def restart() -> None:
    """The order or the document filter changed: start again from the head of the new queue."""
    place = navigation()
    place.current, place.skipped = None, []


def current_screen(coder: str) -> ReviewScreen:
    """The screen for this session's place; the excerpt it shows becomes the current one."""
    place = navigation()
    screen = state.query(review_screen, coder, place.current, st.session_state.get("review_order", "uncertainty"),
                         st.session_state.get("review_document"), list(place.skipped))
    if place.run_id is not None and screen.run_id != place.run_id and not decided_or_none(screen):
        # New suggestions: start again from the head of the new queue (what was skipped may rank differently).
        place.current, place.skipped = None, []
        screen = state.query(review_screen, coder, None, st.session_state.get("review_order", "uncertainty"),
                             st.session_state.get("review_document"), [])
    place.run_id = screen.run_id
    place.current = screen.item.excerpt.id if screen.item else None
    return screen


def decided_or_none(screen: ReviewScreen) -> bool:
    """Whether the excerpt on screen carries the coder's decision (then it stays while new suggestions arrive)."""
    return screen.item is not None and decided(screen.item)


def keyboard(screen: ReviewScreen, coder: str) -> None:
    review_keys.keyboard(KEYBOARD, screen.item.excerpt.id if screen.item else "", navigation().applied,
                         on_change=apply_keys, args=(coder,))


def apply_keys(coder: str) -> None:
    """Apply each key press the server has not applied yet, once, in the order pressed, to the screen as it is."""
    place = navigation()
    outcomes = []
    try:
        for press in review_keys.presses(st.session_state.get(KEYBOARD), place.applied):
            outcome = _apply_key(coder, press["key"], str(press.get("screen", "")))
            # Counted once done: when a newer request interrupts this callback (Streamlit raises inside its calls,
            # always before a press has saved anything), the press stays pending and the next run applies it.
            place.applied = press["seq"]
            outcomes.append((press["key"].upper(), outcome))
    finally:
        if outcomes:
            place.outcomes = (place.outcomes + outcomes)[-6:]


def _apply_key(coder: str, key: str, pressed_on: str) -> str:
    if key == "u":
        excerpt_id = undo(coder)
        return f"undid the last decision on {excerpt_id}" if excerpt_id else "ignored: nothing to undo"
    item = current_screen(coder).item
    if item is None:
        return "ignored: nothing left to review"
    if key in ("n", "s"):
        move_on(item.excerpt.id, decided(item), skip=key == "s")
        return f"{'skipped' if key == 's' else 'moved on from'} {item.excerpt.id}"
    if pressed_on != item.excerpt.id:  # typed ahead of the screen: the key was meant for another excerpt
        return f"ignored: pressed on {pressed_on or 'another screen'}, before {item.excerpt.id} was shown"
    if key == "x":
        return none_of_these(coder, item)
    listed = rows(item)
    n = int(key)
    if n > len(listed):
        return f"ignored: there is no row {n}"
    suggestion = listed[n - 1]
    if suggestion.code in item.applied:
        return f"ignored: {suggestion.code} is already applied"
    if state.act(accept_suggestion, coder, item.excerpt.id, suggestion.code, suggestion.score) is None:
        return f"ignored: {suggestion.code} not applied"
    return f"accepted {suggestion.code}"


def show_key_outcomes() -> None:
    outcomes = navigation().outcomes
    if outcomes:
        st.caption(md("Last keys: " + " · ".join(f"{key} {what}" for key, what in outcomes)))
