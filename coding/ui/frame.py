"""What every page has around it: the project (or why it cannot open), the coder in the sidebar, messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from coding.errors import QcodeError
from coding.ui import state
from coding.ui.components import coder_sidebar
from coding.ui.text import md


@contextmanager
def page_frame() -> Iterator[None]:
    try:
        store = state.project()
    except QcodeError as error:
        st.error(f"Cannot open the project: {md(error)}", icon=":material/error:")
        st.caption("Start the app with `qcode app --db PROJECT.duckdb`, or create a project with `qcode init` and "
                   "`qcode ingest FOLDER` first.")
        st.stop()
    coder_sidebar()
    st.sidebar.caption(f"Project: `{store.path}`")
    messages = st.container()
    yield
    # Only after a complete run: a rerun or stop keeps the messages for the run that follows.
    with messages:
        state.show_flashes()
