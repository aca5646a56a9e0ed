"""Pieces of the Review view: the excerpt in context, the suggestion rows, and the callbacks behind the buttons.

Buttons act through `on_click` callbacks, which run before the page is drawn again, so the page always shows the
state just saved. Keyboard: 1-9 accept the code in that row, X rejects the remaining suggestions, N moves on,
S skips, U undoes the last decision.
"""

from __future__ import annotations

import streamlit as st

from coding.review import ReviewItem, ReviewSuggestion, accept_suggestion, code_excerpt, reject_suggestion, uncode_excerpt
from coding.review_screen import reject_remaining, undo_review_decision
from coding.ui import state
from coding.ui.components import label_html, show_html, show_turn, text_html
from coding.ui.text import md

CURRENT = "review_current"
SKIPPED = "review_skipped"
SHOWN = 8  # suggestion rows listed; any other code is one choice away


def show_context(item: ReviewItem) -> None:
    excerpt = item.excerpt
    st.caption(md(f"{excerpt.document} · turn {excerpt.turn} · excerpt {excerpt.index} ({excerpt.id})"))
    if item.before:
        show_turn(item.before, dim=True)
    show_turn(item.turn, mark=(excerpt.start, excerpt.end))
    if item.after:
        show_turn(item.after, dim=True)


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
    score = f"{suggestion.score:.2f}" + (" · suggested" if suggestion.suggested else "")
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
                          shortcut=str(n) if n <= 9 else None, on_click=state.act,
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


def reject_rest(coder: str, excerpt_id: str, codes: list[str]) -> None:
    state.act(reject_remaining, coder, excerpt_id, codes)


def move_on(item: ReviewItem, skip: bool) -> None:
    """Next excerpt. One left without any decision is remembered as skipped so the queue does not offer it again."""
    if skip or not (item.applied or item.rejected):
        st.session_state[SKIPPED] = [*st.session_state.get(SKIPPED, []), item.excerpt.id]
    st.session_state[CURRENT] = None


def undo(coder: str) -> None:
    excerpt_id = state.act(undo_review_decision, coder)
    if excerpt_id:
        st.session_state[CURRENT] = excerpt_id
        st.session_state[SKIPPED] = [e for e in st.session_state.get(SKIPPED, []) if e != excerpt_id]


def restart() -> None:
    """The order or the document filter changed: start again from the head of the new queue."""
    st.session_state[CURRENT] = None
    st.session_state[SKIPPED] = []
