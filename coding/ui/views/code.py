"""Quotes: every quote of a code (opened from the codebook tree or Analysis with ?code=ID), with its document,
turn, speaker, coder and document attributes; filter by coder and attribute, sort, read a quote in context, write
memos on the code and on each coding, and download the ticked quotes as a DOCX quote bank."""

import streamlit as st

from coding.analysis.quotes import code_quotes
from coding.project_codebook.editing import codebook_with_counts
from coding.errors import CodebookError, QcodeError
from coding.memos.actions import memos
from coding.memos.model import MemoTarget, TargetKind
from coding.ui import code_page_parts as parts
from coding.ui import state
from coding.ui.memo_parts import memo_panel
from coding.ui.text import md


def main() -> None:
    st.title("Quotes")
    try:
        _, codebook, counts, _ = state.query(codebook_with_counts)
    except CodebookError as error:
        st.info(md(error))
        return
    code = parts.pick_code(codebook, counts)
    children = bool(codebook.descendants(code)) and st.toggle(
        "Include the quotes of its sub-codes", key=f"qp_children_{code}")
    st.caption(md(f"{codebook.path(code)}: {codebook.get(code).definition}"))
    with st.expander("Memos on this code"):
        memo_panel(MemoTarget(kind=TargetKind.code, ref=code))
    every = state.query(code_quotes, code, children)
    if not every.rows:
        hint = " (turn on its sub-codes to see theirs)" if codebook.descendants(code) and not children else ""
        st.info(f"No codings of {md(code)} yet{hint}.")
        return
    coders, attributes, sort = parts.filters(every, children)
    try:
        quotes = state.query(code_quotes, code, children, coders, attributes, sort)
    except QcodeError as error:
        st.error(md(error), icon=":material/error:")
        return
    st.caption(f"{len(quotes.rows)} of {quotes.total} quotes")
    parts.quote_bank(code, quotes.rows)
    colors = {c.id: c.color for c in codebook.codes}
    by_coding = parts.coding_memos(state.query(memos, None, TargetKind.coding))
    for row in parts.page_of(quotes.rows):
        parts.show_row(row, colors, by_coding.get(str(row.decision_id), []), children)


main()
