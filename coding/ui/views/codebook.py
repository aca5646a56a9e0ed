"""Codebook: the code tree with definitions, rules, examples and counts. Add, edit, move, merge and delete codes;
each change is validated, saved as a new codebook version and written back to the project's YAML file."""

import streamlit as st

from coding.project_codebook.editing import codebook_with_counts, undoable_codebook_edit
from coding.errors import CodebookError
from coding.ui import codebook_parts as parts
from coding.ui import state
from coding.ui.components import label_html, show_html, text_html
from coding.ui.text import md

DEFAULT_FILE = "codebooks/district-leaders-ai.yaml"


def main() -> None:
    st.title("Codebook")
    try:
        version, codebook, counts, yaml_file = state.query(codebook_with_counts)
    except CodebookError as error:
        st.info(md(error))
        parts.load_form(DEFAULT_FILE)
        return
    parts.follow_version(version)
    st.caption(f"{md(codebook.name)} · project version {version} · {len(codebook.codes)} codes · "
               + (f"edits are written to {md(yaml_file)}" if yaml_file else "no YAML file: edits stay in the project"))
    tree, detail = st.columns([1, 1], gap="large")
    with tree:
        parts.undo_button(state.query(undoable_codebook_edit))
        parts.show_tree(codebook, counts)
        with st.expander("Add a code"):
            parts.add_form(codebook)
        with st.expander("Load another codebook file"):
            parts.load_form(yaml_file or DEFAULT_FILE)
    code = codebook.get(st.session_state.get(parts.SELECTED) or "")
    with detail:
        if code is None:
            st.caption("Choose a code in the tree to see and edit it.")
            return
        show_html(f"{label_html(code.id, code.color)} <b>{text_html(code.name)}</b> · {counts.get(code.id, 0)} "
                  f"codings · {text_html(codebook.path(code.id))}")
        parts.edit_form(code)
        parts.scroll_to_form()
        parts.structure_controls(code, codebook)


main()
