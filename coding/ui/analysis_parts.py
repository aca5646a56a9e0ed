"""Tabs of the Analysis view, each drawing one table of `coding.analysis` with its Altair chart and a CSV download."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from coding.analysis import (
    agreement_table,
    agreement_view,
    by_attribute_table,
    code_document_matrix,
    code_frequencies,
    cooccurrence,
    cooccurrence_matrix,
    disagreements_frame,
    frequencies_by_attribute,
)
from coding.analysis import charts
from coding.analysis.frequencies import coded_documents, not_coded_documents
from coding.analysis.data import AnalysisData
from coding.errors import QcodeError
from coding.export.tabular import csv_bytes
from coding.ui.code_page_parts import code_link
from coding.ui.text import md


def _table(frame: pd.DataFrame, name: str) -> None:
    st.dataframe(frame, hide_index=True)
    st.download_button("Download CSV", csv_bytes(frame), file_name=f"{name}.csv",
                       mime="text/csv", key=f"an_{name}_csv", on_click="ignore")


def _chart(chart, name: str) -> None:
    """The chart, with SVG and PNG downloads for papers."""
    st.altair_chart(chart)
    left, right = st.columns(2)
    for column, fmt, mime in ((left, "svg", "image/svg+xml"), (right, "png", "image/png")):
        try:
            image = charts.chart_image(chart, fmt)
        except QcodeError as error:
            column.caption(md(str(error)))
            continue
        column.download_button(f"Download {fmt.upper()}", image, file_name=f"{name}.{fmt}", mime=mime,
                               key=f"an_{name}_{fmt}", on_click="ignore")


def coverage(data: AnalysisData) -> None:
    """Which documents the percentages speak about: those coded at all; the others are named as not yet coded."""
    coded, missing = coded_documents(data), not_coded_documents(data)
    text = f"Percentages count the {len(coded)} of {len(data.documents)} documents coded so far"
    if missing:
        text += f"; not yet coded (left out, not counted as absent): {', '.join(missing)}"
    st.caption(md(text + "."))


def _page(n_items: int, per_page: int, noun: str, key: str) -> int:
    """Which page of a chart to draw (0-based) when it has more documents or groups than fit one chart."""
    pages = charts.page_count(n_items, per_page)
    if pages == 1:
        return 0
    chosen = st.number_input(f"Chart page ({n_items} {noun}, {per_page} per page)", min_value=1, max_value=pages,
                             value=1, step=1, key=key)
    return int(chosen) - 1


def frequencies(data: AnalysisData) -> None:
    table = code_frequencies(data)
    measure = st.radio("Count", ["documents", "turns", "excerpts"], horizontal=True, key="an_measure")
    _chart(charts.frequency_chart(table, measure), "code-frequencies-chart")
    quote_links(data)
    _table(table, "code-frequencies")


def quote_links(data: AnalysisData) -> None:
    """Each coded code's bar as a link to its quotes (the Quotes page), in the chart's code order."""
    coded = {c.code for c in data.codings}
    with st.expander("Every quote of a code"), st.container(horizontal=True):
        for code in data.code_order():
            if code in coded and code in data.codebook:
                code_link(code, label=code)


def by_attribute(data: AnalysisData) -> None:
    names = data.attribute_names()
    if not names:
        st.caption("The documents have no attributes (ingest with a metadata.csv).")
        return
    attribute = st.selectbox("Attribute", names, key="an_attribute")
    long = frequencies_by_attribute(data, attribute)
    page = _page(long["value"].nunique(), charts.MAX_CHART_GROUPS, "groups", f"an_{attribute}_page")
    _chart(charts.by_attribute_chart(long, attribute, page), f"by-{attribute}-chart")
    _table(by_attribute_table(long), f"codes-by-{attribute}")


def cooccurring(data: AnalysisData) -> None:
    long = cooccurrence(data)
    if long.empty:
        st.caption("No two codes share an excerpt yet.")
        return
    measure = st.radio("Show", ["both", "jaccard"], horizontal=True, key="an_cooccurrence_measure",
                       format_func={"both": "counts", "jaccard": "Jaccard overlap"}.get)
    st.caption("Counts: excerpts that carry both codes." if measure == "both" else
               "Jaccard overlap: excerpts carrying both codes divided by excerpts carrying either (0 to 1).")
    _chart(charts.cooccurrence_heatmap(long), "cooccurrence-chart")
    # The row labels are the index: keep them as the first column, or the table reads as a grid of bare numbers.
    _table(cooccurrence_matrix(long, measure).reset_index(), f"co-occurrence-{measure}")


def by_document(data: AnalysisData) -> None:
    matrix = code_document_matrix(data)
    page = _page(len(matrix.columns) - 2, charts.MAX_CHART_COLUMNS, "documents", "an_matrix_page")
    _chart(charts.matrix_heatmap(matrix, page=page), "matrix-chart")
    _table(matrix, "codes-by-document")


def shown(tab: Callable[..., None], *args: object) -> None:
    """Draw a tab; a `QcodeError` (e.g. coders with no document in common) is explained, not a traceback."""
    try:
        tab(*args)
    except QcodeError as error:
        st.info(md(error))


def agreement(data: AnalysisData, chosen: list[str]) -> None:
    coders = chosen if len(chosen) >= 2 else data.coders if len(data.coders) == 2 else []
    if not coders:
        st.caption("Choose two or more coders above who coded the same documents.")
        return
    view = agreement_view(data, coders)
    table = agreement_table(view)
    st.caption(md(f"{view.n_units} {view.unit}s in {len(view.documents)} documents coded by {', '.join(view.coders)}"))
    _chart(charts.agreement_chart(table), "agreement-chart")
    _table(table, "agreement")
    st.subheader("Disagreements")
    _table(disagreements_frame(view), "disagreements")
