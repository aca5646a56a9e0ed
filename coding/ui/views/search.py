"""Search: words, phrases or a regular expression in every transcript, or passages like a sentence or an excerpt;
hits in their context, filtered by attribute values and speaker role; code the ticked hits in one undoable batch.

`?like=EXCERPT_ID` in the address (Review's "Find passages like this") searches for passages like that excerpt.
"""

import streamlit as st

from coding.search.screen import search_choices
from coding.ui import search_parts as parts
from coding.ui import state


def main() -> None:
    st.title("Search")
    choices = state.query(search_choices)
    like = st.query_params.get("like") or None
    parts.controls(choices, like)
    filters = parts.search_filters()
    where = sorted((name, tuple(values)) for name, values in filters.where.items())
    query = (st.session_state.get("search_query") or "").strip()
    if like is not None or parts.mode() == "semantic":
        excerpt_id = like or (query if parts.EXCERPT_ID.match(query) else None)
        if excerpt_id is not None:
            parts.like_panel(excerpt_id, from_address=like is not None)
        sig = parts.signature("semantic", excerpt_id or query, where, filters.role)
        results, page = parts.run_semantic_search(sig, query, excerpt_id), parts.SEMANTIC_PAGE
    else:
        sig = parts.signature(parts.mode(), query, bool(st.session_state.get("search_case")), where, filters.role)
        results, page = parts.run_text_search(sig), parts.TEXT_PAGE
    if results is None:
        return
    coder, text_mode = state.coder(), results.mode == "text"
    parts.summary(results)
    if text_mode:
        parts.code_all_panel(sig, results, choices.codes, coder)
    parts.show_hits(sig, results, with_boxes=text_mode and bool(coder))
    parts.more_button(sig, results, page)


main()
