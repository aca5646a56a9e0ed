"""Pieces of the Transcripts view: the transcript text (a selection component) and the coding panel in the sidebar.

Selecting text codes it (any span: across sentences and turns, interviewer turns included); clicking a highlight or a
code chip opens that coding to remove it or adjust its span. What is selected and which coding is open live in
`st.session_state` under the document, so switching documents starts afresh.
"""

from __future__ import annotations

import streamlit as st

from coding.annotated import AnnotatedTranscript, SpanCoding
from coding.codings.spans import (SelectedSpan, adjust_span, code_span, last_decision, selected_span,
                                  uncode_span, undo_last_coding)
from coding.ui import state
from coding.ui.components import label_html, show_html, text_html
from coding.ui.text import md
from coding.ui.text_selection import parse_event, transcript_text

SELECTION = "tx_span_selection"  # {document: SelectedSpan}
CHOSEN = "tx_span_chosen"  # {document: decision id of the open coding}
SEEN = "tx_span_seen"  # {component key: the last event number acted on}
QUOTE_LIMIT = 600


def show_transcript(transcript: AnnotatedTranscript) -> None:
    """The whole transcript, its codings highlighted; a new selection or click updates the panel's state first."""
    key = f"tx_text_{transcript.document}"
    _take_event(transcript, key)
    selection = _selection(transcript.document)
    chosen = st.session_state.get(CHOSEN, {}).get(transcript.document)
    transcript_text(transcript, key, selected=(selection.span.start, selection.span.end) if selection else None,
                    chosen=chosen)


def _take_event(transcript: AnnotatedTranscript, key: str) -> None:
    """Act once on the component's latest event (its value stays the same on every rerun until the next one)."""
    event = parse_event(st.session_state.get(key))
    seen = st.session_state.setdefault(SEEN, {})
    if event is None or event.seq <= seen.get(key, 0):
        return
    seen[key] = event.seq
    if event.kind == "coding":
        st.session_state.setdefault(CHOSEN, {})[transcript.document] = event.coding
        return
    found = state.act(selected_span, transcript.document, event.start, event.end)
    st.session_state.setdefault(SELECTION, {})[transcript.document] = found


def _selection(document: str) -> SelectedSpan | None:
    return st.session_state.get(SELECTION, {}).get(document)


def _quote(text: str) -> str:
    short = text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT] + "…"
    return f'<div style="font-size:.85em;border-left:3px solid #fbbf24;padding-left:.5em">{text_html(short)}</div>'


def _turns(first: int, last: int) -> str:
    return f"turn {first}" if first == last else f"turns {first}-{last}"


def coding_panel(transcript: AnnotatedTranscript, coder: str | None) -> None:
    """Sidebar: the selected text with a code to apply, the opened coding's actions, and undo."""
    document = transcript.document
    selection = _selection(document)
    chosen = transcript.coding(st.session_state.get(CHOSEN, {}).get(document))
    with st.sidebar:
        st.divider()
        if selection is None and chosen is None:
            st.caption("Select text in the transcript to code it (across turns too); click a highlight or a code "
                       "chip to remove or adjust that coding.")
        if selection is not None:
            _selection_panel(transcript, selection, coder)
        if chosen is not None:
            _coding_panel(transcript, chosen, selection, coder)
        if coder:
            latest = state.query(last_decision, coder)
            st.button("Undo my last decision", key="tx_undo", icon=":material/undo:", disabled=latest is None,
                      help="Takes back your latest coding decision (an adjustment as a whole), here or elsewhere",
                      on_click=_undo, args=(coder, latest))


def _selection_panel(transcript: AnnotatedTranscript, selection: SelectedSpan, coder: str | None) -> None:
    span = selection.span
    st.markdown(f"**Selection** · {_turns(span.turn, selection.last_turn)} · characters {span.start}-{span.end}")
    show_html(_quote(selection.text))
    if not coder:
        st.caption("Choose your coder name above to code it.")
        return
    st.selectbox("Code", [c for c, _ in transcript.codes], format_func=dict(transcript.codes).get, index=None,
                 placeholder="choose a code", key="tx_code")
    left, right = st.columns(2)
    left.button("Code selection", key="tx_code_selection", type="primary", on_click=_code_selection,
                args=(coder, transcript.document, span.start, span.end))
    right.button("Clear", key="tx_clear_selection", on_click=_clear_selection, args=(transcript.document,))


def _coding_panel(transcript: AnnotatedTranscript, coding: SpanCoding, selection: SelectedSpan | None,
                  coder: str | None) -> None:
    st.markdown(f"**Coding** · {_turns(coding.turn, coding.last_turn)} · characters {coding.start}-{coding.end}")
    show_html(label_html(coding.name, coding.color, title=coding.code, note=coding.coder) + _quote(coding.text))
    if coding.coder != coder:
        st.caption(f"Coded by {md(coding.coder)}: only they can remove or adjust it." if coder else
                   "Choose your coder name above to change your codings.")
        return
    ident = coding.decision_id
    st.button(f"Remove {coding.name}", key=f"tx_remove_{ident}", icon=":material/close:", on_click=_remove,
              args=(coding,))
    start, end = st.columns(2)
    start.number_input("Start", min_value=0, value=coding.start, step=1, key=f"tx_adjust_start_{ident}")
    end.number_input("End", min_value=1, value=coding.end, step=1, key=f"tx_adjust_end_{ident}")
    st.button("Adjust span", key=f"tx_adjust_{ident}", icon=":material/straighten:", on_click=_adjust,
              args=(coding, None), help="Moves the coding to the start and end above (one undoable step)")
    if selection is not None:
        st.button("Move to the selection", key=f"tx_move_{ident}", icon=":material/select:", on_click=_adjust,
                  args=(coding, (selection.span.start, selection.span.end)),
                  help="Moves the coding onto the selected text (one undoable step)")


def _code_selection(coder: str, document: str, start: int, end: int) -> None:
    code = st.session_state.get("tx_code")
    if not code:
        state.flash("error", "Choose a code for the selection first.")
        return
    if state.succeeded(code_span, coder, document, start, end, code):  # coded, or held already
        _clear_selection(document)


def _clear_selection(document: str) -> None:
    st.session_state.setdefault(SELECTION, {}).pop(document, None)


def _remove(coding: SpanCoding) -> None:
    document = coding.document
    state.act(uncode_span, coding.coder, document, coding.start, coding.end, coding.code)
    st.session_state.setdefault(CHOSEN, {}).pop(document, None)


def _adjust(coding: SpanCoding, target: tuple[int, int] | None) -> None:
    ident = coding.decision_id
    new_start, new_end = target or (int(st.session_state[f"tx_adjust_start_{ident}"]),
                                    int(st.session_state[f"tx_adjust_end_{ident}"]))
    document = coding.document
    ids = state.act(adjust_span, coding.coder, document, coding.start, coding.end, coding.code, new_start, new_end)
    if ids is None:  # refused: the message says why, and the coding stays open
        return
    if len(ids) == 2:  # the coding's new decision
        st.session_state.setdefault(CHOSEN, {})[document] = ids[-1]
    elif ids:  # the new span held the code already: the old coding is gone
        st.session_state.setdefault(CHOSEN, {}).pop(document, None)
    if target is not None:
        _clear_selection(document)


def _undo(coder: str, latest: int | None) -> None:
    undone = state.act(undo_last_coding, coder, latest)
    state.flash("success" if undone else "info",
                f"Undid {len(undone)} decision{'s' if len(undone) != 1 else ''}" if undone else "Nothing to undo.")

