"""Pieces of the Codebook view: the code tree, the edit, move, merge and add forms, and their callbacks.

Each callback calls one library edit; a `CodebookError` shows its text (no traceback). The edit widgets' keys carry
a form number that changes whenever a code is chosen or an edit is saved: a browser keeps a widget's value under its
key, so reusing keys would show (and save) the previous code's values over the chosen one.
"""

from __future__ import annotations

import streamlit as st
import streamlit.components.v1 as components

from coding.codebook import Code, Codebook
from coding.project_codebook.editing import (add_code_to_project, load_codebook_into_project, move_code_in_project,
                                     undo_codebook_edit, update_code_in_project)
from coding.errors import QcodeError
from coding.project_codebook import delete_code_in_project
from coding.ui import state
from coding.ui.code_page_parts import code_link
from coding.ui.components import DEFAULT_COLOR, label_html, show_html, text_html

SELECTED = "cb_selected"
TOP = "(top level)"
LISTS = ("include", "exclude", "examples", "counterexamples")
_FORM = "cb_form"  # the number in the edit widgets' keys
_SCROLL = "cb_scroll"  # a code was just chosen: bring its form into view
_SHOWN_VERSION = "cb_shown_version"  # the codebook version the edit widgets were drawn for
_EDIT_FIELDS = ("name", "definition", "color", *LISTS, "parent", "merge_target")


def edit_key(field: str) -> str:
    """The session key of an edit widget of the form on screen, e.g. `cb_definition_3`."""
    return f"cb_{field}_{st.session_state.get(_FORM, 0)}"


def show_tree(codebook: Codebook, counts: dict[str, int]) -> None:
    selected = st.session_state.get(SELECTED)
    for code in codebook.depth_first():
        name, quotes, pick = st.columns([12, 1, 1], vertical_alignment="center")
        background = "background:#eef2ff;border-radius:.3em;" if code.id == selected else ""
        definition = code.definition if len(code.definition) <= 160 else code.definition[:157] + "..."
        own = counts.get(code.id, 0)
        below = sum(counts.get(d.id, 0) for d in codebook.descendants(code.id))
        tally = f"{own} codings" if codebook.is_leaf(code.id) else (
            f"{own + below} codings with its children" + (f" ({own} on {code.id} itself, still applicable)"
                                                           if own else ""))
        with name:
            show_html(f'<div style="margin-left:{1.4 * codebook.depth(code.id)}em;{background}">'
                      f'{label_html(code.id, code.color)} {text_html(code.name)} '
                      f'<span style="color:#6b7280;font-size:.85em">· {text_html(tally)}</span>'
                      f'<div style="color:#6b7280;font-size:.8em;line-height:1.35">{text_html(definition)}</div>'
                      f"</div>")
        with quotes:
            code_link(code.id, help=f"Every quote of {code.id} ({own} codings)")
        pick.button("", key=f"cb_pick_{code.id}", icon=":material/edit:", type="tertiary", help=f"Edit {code.id}",
                    on_click=select, args=(code.id,))


def select(code_id: str | None) -> None:
    """Show `code_id` in the edit form with its saved values (fresh widgets, none of the last form's input)."""
    st.session_state[SELECTED] = code_id
    for field in _EDIT_FIELDS:  # the last form's widgets are gone for good
        st.session_state.pop(edit_key(field), None)
    st.session_state[_FORM] = st.session_state.get(_FORM, 0) + 1
    st.session_state[_SCROLL] = code_id is not None


def follow_version(version: int) -> None:
    """A new codebook version since the form was drawn (saved here, or loaded by `qcode codebook load`): fresh edit
    widgets, so that they show its saved values instead of the old ones the browser keeps under their keys."""
    shown = st.session_state.get(_SHOWN_VERSION)
    st.session_state[_SHOWN_VERSION] = version
    if shown is not None and shown != version:
        scroll = st.session_state.get(_SCROLL, False)
        select(st.session_state.get(SELECTED))
        st.session_state[_SCROLL] = scroll


def edit_form(code: Code) -> None:
    with st.form("cb_edit_form"):
        st.text_input("Name", value=code.name, key=edit_key("name"))
        st.text_area("Definition", value=code.definition, key=edit_key("definition"))
        for field in LISTS:
            st.text_area(f"{field.title()} (one per line)", value="\n".join(getattr(code, field)), key=edit_key(field))
        st.color_picker("Colour", value=code.color or DEFAULT_COLOR, key=edit_key("color"))
        st.form_submit_button("Save code", key="cb_save", type="primary", on_click=_save, args=(code,))


