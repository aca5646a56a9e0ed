"""Memo panels: the memos on one object (project, document, code, coding or theme) with add, edit, delete and undo.

Every change goes through `coding.memos.actions` by `state.act`, so a library error is one message on the page.
Edit widgets carry the memo's id and last change time in their keys: a browser keeps a widget's value under its key,
so a form reopened after an edit or an undo shows the memo as saved, not what was typed before.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

import streamlit as st

from coding.errors import QcodeError
from coding.memos.actions import add_memo, delete_memo, edit_memo, last_memo_step, memos, undo_memo_step
from coding.memos.model import Memo, MemoAction, MemoTarget, TargetKind
from coding.ui import state
from coding.ui.text import md

_IMAGE = re.compile(r"!\[")


def panel_key(target: MemoTarget) -> str:
    """A widget-key stem unique to the target (refs such as document names may hold any character)."""
    digest = hashlib.sha1(target.label().encode("utf-8")).hexdigest()[:10]
    return f"memo_{target.kind.value}_{digest}"


def memo_markdown(text: str) -> str:
    """Memo text for `st.markdown`: Streamlit escapes raw HTML already; an image would make the browser fetch its
    address (the app makes no outside request), so `![alt](url)` is shown as a link instead."""
    return _IMAGE.sub(r"\\![", text)


def memo_caption(memo: Memo) -> str:
    text = f"by {memo.author} · written {memo.created_at:%Y-%m-%d %H:%M}"
    if memo.updated_at != memo.created_at:
        text += f" · edited {memo.updated_at:%Y-%m-%d %H:%M} by {memo.updated_by}"
    return md(text)


def memo_panel(target: MemoTarget, memo_list: list[Memo] | None = None) -> None:
    """The memos on `target`, newest first, each editable and deletable, with a form to add one and an undo.
    `memo_list` saves a query when the caller already holds the target's memos."""
    key = panel_key(target)
    shown = state.query(memos, target) if memo_list is None else memo_list
    coder = state.coder()
    if not coder:
        st.info("Choose your coder name in the sidebar to add, edit or delete memos: each is saved under it.",
                icon=":material/person:")
    if not shown:
        st.caption("No memos yet.")
    for memo in sorted(shown, key=lambda m: m.created_at, reverse=True):
        _show_memo(memo, coder)
    if not coder:
        return
    with st.form(f"{key}_add", clear_on_submit=False, border=True):
        st.text_input("Memo title", key=f"{key}_title")
        st.text_area("Memo text (Markdown)", key=f"{key}_text")
        st.form_submit_button("Add memo", key=f"{key}_add_button", on_click=_add, args=(target, key))
    st.button("Undo last memo change", key=f"{key}_undo", icon=":material/undo:", on_click=_undo,
              args=(state.query(last_memo_step, coder),),
              help=f"Takes back the latest memo add, edit or delete by {coder}, on any object")


def _show_memo(memo: Memo, coder: str | None) -> None:
    with st.container(border=True, key=f"memo_card_{memo.id}"):
        st.markdown(f"**{md(memo.title)}**")
        st.caption(memo_caption(memo))
        if st.session_state.get(f"memo_editing_{memo.id}") and coder:
            _edit_form(memo)
            return
        st.markdown(memo_markdown(memo.text))
        if not coder:
            return
        if st.session_state.get(f"memo_confirm_{memo.id}"):
            st.warning(f"Delete the memo “{md(memo.title)}”? Undo brings it back.")
            with st.container(horizontal=True):
                st.button("Yes, delete", key=f"memo_delete_yes_{memo.id}", type="primary", on_click=_delete,
                          args=(memo,))
                st.button("Cancel", key=f"memo_delete_no_{memo.id}", on_click=_set,
                          args=(f"memo_confirm_{memo.id}", False))
            return
        with st.container(horizontal=True):
            st.button("Edit", key=f"memo_edit_{memo.id}", icon=":material/edit:", type="tertiary", on_click=_set,
                      args=(f"memo_editing_{memo.id}", True))
            st.button("Delete", key=f"memo_delete_{memo.id}", icon=":material/delete:", type="tertiary",
                      on_click=_set, args=(f"memo_confirm_{memo.id}", True))


def _edit_key(memo: Memo, field: str) -> str:
    return f"memo_{field}_{memo.id}_{memo.updated_at:%Y%m%d%H%M%S%f}"


def _edit_form(memo: Memo) -> None:
    with st.form(f"memo_edit_form_{memo.id}", border=False):
        st.text_input("Memo title", value=memo.title, key=_edit_key(memo, "title"))
        st.text_area("Memo text (Markdown)", value=memo.text, key=_edit_key(memo, "text"))
        with st.container(horizontal=True):
            st.form_submit_button("Save memo", key=f"memo_save_{memo.id}", type="primary", on_click=_save,
                                  args=(memo,))
            st.form_submit_button("Cancel", key=f"memo_cancel_{memo.id}", on_click=_set,
                                  args=(f"memo_editing_{memo.id}", False))


