"""Memos: the project's own memos (add, edit, delete, undo), then every memo of the project, filterable by the kind
of object it is on and by author. Memos on a document, code, coding or theme are written where that object is
shown (Transcripts, Quotes, Themes)."""

import streamlit as st

from coding.memos.actions import memos
from coding.memos.model import PROJECT, TargetKind
from coding.ui import memo_parts as parts
from coding.ui import state


def main() -> None:
    st.title("Memos")
    st.subheader("Memos on the project")
    parts.memo_panel(PROJECT)
    st.subheader("Every memo")
    every = state.query(memos)
    left, right = st.columns(2)
    kinds = left.multiselect("On", list(TargetKind), format_func=parts.KIND_NAMES.get, key="memos_kinds",
                             placeholder="any object")
    authors = right.multiselect("Author", sorted({m.author for m in every}), key="memos_authors",
                                placeholder="any author")
    rows = parts.memo_rows(every, kinds, authors)
    st.caption(f"{len(rows)} of {len(every)} memos")
    if rows:
        st.dataframe(rows, hide_index=True, key="memos_table")


main()
