"""Review: one excerpt at a time in its context, with the suggested codes, their scores and why.

Every decision is saved at once under the coder's name. Keys: 1-9 accept, X none of these (or nothing to code here),
N next, S skip, U undo.
"""

import streamlit as st

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
    keys_slot = st.container()  # first on the page, so the keyboard's frame keeps its place from run to run
    top = st.columns([2, 2, 3], vertical_alignment="bottom")
    screen = parts.current_screen(coder)
    if not screen.has_suggestions:  # without scores the queue is in document order: say so in the control too
        st.session_state["review_order"] = "document"
    top[0].radio("Order", list(ORDERS), format_func=ORDERS.get, key="review_order", horizontal=True,
                 on_change=parts.restart, disabled=not screen.has_suggestions,
                 help=None if screen.has_suggestions else "Most informative first needs suggestions.")
    top[1].selectbox("Document", screen.documents, index=None, placeholder="all documents", key="review_document",
                     on_change=parts.restart)
    top[2].progress(screen.decided / screen.total if screen.total else 0.0,
                    text=f"{screen.decided} of {screen.total} excerpts decided by {coder}")
    suggestion_panel(screen.has_suggestions)
    with keys_slot:
        parts.keyboard(screen, coder)
    llm_panel()
    item = screen.item
    if item is None:
        st.success("Nothing left to review in this order." if screen.total else "No excerpts in the project yet.")
        st.button("Undo", key="review_undo", on_click=parts.undo, args=(coder, screen.last_decision),
                  disabled=screen.last_decision is None)
        parts.show_key_outcomes()
        return
    st.session_state[parts.CURRENT] = st.query_params["excerpt"] = item.excerpt.id  # a reload comes back here
    text, decide = st.columns([5, 6], gap="large")
    with text:
        parts.show_context(item)
    with decide:
        decided = parts.decided(item)
        with st.container(horizontal=True):
            st.button("Next", key="review_next", type="primary", on_click=parts.move_on,
                      args=(item.excerpt.id, decided, False))
            st.button("Skip", key="review_skip", on_click=parts.move_on, args=(item.excerpt.id, decided, True))
            st.button(parts.none_label(item), key="review_none", on_click=parts.none_of_these, args=(coder, item),
                      disabled=bool(item.applied and not parts.pending(item)))
            st.button("Undo", key="review_undo", on_click=parts.undo, args=(coder, screen.last_decision),
                      disabled=screen.last_decision is None)
        st.caption("Keys: 1-9 accept that code · X none of these / nothing to code here · N next · S skip · U undo")
        if screen.threshold is not None:
            st.caption(f"Score: the model's estimate (0 to 1) that the code applies here, from the latest suggestion "
                       f"run; codes above {screen.threshold:.2f} are marked suggested.")
        parts.show_key_outcomes()
        if item.nothing_to_code:
            st.caption("✓ You marked this excerpt: nothing to code here.")
        for n, suggestion in enumerate(parts.rows(item), start=1):
            parts.show_row(n, suggestion, item, coder)
        with st.container(horizontal=True, vertical_alignment="bottom"):
            st.selectbox("Another code", [c for c, _ in screen.codes], format_func=dict(screen.codes).get,
                         index=None, placeholder="choose a code", key="review_other")
            st.button("Apply", key="review_apply", on_click=parts.apply_chosen, args=(coder, item.excerpt.id))

main()