def scroll_to_form() -> None:
    """After a code is chosen in a long tree, bring its edit form into view (once, not on every rerun)."""
    if not st.session_state.pop(_SCROLL, False):
        return
    components.html(
        "<script>(function find(tries) {"
        " const form = window.parent.document.querySelector('[class*=\"st-key-cb_name_\"]');"
        " if (form) form.scrollIntoView({behavior: 'smooth', block: 'start'});"
        " else if (tries > 0) setTimeout(() => find(tries - 1), 100); })(30);</script>", height=0)


def _save(code: Code) -> None:
    get = st.session_state.get
    color = get(edit_key("color"))
    changes = {"name": get(edit_key("name"), code.name), "definition": get(edit_key("definition"), code.definition),
               "color": None if code.color is None and color == DEFAULT_COLOR else color,
               **{field: _lines(get(edit_key(field), "\n".join(getattr(code, field)))) for field in LISTS}}
    if state.act(update_code_in_project, state.coder(), code.id, **changes) is not None:
        _done(f"Saved {code.id}", code.id)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def structure_controls(code: Code, codebook: Codebook) -> None:
    others = [c.id for c in codebook.depth_first() if c.id != code.id]
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox("Move under", [TOP, *others], index=([TOP, *others].index(code.parent) if code.parent else 0),
                     key=edit_key("parent"))
        st.button("Move", key="cb_move", on_click=_move, args=(code.id,))
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.selectbox("Merge into", others, index=None, placeholder="choose a code", key=edit_key("merge_target"))
        st.button("Merge", key="cb_merge", on_click=_merge, args=(code.id,))
        st.button("Delete", key="cb_delete", on_click=_delete, args=(code.id,),
                  help="A code that holds codings must be merged into another instead.")


def _move(code_id: str) -> None:
    parent = st.session_state.get(edit_key("parent"))
    if state.act(move_code_in_project, state.coder(), code_id, None if parent == TOP else parent) is not None:
        _done(f"Moved {code_id} under {parent}", code_id)


def _merge(code_id: str) -> None:
    target = st.session_state.get(edit_key("merge_target"))
    if not target:
        state.flash("error", "Choose the code to merge into first.")
    elif state.act(delete_code_in_project, code_id, target, state.coder() or "researcher") is not None:
        _done(f"Merged {code_id} into {target}; its codings now carry {target}", target)


def _delete(code_id: str) -> None:
    if state.act(delete_code_in_project, code_id, None, state.coder() or "researcher") is not None:
        _done(f"Deleted {code_id}", None)


def add_form(codebook: Codebook) -> None:
    with st.form("cb_add_form", clear_on_submit=False):
        st.text_input("Name", key="cb_new_name")
        st.text_input("Id (optional, made from the name)", key="cb_new_id")
        st.selectbox("Parent", [TOP, *codebook.ids()], key="cb_new_parent")
        st.text_area("Definition", key="cb_new_definition")
        st.form_submit_button("Add code", key="cb_add", on_click=_add)


def _add() -> None:
    get = st.session_state.get
    parent = get("cb_new_parent")
    added = state.act(add_code_to_project, state.coder(), get("cb_new_name", ""), get("cb_new_id", ""),
                      None if parent == TOP else parent, get("cb_new_definition", ""))
    if added is not None:
        for key in ("cb_new_name", "cb_new_id", "cb_new_definition"):
            st.session_state.pop(key, None)
        _done(f"Added {added}", added)


def load_form(default: str) -> None:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.text_input("Codebook file (.yaml or .qdc)", value=default, key="cb_load_path")
        st.button("Load codebook", key="cb_load", type="primary", on_click=_load)


def _load() -> None:
    version = state.act(load_codebook_into_project, state.coder(), st.session_state.get("cb_load_path", ""))
    if version is not None:
        _done(f"Codebook loaded as project version {version}", None)


def undo_button(undoable: dict | None) -> None:
    """Take back the latest codebook edit still in force (it names what it takes back)."""
    what = f"version {undoable['version']}: {undoable['note'] or 'no note'}" if undoable else "nothing to undo"
    st.button("Undo last codebook edit", key="cb_undo", icon=":material/undo:", disabled=undoable is None,
              help=f"Takes back {what}", on_click=_undo, args=(undoable["version"] if undoable else None,))


def _undo(offered: int | None) -> None:
    """Undo the edit the page offered (version `offered`), and nothing when a first click already took it back."""
    try:
        version = state.query(undo_codebook_edit, state.coder(), expected=offered)
    except QcodeError as error:
        state.flash("error", str(error))
        return
    if version is None:
        state.flash("info", "That codebook edit was already undone; press Undo again to take back the one before it.")
        return
    _done(f"Undid the last codebook edit (now project version {version})", st.session_state.get(SELECTED))


def _done(message: str, selected: str | None) -> None:
    select(selected)
    state.flash("success", message)
