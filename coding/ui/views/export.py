"""Export: coded excerpts (CSV, XLSX), a quote bank (DOCX), a methods report (Markdown, HTML) and REFI-QDA files
for NVivo, ATLAS.ti and MAXQDA (.qdpx project, .qdc codebook), filtered by coder and source, optionally
pseudonymised."""

from importlib.util import find_spec

import streamlit as st

from coding.store.codings import coders as project_coders
from coding.store.version import data_version
from coding.ui import state

FORMATS = {"csv": "Coded excerpts (CSV)", "xlsx": "Coded excerpts and codebook (Excel)", "docx": "Quote bank (Word)",
           "md": "Methods report (Markdown)", "html": "Methods report (HTML)",
           "qdpx": "REFI-QDA project for NVivo, ATLAS.ti, MAXQDA (.qdpx)", "qdc": "REFI-QDA codebook (.qdc)"}
SOURCES = ["human", "accepted-suggestion", "imported", "theme"]
READY = "ex_file"
READY_VERSION = "ex_file_version"  # the project's data version the file was made from


def main() -> None:
    st.title("Export")
    if find_spec("coding.export.formats") is None:
        st.info("This qcode cannot export yet.")
        return
    from coding.export.citation import CITATION_PRESETS, DEFAULT_CITATION
    from coding.export.formats import MEDIA_TYPES

    fmt = st.radio("What", list(FORMATS), format_func=FORMATS.get, key="ex_format", on_change=_forget)
    left, right = st.columns(2)
    left.multiselect("Coders", state.query(project_coders), key="ex_coders", placeholder="all coders",
                     on_change=_forget)
    left.multiselect("Sources", SOURCES, key="ex_sources", placeholder="all sources", on_change=_forget)
    right.checkbox("Pseudonymise names", key="ex_pseudonymise", on_change=_forget,
                   help="Names from pseudonyms.csv beside the project (name,pseudonym rows); speakers otherwise "
                        "become Respondent 1..n.")
    right.selectbox("Quote attribution (Word)", list(CITATION_PRESETS), key="ex_citation",
                    index=list(CITATION_PRESETS).index(DEFAULT_CITATION), on_change=_forget)
    st.button("Prepare the file", key="ex_prepare", type="primary", on_click=_prepare, args=(fmt,))
    ready = st.session_state.get(READY)
    if ready and st.session_state.get(READY_VERSION) != state.query(data_version):
        _forget()  # the app or a qcode command has changed the project since: the file no longer matches it
        st.caption("The project has changed since the file was prepared: prepare it again.")
    elif ready and ready[0] == fmt:
        name = f"{state.project().path.stem}.{fmt}"
        st.download_button(f"Download {name} ({len(ready[1]):,} bytes)", ready[1], file_name=name,
                           mime=MEDIA_TYPES[fmt], key="ex_download", icon=":material/download:", on_click="ignore")


def _prepare(fmt: str) -> None:
    from coding.export.formats import ExportOptions, export_bytes

    get = st.session_state.get
    options = ExportOptions(coders=tuple(get("ex_coders") or ()) or None, sources=tuple(get("ex_sources") or ()) or None,
                            pseudonymise=bool(get("ex_pseudonymise")), citation=get("ex_citation"))
    version = state.query(data_version)
    data = state.act(export_bytes, fmt, options)
    if data is not None:
        st.session_state[READY] = (fmt, data)
        st.session_state[READY_VERSION] = version


def _forget() -> None:
    st.session_state.pop(READY, None)
    st.session_state.pop(READY_VERSION, None)


main()
