"""Pieces of the Search page: the query controls, the hits in their context, "code all hits" and the callbacks.

Every hit of a text search is listed with a box, ticked by default (like a theme's bulk actions); "Code the ticked
hits" records one undoable batch for the ticked ones only. Boxes carry the search in their key, so a new search
starts with every box ticked again. The callbacks are safe to run twice: coding a hit again records nothing, and
undoing a batch that is already undone does nothing.
"""

from __future__ import annotations

import hashlib
import html
import re

import streamlit as st

from coding.errors import QcodeError
from coding.models import SpeakerRole
from coding.search import SearchFilters, SearchHit, SearchResults, code_hits, undo_hits_batch
from coding.search.screen import SearchChoices, embedded_excerpts, find_excerpt
from coding.search.text import CONTEXT_CHARS
from coding.ui import state
from coding.ui.components import highlighted_html, show_html, text_html
from coding.ui.runs import project_embedder
from coding.ui.text import md
from pipelines.search import search_like, search_text

MODES = {"words": "Words or phrase", "regex": "Regular expression", "semantic": "Passages like this"}
ROLES = {None: "any speaker", SpeakerRole.respondent: "respondents", SpeakerRole.interviewer: "interviewers"}
TEXT_PAGE = 50  # text hits listed at first and added by "Show more"
SEMANTIC_PAGE = 20
EXCERPT_ID = re.compile(r"^\S+:\d+:\d+$")  # S01:12:1, typed in semantic mode: passages like that excerpt
SEARCH_PAGE = "coding/ui/views/search.py"
OUTCOME = "search_outcome"


def controls(choices: SearchChoices, like: str | None) -> None:
    """Query box, mode, case and filters. With `like` (an excerpt id from the address) the query box gives way to
    that excerpt."""
    if like is None:
        top = st.columns([5, 3, 1.2], vertical_alignment="bottom")
        top[0].text_input("Search for", key="search_query", placeholder="words, a phrase, a pattern or a sentence",
                          help="Words and phrases ignore case and line breaks; a regular expression runs within each "
                               "turn; 'Passages like this' finds excerpts close in meaning to a sentence, or to an "
                               "excerpt when you type its id (S01:12:1).")
        top[1].radio("Mode", list(MODES), format_func=MODES.get, key="search_mode", horizontal=True)
        top[2].checkbox("Match case", key="search_case", disabled=mode() == "semantic")
    filters = st.columns([5, 2])
    options = [(name, value) for name, values in choices.attributes.items() for value in values]
    filters[0].multiselect("Only documents with", options, format_func=lambda o: f"{o[0]}: {o[1]}",
                           key="search_where", placeholder="any attribute value",
                           help="Values of one attribute: any of them; values of different attributes: all of them.")
    filters[1].selectbox("Speakers", list(ROLES), format_func=ROLES.get, key="search_role")


def mode() -> str:
    return st.session_state.get("search_mode", "words")


def search_filters() -> SearchFilters:
    where: dict[str, list[str]] = {}
    for name, value in st.session_state.get("search_where") or []:
        where.setdefault(name, []).append(value)
    return SearchFilters(where=where, role=st.session_state.get("search_role"))


def signature(*parts: object) -> str:
    """A short name for one search (its query, mode and filters): the key its boxes and its "Show more" live under."""
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:12]


def shown(sig: str, page: int) -> int:
    held = st.session_state.get("search_shown")
    return held[1] if held and held[0] == sig else page


def show_more(sig: str, page: int) -> None:
    st.session_state["search_shown"] = (sig, shown(sig, page) + page)


def like_panel(excerpt_id: str, from_address: bool) -> None:
    """The excerpt a semantic search compares with; from the address, with a way back to typing a query."""
    excerpt = state.query(find_excerpt, excerpt_id)
    with st.container(border=True):
        if excerpt is None:
            st.warning(md(f"There is no excerpt {excerpt_id} (ids look like S01:12:1)."), icon=":material/error:")
        else:
            st.caption(md(f"Passages like excerpt {excerpt.id} ({excerpt.document}, turn {excerpt.turn})"))
            show_html(f'<div style="font-size:.95em">{text_html(excerpt.text)}</div>')
        if from_address:
            st.button("Search by typing instead", key="search_like_clear", icon=":material/close:",
                      on_click=_clear_like)


