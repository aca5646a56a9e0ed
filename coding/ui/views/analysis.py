"""Analysis: code frequencies, codes by document attribute, co-occurrence, codes by document and agreement between
coders, each as a chart with its table (downloadable). Without the analysis package: the counts by code."""

from importlib.util import find_spec

import streamlit as st

from coding.project_codebook.editing import codebook_with_counts
from coding.errors import QcodeError
from coding.store.codings import coders as project_coders
from coding.ui import state
from coding.ui.text import md


def main() -> None:
    st.title("Analysis")
    if find_spec("coding.analysis") is None:
        counts_by_code()
        return
    from coding.analysis import load_analysis
    from coding.ui import analysis_parts as parts

    known = state.query(project_coders)
    chosen = st.multiselect("Coders", known, key="an_coders", placeholder="all coders")
    try:
        data = state.query(load_analysis, chosen or None)
    except QcodeError as error:
        st.info(md(error))
        return
    if not data.codings:
        st.info("No codings yet: code excerpts in Review or Transcripts, or import codings.")
        return
    parts.coverage(data)
    tabs = st.tabs(["Frequencies", "By attribute", "Co-occurrence", "By document", "Agreement"])
    for tab, draw in zip(tabs, (parts.frequencies, parts.by_attribute, parts.cooccurring, parts.by_document)):
        with tab:
            parts.shown(draw, data)
    with tabs[4]:
        parts.shown(parts.agreement, data, chosen)


def counts_by_code() -> None:
    _, codebook, counts, _ = state.query(codebook_with_counts)
    st.dataframe([{"code": c.id, "name": c.name, "codings": counts.get(c.id, 0)} for c in codebook.depth_first()],
                 hide_index=True)


main()
