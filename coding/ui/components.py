"""Small rendering helpers shared by the views.

Transcript text, code names and evidence are untrusted: everything that goes into HTML is escaped here first, and
`st.html` (no markdown processing, scripts never run) displays it, so `<script>` or `**` in a transcript shows as
typed.
"""

from __future__ import annotations

import html
import re

import streamlit as st

from coding.models import Turn
from coding.ui import state
from coding.ui.text import md

_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")
DEFAULT_COLOR = "#6b7280"


def safe_color(color: str | None) -> str:
    return color if color and _COLOR.match(color) else DEFAULT_COLOR


def _ink(color: str) -> str:
    """Black or white text, whichever reads better on `color`."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#111827" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def label_html(name: str, color: str | None, title: str | None = None, struck: bool = False,
               note: str | None = None) -> str:
    """A coloured code label; `note` (e.g. who applied it) follows the name in small type."""
    background = safe_color(color)
    tooltip = f' title="{html.escape(title)}"' if title else ""
    small = f' <span style="opacity:.75;font-size:.85em">{html.escape(note)}</span>' if note else ""
    decoration = "text-decoration:line-through;opacity:.55;" if struck else ""
    return (f'<span class="qc-label"{tooltip} style="background:{background};color:{_ink(background)};'
            f'border-radius:.6em;padding:.05em .55em;margin:0 .25em .2em 0;font-size:.8em;display:inline-block;'
            f'{decoration}">{html.escape(name)}{small}</span>')


def text_html(text: str) -> str:
    """Escaped text with its line breaks kept."""
    return html.escape(text).replace("\n", "<br>")


def highlighted_html(text: str, start: int, end: int) -> str:
    """`text` with the span [start, end) marked, each part escaped separately."""
    return (text_html(text[:start]) + '<mark style="background:#fde68a;padding:0 .1em">' + text_html(text[start:end])
            + "</mark>" + text_html(text[end:]))


def show_html(fragment: str) -> None:
    st.html(f'<div class="qc-text" style="line-height:1.55">{fragment}</div>')


def clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def turn_heading(turn: Turn) -> str:
    """'**12** · Dr. Alvarez · 00:03:17', escaped for markdown use via st.html."""
    parts = [f"<b>{turn.number}</b>", html.escape(turn.speaker)]
    if turn.start_time is not None:
        parts.append(clock(turn.start_time))
    role = "#6b7280" if turn.role.value == "interviewer" else "#1f2937"
    return f'<span style="color:{role};font-size:.85em">{" · ".join(parts)}</span>'


def show_turn(turn: Turn, dim: bool = False, mark: tuple[int, int] | None = None) -> None:
    """A turn with its heading; `mark` highlights a span given in document offsets."""
    body = highlighted_html(turn.text, mark[0] - turn.start, mark[1] - turn.start) if mark else text_html(turn.text)
    style = "color:#6b7280;" if dim else ""
    show_html(f'{turn_heading(turn)}<div style="{style}">{body}</div>')


def coder_sidebar() -> str | None:
    """Choose the coder name once per browser session; shown on every page."""
    with st.sidebar:
        current = _remembered_coder()
        if current:
            st.markdown(f"Coding as **{md(current)}**")
            st.button("Switch coder", key="coder_switch", on_click=_switch_coder, type="tertiary")
            return current
        st.text_input("Your name as coder", key="coder_input", placeholder="e.g. maria",
                      help="Every decision you make is saved under this name. Choose it once per browser session.")
        st.button("Start coding", key="coder_start", on_click=_start_coding, type="primary")
        return None


def _remembered_coder() -> str | None:
    """The session's coder, kept in the address (?coder=NAME) so that a reload or a bookmark keeps it."""
    current = state.coder()
    remembered = st.query_params.get("coder")
    if not current and remembered:
        state.set_coder(remembered)
        current = state.coder()
    if current and remembered != current:
        st.query_params["coder"] = current
    return current


def _switch_coder() -> None:
    state.set_coder("")
    st.query_params.pop("coder", None)


def _start_coding() -> None:
    state.set_coder(st.session_state.get("coder_input", ""))


def require_coder() -> str | None:
    """The coder, or a prompt to choose one (for views that save decisions)."""
    name = state.coder()
    if not name:
        st.info("Choose your coder name in the sidebar first: every decision is saved under it.",
                icon=":material/person:")
    return name

