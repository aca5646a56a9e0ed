"""Pieces of the Transcripts view: a turn with its excerpts and code labels, and the coding panel in the sidebar."""

from __future__ import annotations

import streamlit as st

from coding.annotated import AnnotatedExcerpt, AnnotatedTranscript, AnnotatedTurn, CodeLabel
from coding.review import code_excerpt, uncode_excerpt
from coding.ui import state
from coding.ui.components import label_html, show_html, text_html, turn_heading
from coding.ui.text import md

SELECTED = "tx_selected"


def labels_html(labels: list[CodeLabel]) -> str:
    """One label per code (and quoted span), naming the coders who applied it."""
    grouped: dict[tuple[str, str | None], list[CodeLabel]] = {}
    for label in labels:
        grouped.setdefault((label.code, label.quote), []).append(label)
    parts = []
    for (code, quote), same in grouped.items():
        coders = ", ".join(sorted({l.coder for l in same}))
        title = f"{code} by {coders}" + (f": “{quote}”" if quote else "")
        parts.append(label_html(same[0].name, same[0].color, title=title, note=coders))
    return "".join(parts)


def show_turn(turn: AnnotatedTurn) -> None:
    heading = turn_heading(turn.turn) + " " + labels_html(turn.labels)
    if not turn.excerpts:
        show_html(f'{heading}<div style="color:#6b7280">{text_html(turn.turn.text)}</div>')
        return
    show_html(heading)
    for part in turn.excerpts:
        show_excerpt(part)


def show_excerpt(part: AnnotatedExcerpt) -> None:
    selected = st.session_state.get(SELECTED) == part.excerpt.id
    text, pick = st.columns([20, 1], vertical_alignment="top")
    border = "#6366f1" if selected else "#e5e7eb"
    style = f"border-left:3px solid {border};padding-left:.6em;" + ("background:#eef2ff;" if selected else "")
    with text:
        show_html(f'<div style="{style}">{text_html(part.excerpt.text)} {labels_html(part.labels)}</div>')
    pick.button("", key=f"tx_pick_{part.excerpt.id}", icon=":material/sell:", type="tertiary",
                help=f"Code or uncode excerpt {part.excerpt.id}", on_click=_select, args=(part.excerpt.id,))


def _select(excerpt_id: str) -> None:
    st.session_state[SELECTED] = excerpt_id


def coding_panel(transcript: AnnotatedTranscript, coder: str | None) -> None:
    """Sidebar: the selected excerpt, its codes (removable) and a code to apply."""
    found = [p for t in transcript.turns for p in t.excerpts if p.excerpt.id == st.session_state.get(SELECTED)]
    with st.sidebar:
        st.divider()
        if not found:
            st.caption("Click the tag beside an excerpt to code it.")
            return
        part = found[0]
        st.markdown(f"**Excerpt {md(part.excerpt.id)}**")
        show_html(f'<div style="font-size:.85em">{text_html(part.excerpt.text)}</div>')
        if not coder:
            st.caption("Choose your coder name above to code it.")
            return
        for label in [l for l in part.labels if l.coder == coder]:
            st.button(f"Remove {label.name}", key=f"tx_uncode_{label.code}", icon=":material/close:",
                      on_click=state.act, args=(uncode_excerpt, coder, part.excerpt.id, label.code))
        st.selectbox("Code", [c for c, _ in transcript.codes], format_func=dict(transcript.codes).get, index=None,
                     placeholder="choose a code", key="tx_code")
        st.button("Apply code", key="tx_apply", type="primary", on_click=_apply, args=(coder, part.excerpt.id))


def _apply(coder: str, excerpt_id: str) -> None:
    code = st.session_state.get("tx_code")
    if code:
        state.act(code_excerpt, coder, excerpt_id, code)