def _set(key: str, value: bool) -> None:
    st.session_state[key] = value


# Streamlit may replay a click that arrives while a run is busy, and drop the session writes of an interrupted
# callback (see ARCHITECTURE.md), so a callback can run twice with the same input: an add is not repeated when the
# coder's newest memo on the target, written moments ago, already says the same.
REPEAT_SECONDS = 10


def _just_added(target: MemoTarget, title: str, text: str, coder: str) -> bool:
    own = [m for m in state.query(memos, target) if m.author == coder]
    newest = max(own, key=lambda m: m.id, default=None)
    return (newest is not None and (newest.title, newest.text) == (title.strip(), text)
            and (datetime.now() - newest.created_at).total_seconds() <= REPEAT_SECONDS)


def _add(target: MemoTarget, key: str) -> None:
    title = st.session_state.get(f"{key}_title", "")
    text = st.session_state.get(f"{key}_text", "")
    coder = state.coder() or ""
    if coder and title.strip() and _just_added(target, title, text, coder):
        return
    added = state.act(add_memo, target, title, text, coder)
    if added is not None:
        st.session_state[f"{key}_title"] = ""
        st.session_state[f"{key}_text"] = ""
        state.flash("success", f"Added memo {added.id} “{added.title}”")


def _save(memo: Memo) -> None:
    title = st.session_state.get(_edit_key(memo, "title"), memo.title)
    text = st.session_state.get(_edit_key(memo, "text"), memo.text)
    # Resubmitting a save that already went through (a replayed click) changes nothing: do not log an empty edit.
    current = next((m for m in state.query(memos, memo.target) if m.id == memo.id), None)
    if current is not None and (current.title, current.text) == (title.strip(), text):
        st.session_state[f"memo_editing_{memo.id}"] = False
        return
    saved = state.act(edit_memo, memo.id, state.coder() or "", title=title, text=text)
    if saved is not None:
        st.session_state[f"memo_editing_{memo.id}"] = False
        state.flash("success", f"Saved memo {saved.id} “{saved.title}”")


def _delete(memo: Memo) -> None:
    st.session_state[f"memo_confirm_{memo.id}"] = False
    if not any(m.id == memo.id for m in state.query(memos, memo.target)):
        return  # a repeated click: already deleted
    if state.act(delete_memo, memo.id, state.coder() or "") is not None:
        state.flash("success", f"Deleted memo {memo.id} “{memo.title}” (Undo last memo change brings it back)")


_UNDONE = {MemoAction.add: "adding", MemoAction.edit: "editing", MemoAction.delete: "deleting"}


def _undo(offered: int | None) -> None:
    """Undo the step the page offered (`offered`, the latest when it was drawn), and nothing when a first click of a
    double click already took it back."""
    coder = state.coder()
    if not coder:
        state.flash("error", "Choose your coder name in the sidebar first.")
        return
    if offered is None:
        state.flash("info", f"{coder} has no memo change to undo.")
        return
    try:
        undone = state.query(undo_memo_step, coder, expected=offered)
    except QcodeError as error:
        state.flash("error", str(error))
        return
    if undone is None:
        state.flash("info", "That memo change was already undone; press Undo again to take back the one before it.")
        return
    state.flash("success", f"Undid {_UNDONE.get(undone.action, undone.action.value)} memo {undone.memo_id}"
                + (f" “{undone.title}”" if undone.title else ""))


def document_memos(document: str) -> None:
    """The memos on a transcript, under the transcript."""
    with st.expander("Memos on this document", icon=":material/sticky_note_2:"):
        memo_panel(MemoTarget(kind=TargetKind.document, ref=document))


KIND_NAMES = {TargetKind.project: "the project", TargetKind.document: "a document", TargetKind.code: "a code",
              TargetKind.coding: "a coding", TargetKind.theme: "a theme"}


def memo_rows(all_memos: list[Memo], kinds: list[TargetKind], authors: list[str]) -> list[dict[str, object]]:
    """The memos chosen by kind and author (none chosen: all), newest change first, as table rows."""
    chosen = [m for m in all_memos if (not kinds or m.target.kind in kinds) and (not authors or m.author in authors)]
    return [{"memo": m.id, "on": m.target.label(), "title": m.title, "author": m.author,
             "written": m.created_at, "edited": m.updated_at, "edited by": m.updated_by, "text": m.text}
            for m in sorted(chosen, key=lambda m: m.updated_at, reverse=True)]
