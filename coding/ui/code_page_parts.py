"""Pieces of the Quotes page (every quote of a code): the code picker kept in the address, the filters, the quote
rows with context and memos on demand, and the quote bank of the ticked rows.

Filter widgets carry the code (and the roll-up) in their keys: their choices come from that code's quotes, and a
browser keeps a widget's value under its key, so another code's coder or value would not be among the choices.
"""

from __future__ import annotations

import streamlit as st

from coding.analysis.quotes import ATTRIBUTE_SORT, SORTS, CodeQuotes, QuoteRow, quote_context
from coding.codebook import Codebook
from coding.errors import QcodeError
from coding.export.formats import MEDIA_TYPES, ExportOptions, export_bytes
from coding.memos.model import Memo, MemoTarget, TargetKind
from coding.ui import state
from coding.ui.components import label_html, show_html, show_turn, text_html
from coding.ui.memo_parts import memo_panel
from coding.ui.text import md

PAGE = "coding/ui/views/code.py"
CODE = "qp_code"
_LINKED = "qp_linked"  # the ?code= the picker last followed
PER_PAGE = 50


def code_link(code_id: str, label: str = "", help: str | None = None) -> None:
    """A link to the Quotes page of `code_id` (used by the codebook tree and Analysis)."""
    st.page_link(PAGE, label=label or " ", icon=":material/format_quote:", query_params={"code": code_id},
                 help=help or f"Every quote of {code_id}")


def pick_code(codebook: Codebook, counts: dict[str, int]) -> str:
    """The code chosen in the picker; a new ?code= in the address (a link) chooses it, and the address follows."""
    ids = [c.id for c in codebook.depth_first()]
    linked = st.query_params.get("code")
    if linked and linked != st.session_state.get(_LINKED):
        st.session_state[_LINKED] = linked
        if linked in ids:
            st.session_state[CODE] = linked
        else:
            st.warning(f"The address names the code {md(linked)}, which the current codebook does not have.")
    if st.session_state.get(CODE) not in ids:
        st.session_state[CODE] = ids[0]
    code = st.selectbox("Code", ids, key=CODE,
                        format_func=lambda c: f"{'  ' * codebook.depth(c)}{c} · {codebook.get(c).name} "
                                              f"({counts.get(c, 0)})")
    st.query_params["code"] = code
    st.session_state[_LINKED] = code
    return code


def scope(code: str, children: bool) -> str:
    return f"{code}_{int(children)}"


def filters(quotes: CodeQuotes, children: bool) -> tuple[list[str], dict[str, list], str]:
    """(coders, attribute -> values, sort) as chosen on screen for this code's quotes."""
    key = scope(quotes.code, children)
    columns = st.columns([2, 2, 3, 2], vertical_alignment="bottom")
    coders = columns[0].multiselect("Coder", quotes.coders, key=f"qp_coders_{key}", placeholder="every coder")
    names = list(quotes.attribute_values)
    attribute = columns[1].selectbox("Attribute", names, index=None, key=f"qp_attribute_{key}",
                                     placeholder="no attribute filter")
    values = columns[2].multiselect("Values", quotes.attribute_values.get(attribute, []), key=f"qp_values_{key}",
                                    disabled=attribute is None, placeholder="any value")
    sorts = [*SORTS, *(ATTRIBUTE_SORT + name for name in names)]
    sort = columns[3].selectbox("Sort by", sorts, key=f"qp_sort_{key}",
                                format_func=lambda s: s.removeprefix(ATTRIBUTE_SORT))
    return coders, ({attribute: values} if attribute and values else {}), sort


def pick_key(decision_id: int) -> str:
    return f"qp_pick_{decision_id}"


def selected(rows: list[QuoteRow]) -> list[int]:
    """Decision ids of the ticked rows among those shown (a row the filters hide is not in the bank)."""
    return [row.decision_id for row in rows if st.session_state.get(pick_key(row.decision_id))]


def quote_bank(code: str, rows: list[QuoteRow]) -> None:
    """A download of the DOCX quote bank of the ticked quotes, built by the exporter; never written to disk."""
    chosen = selected(rows)
    if not chosen:
        st.caption("Tick quotes below to put them in a quote bank (DOCX).")
        return
    try:
        data = state.query(export_bytes, "docx", ExportOptions(decision_ids=tuple(chosen)))
    except QcodeError as error:
        st.error(md(error), icon=":material/error:")
        return
    st.download_button(f"Add to quote bank: download {len(chosen)} selected quotes (DOCX)", data,
                       file_name=f"quote-bank-{code}.docx", mime=MEDIA_TYPES["docx"], key="qp_bank",
                       icon=":material/download:", on_click="ignore")


def page_of(rows: list[QuoteRow]) -> list[QuoteRow]:
    pages = max(1, -(-len(rows) // PER_PAGE))
    if pages == 1:
        return rows
    page = st.number_input(f"Page ({len(rows)} quotes, {PER_PAGE} per page)", min_value=1, max_value=pages,
                           value=1, key="qp_page")
    return rows[(int(page) - 1) * PER_PAGE:int(page) * PER_PAGE]


def show_row(row: QuoteRow, colors: dict[str, str | None], memos: list[Memo], rolled_up: bool) -> None:
    with st.container(border=True, key=f"qp_row_{row.decision_id}"):
        tick, body = st.columns([1, 24])
        tick.checkbox("Select", key=pick_key(row.decision_id), label_visibility="collapsed")
        attributes = " · ".join(f"{name}: {value}" for name, value in row.attributes.items() if value is not None)
        code = label_html(row.code, colors.get(row.code)) if rolled_up else ""
        with body:
            show_html(f"{code}{text_html(row.text)}"
                      f'<div style="color:#6b7280;font-size:.85em">{text_html(row.document)}, turn {row.turn}'
                      f"{' · ' + text_html(row.speaker) if row.speaker else ''} · coded by {text_html(row.coder)}"
                      f"{' (' + text_html(row.source) + ')' if row.source != 'human' else ''}</div>"
                      + (f'<div style="color:#6b7280;font-size:.8em">{text_html(attributes)}</div>'
                         if attributes else ""))
            with st.container(horizontal=True):
                context = st.toggle("Context", key=f"qp_context_{row.decision_id}")
                open_memos = st.toggle(f"Memos ({len(memos)})", key=f"qp_memos_{row.decision_id}")
            if context:
                for turn in state.query(quote_context, row.document, row.turn):
                    show_turn(turn, dim=turn.number != row.turn,
                              mark=(row.start, row.end) if turn.number == row.turn else None)
            if open_memos:
                memo_panel(MemoTarget(kind=TargetKind.coding, ref=str(row.decision_id)), memos)


def coding_memos(all_memos: list[Memo]) -> dict[str, list[Memo]]:
    """decision id (as the memo's ref) -> the memos on that coding."""
    grouped: dict[str, list[Memo]] = {}
    for memo in all_memos:
        grouped.setdefault(memo.target.ref, []).append(memo)
    return grouped