def _clear_like() -> None:
    st.query_params.pop("like", None)


def run_text_search(sig: str) -> SearchResults | None:
    query = st.session_state.get("search_query") or ""
    if not query.strip():
        st.caption("Type words or a phrase and press Enter.")
        return None
    try:
        return state.query(search_text, query, mode() == "regex", bool(st.session_state.get("search_case")),
                           search_filters(), shown(sig, TEXT_PAGE))
    except QcodeError as error:
        st.error(md(error), icon=":material/error:")
        return None


def run_semantic_search(sig: str, sentence: str | None, excerpt_id: str | None) -> SearchResults | None:
    if not (sentence or "").strip() and excerpt_id is None:
        st.caption("Type a sentence (or an excerpt id such as S01:12:1) and press Enter: the excerpts closest in "
                   "meaning come first.")
        return None
    embedder = project_embedder()
    excerpts, embedded = state.query(embedded_excerpts, embedder.model_id)
    if not embedded:
        st.info(md(f"No excerpt has a vector from {embedder.model_id} yet, so nothing can be compared in meaning. "
                   "Make them with 'qcode embed' in a terminal (then search again), or compute suggestions on the "
                   "Review page or find themes on the Themes page: both embed every excerpt."),
                icon=":material/info:")
        return None
    if embedded < excerpts:
        st.caption(md(f"{excerpts - embedded} of {excerpts} excerpts have no vector yet and are left out: "
                      "'qcode embed' adds them."))
    try:
        return state.query(search_like, embedder, sentence=None if excerpt_id else sentence, excerpt_id=excerpt_id,
                           filters=search_filters(), limit=shown(sig, SEMANTIC_PAGE))
    except QcodeError as error:
        st.error(md(error), icon=":material/error:")
        return None


def hit_key(sig: str, hit: SearchHit) -> str:
    return f"search_hit_{sig}_{hit.document}_{hit.start}_{hit.end}"


def ticked(sig: str, hits: list[SearchHit]) -> list[SearchHit]:
    """The hits whose box is ticked (every box starts ticked)."""
    return [h for h in hits if st.session_state.get(hit_key(sig, h), True)]


def summary(results: SearchResults) -> None:
    if results.mode == "semantic":
        like = f"excerpt {results.query}" if EXCERPT_ID.match(results.query) else f"“{results.query}”"
        st.markdown(md(f"{_count(len(results.hits), 'excerpt')} most like {like} ({results.model_id})"))
        return
    more = f", showing the first {len(results.hits)}" if results.total > len(results.hits) else ""
    st.markdown(md(f"{_count(results.total, 'hit')} for “{results.query}”{more}"))


def code_all_panel(sig: str, results: SearchResults, codes: list[tuple[str, str]], coder: str | None) -> None:
    """The code picker and the button that codes the ticked hits, with what the last coding did."""
    outcome = st.session_state.get(OUTCOME)
    if outcome:
        _show_outcome(outcome, coder)
    if not results.hits:
        return
    if not coder:
        st.caption("Choose your coder name in the sidebar to code these hits.")
        return
    chosen = ticked(sig, results.hits)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox("Code the ticked hits with", [c for c, _ in codes], format_func=dict(codes).get, index=None,
                     placeholder="choose a code", key="search_code")
        st.button(f"Code {_count(len(chosen), 'ticked hit')}", key="search_code_hits", type="primary",
                  on_click=_code_ticked, args=(sig, results.hits, results.query, coder), disabled=not chosen,
                  help="One decision batch: one Undo takes it all back. Hits you already coded with the code are "
                       "left as they are.")
    if results.total > len(results.hits):
        st.caption(md(f"Only the {len(results.hits)} hits listed are coded; 'Show more' at the bottom lists the "
                      f"other {results.total - len(results.hits)}."))
    else:
        st.caption("Untick a hit below to leave it out.")


