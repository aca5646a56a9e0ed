"""Review: one excerpt at a time in its context, with the suggested codes, their scores and why.

Every decision is saved at once under the coder's name. Keys: 1-9 accept, X reject the rest, N next, S skip, U undo.
"""

import streamlit as st

from coding.review_screen import review_screen
from coding.ui import review_parts as parts
from coding.ui import state
from coding.ui.components import require_coder
from coding.ui.runs import llm_panel, suggestion_panel

ORDERS = {"uncertainty": "Most informative first", "document": "Document order"}


def main() -> None:
    st.title("Review")
    coder = require_coder()
    if not coder:
        return
    if parts.CURRENT not in st.session_state:  # a new session (a reload): come back to the excerpt in the address
        st.session_state[parts.CURRENT] = st.query_params.get("excerpt")
    top = st.columns([2, 2, 3], vertical_alignment="bottom")
    order = top[0].radio("Order", list(ORDERS), format_func=ORDERS.get, key="review_order", horizontal=True,
                         on_change=parts.restart)
    screen = state.query(review_screen, coder, st.session_state.get(parts.CURRENT), order,
                         st.session_state.get("review_document"), st.session_state.get(parts.SKIPPED, []))
    top[1].selectbox("Document", screen.documents, index=None, placeholder="all documents", key="review_document",
                     on_change=parts.restart)
    top[2].progress(screen.decided / screen.total if screen.total else 0.0,
                    text=f"{screen.decided} of {screen.total} excerpts decided by {coder}")
    suggestion_panel(screen.has_suggestions)
    llm_panel()
    item = screen.item
    if item is None:
        st.success("Nothing left to review in this order." if screen.total else "No excerpts in the project yet.")
        return
    st.session_state[parts.CURRENT] = st.query_params["excerpt"] = item.excerpt.id
    text, decide = st.columns([5, 6], gap="large")
    with text:
        parts.show_context(item)
    with decide:
        with st.container(horizontal=True):
            st.button("Next", key="review_next", shortcut="N", type="primary", on_click=parts.move_on,
                      args=(item, False))
            st.button("Skip", key="review_skip", shortcut="S", on_click=parts.move_on, args=(item, True))
            st.button("None of these", key="review_none", shortcut="X", disabled=not parts.pending(item),
                      on_click=parts.reject_rest, args=(coder, item.excerpt.id, parts.pending(item)))
            st.button("Undo", key="review_undo", shortcut="U", on_click=parts.undo, args=(coder,))
        st.caption("Keys: 1-9 accept that code · X none of these · N next · S skip · U undo")
        for n, suggestion in enumerate(parts.rows(item), start=1):
            parts.show_row(n, suggestion, item, coder)
        with st.container(horizontal=True, vertical_alignment="bottom"):
            st.selectbox("Another code", [c for c, _ in screen.codes], format_func=dict(screen.codes).get,
                         index=None, placeholder="choose a code", key="review_other")
            st.button("Apply", key="review_apply", on_click=parts.apply_chosen, args=(coder, item.excerpt.id))

main()