def _code_ticked(sig: str, hits: list[SearchHit], query: str, coder: str) -> None:
    code = st.session_state.get("search_code")
    if not code:
        state.flash("error", "Choose the code to apply first.")
        return
    chosen = ticked(sig, hits)
    if not chosen:
        state.flash("error", "Tick at least one hit to code.")
        return
    done = state.act(code_hits, chosen, code, coder, note=f"search: {query}")
    if done is not None:
        st.session_state[OUTCOME] = {"coder": coder, "code": code, "batch": done.batch, "coded": done.coded,
                                     "already": done.already, "query": query, "undone": None}


def _show_outcome(outcome: dict, coder: str | None) -> None:
    already = f"; {_count(outcome['already'], 'hit')} already had it" if outcome["already"] else ""
    if outcome["undone"] is not None:
        st.info(md(f"Undone: {_count(outcome['undone'], 'coding')} of {outcome['code']} from the search "
                   f"“{outcome['query']}”."), icon=":material/undo:")
        return
    if outcome["batch"] is None:
        st.info(md(f"Nothing new to code with {outcome['code']}{already}."), icon=":material/info:")
        return
    with st.container(horizontal=True, vertical_alignment="center"):
        st.success(md(f"Coded {_count(outcome['coded'], 'hit')} with {outcome['code']} for {outcome['coder']}"
                      f"{already}. One step takes it back: Undo here, Undo on the Review page, or "
                      f"'qcode undo --coder {outcome['coder']}'."), icon=":material/check:")
        st.button("Undo", key="search_undo", icon=":material/undo:", on_click=_undo, args=(outcome,),
                  disabled=coder != outcome["coder"])


def _undo(outcome: dict) -> None:
    undone = state.act(undo_hits_batch, outcome["coder"], outcome["batch"])
    if undone is not None:
        st.session_state[OUTCOME] = {**outcome, "undone": undone}


def show_hits(sig: str, results: SearchResults, with_boxes: bool) -> None:
    for hit in results.hits:
        heading = (f"{hit.document} · turn {hit.turn} · {hit.speaker} ({hit.role.value})"
                   + (f" · similarity {hit.score:.3f}" if hit.score is not None else ""))
        with st.container(border=True):
            if with_boxes:
                st.checkbox(md(heading), value=True, key=hit_key(sig, hit))
            else:
                show_html(f'<span style="color:#374151;font-size:.9em"><b>{html.escape(heading)}</b></span>')
            show_html(context_html(hit))
            if hit.excerpt_id and results.mode == "semantic":
                like_link(hit.excerpt_id)


def context_html(hit: SearchHit) -> str:
    """The hit marked inside its context within the turn, every part escaped."""
    before = ("…" if len(hit.before) == CONTEXT_CHARS else "") + hit.before  # cut short: the turn goes on
    after = hit.after + ("…" if len(hit.after) == CONTEXT_CHARS else "")
    return highlighted_html(before + hit.text + after, len(before), len(before) + len(hit.text))


def like_link(excerpt_id: str) -> None:
    """A link to the Search page listing the passages most like this excerpt (used on Review too)."""
    st.page_link(SEARCH_PAGE, label="Find passages like this", icon=":material/manage_search:",
                 query_params={"like": excerpt_id}, help=f"Excerpts closest in meaning to {excerpt_id}")


def more_button(sig: str, results: SearchResults, page: int) -> None:
    left = results.total - len(results.hits)
    if results.mode == "semantic":
        if len(results.hits) >= shown(sig, page):
            st.button(f"Show {page} more", key="search_more", on_click=show_more, args=(sig, page))
    elif left > 0:
        st.button(f"Show {min(page, left)} more", key="search_more", on_click=show_more, args=(sig, page))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
