"""Altair chart builders for the analysis tables, and their downloads.

Each builder takes the DataFrame the matching analysis function returns and gives back an `alt.Chart`; the app
shows it with `st.altair_chart` and offers `chart_html` / `chart_spec` as downloads (plus the table as CSV).
Static images (SVG, PNG) need the optional `vl-convert-python` package; `chart_image` says so when it is missing.
The heatmaps carry a point selection named "cell" over (code_a, code_b) or (code, column), so an app using
`on_select="rerun"` learns which cell was clicked and can call `cooccurrence_units` / `cell_units`.

Charts stay drawable however large the study: an axis order is given as a number column to sort by, never as a
list of values (Vega-Lite turns a list into one nested expression per value, which overflows the JavaScript stack
at about a thousand documents), and the codes-by-document heatmap and the by-attribute bars show one page of
documents or groups at a time (`MAX_CHART_COLUMNS`, `MAX_CHART_GROUPS`), saying which page in the title.
"""

from __future__ import annotations

import json
from typing import Literal

import altair as alt
import pandas as pd

from coding.errors import Problem, QcodeError

CELL_SELECTION = "cell"
MAX_CHART_COLUMNS = 60  # documents (or coders) per codes-by-document heatmap page
MAX_CHART_GROUPS = 12  # attribute values per by-attribute chart page


def _sorted_by(frame: pd.DataFrame, column: str, order: list) -> alt.EncodingSortField:
    """Sort an axis by `order` through a rank column added to `frame` (see the module note on value lists)."""
    rank = {value: index for index, value in enumerate(dict.fromkeys(order))}
    field = f"{column}_rank"
    frame[field] = [rank.get(value, len(rank)) for value in frame[column]]
    return alt.EncodingSortField(field=field, op="min")


def _name_axis() -> alt.Axis:
    """An axis of code names written in full: Vega-Lite cuts labels at 180 pixels (about 18 characters), which makes
    codes that share a long prefix unreadable and indistinguishable."""
    return alt.Axis(labelLimit=0)


def _count_axis(title: str) -> alt.Axis:
    """An axis of counts: whole-number ticks only (no "0.5 documents")."""
    return alt.Axis(title=title, tickMinStep=1, format="d")


def _count_legend() -> alt.Legend:
    return alt.Legend(tickMinStep=1, format="d")


COUNT_MEASURES = ("documents", "turns", "excerpts")


def page_count(n_items: int, per_page: int) -> int:
    """How many pages `n_items` columns or groups need (at least one)."""
    return max(1, -(-n_items // per_page))


def _page(items: list, page: int, per_page: int, noun: str) -> tuple[list, str]:
    """The items on page `page` (0-based, clamped) and a note such as " (documents 61-120 of 2000)"."""
    if len(items) <= per_page:
        return items, ""
    page = min(max(page, 0), page_count(len(items), per_page) - 1)
    shown = items[page * per_page:(page + 1) * per_page]
    first = page * per_page + 1
    return shown, f" ({noun} {first}-{first + len(shown) - 1} of {len(items)})"


def frequency_chart(frequencies: pd.DataFrame, measure: str = "documents", title: str | None = None) -> alt.Chart:
    """Horizontal bars of one count column of `code_frequencies` (codebook order, indented by depth)."""
    data = frequencies.assign(label=[("  " * d) + n for d, n in zip(frequencies["depth"], frequencies["name"])])
    order = _sorted_by(data, "label", list(data["label"]))
    return (
        alt.Chart(data, title=title or f"Codes by {measure}")
        .mark_bar()
        .encode(
            x=alt.X(f"{measure}:Q",
                    axis=_count_axis(measure) if measure in COUNT_MEASURES else alt.Axis(title=measure)),
            y=alt.Y("label:N", sort=order, title=None, axis=_name_axis()),
            tooltip=["code:N", "name:N", "path:N", "excerpts:Q", "turns:Q", "documents:Q", "documents_pct:Q"],
        )
    )


def by_attribute_chart(long: pd.DataFrame, attribute: str = "value", page: int = 0) -> alt.Chart:
    """Grouped bars: percentage of each group's units carrying each code (from `frequencies_by_attribute`);
    with more than `MAX_CHART_GROUPS` attribute values, the groups of page `page` (0-based)."""
    groups, note = _page(list(dict.fromkeys(long["value"])), page, MAX_CHART_GROUPS, "groups")
    data = long[long["value"].isin(groups)].copy()
    order = _sorted_by(data, "name", list(long["name"]))
    group_order = _sorted_by(data, "value", groups)
    return (
        alt.Chart(data, title=f"Codes by {attribute}{note}")
        .mark_bar()
        .encode(
            y=alt.Y("name:N", sort=order, title=None, axis=_name_axis()),
            x=alt.X("pct:Q", title="% of units in the group"),
            yOffset=alt.YOffset("value:N", sort=group_order),
            color=alt.Color("value:N", title=attribute, sort=group_order),
            tooltip=["code:N", "name:N", "value:N", "label:N"],
        )
    )


def cooccurrence_heatmap(long: pd.DataFrame, measure: Literal["both", "jaccard"] = "jaccard") -> alt.Chart:
    """Heatmap of `cooccurrence` (counts or Jaccard) with the numbers written in the cells."""
    data = long.copy()
    codes = list(dict.fromkeys(long["code_a"]))
    cell = alt.selection_point(name=CELL_SELECTION, fields=["code_a", "code_b"])
    base = alt.Chart(data, title=f"Code co-occurrence ({measure})").encode(
        x=alt.X("code_b:N", sort=_sorted_by(data, "code_b", codes), title=None, axis=_name_axis()),
        y=alt.Y("code_a:N", sort=_sorted_by(data, "code_a", codes), title=None, axis=_name_axis()),
    )
    rect = base.mark_rect().encode(
        color=alt.Color(f"{measure}:Q", scale=alt.Scale(scheme="blues"),
                        legend=_count_legend() if measure == "both" else alt.Legend()),
        opacity=alt.condition(cell, alt.value(1.0), alt.value(0.6)),
        tooltip=["name_a:N", "name_b:N", "both:Q", "units_a:Q", "units_b:Q", "jaccard:Q"],
    ).add_params(cell)
    number_format = ".2f" if measure == "jaccard" else "d"
    text = base.mark_text(fontSize=10).encode(text=alt.Text(f"{measure}:Q", format=number_format))
    return rect + text


def matrix_heatmap(matrix: pd.DataFrame, title: str = "Codes by document", page: int = 0,
                   noun: str = "documents") -> alt.Chart:
    """Heatmap of a `code_document_matrix` or `codes_by_coder` table (columns after "code", "name"); with more
    than `MAX_CHART_COLUMNS` columns, those of page `page` (0-based)."""
    every = [c for c in matrix.columns if c not in ("code", "name")]
    columns, note = _page(every, page, MAX_CHART_COLUMNS, noun)
    long = matrix.melt(id_vars=["code", "name"], value_vars=columns, var_name="column", value_name="units")
    cell = alt.selection_point(name=CELL_SELECTION, fields=["code", "column"])
    return (
        alt.Chart(long, title=title + note)
        .mark_rect()
        .encode(
            x=alt.X("column:N", sort=_sorted_by(long, "column", columns), title=None),
            y=alt.Y("name:N", sort=_sorted_by(long, "name", list(matrix["name"])), title=None, axis=_name_axis()),
            color=alt.Color("units:Q", scale=alt.Scale(scheme="greens"), legend=_count_legend()),
            tooltip=["code:N", "name:N", "column:N", "units:Q"],
        )
        .add_params(cell)
    )


def agreement_chart(table: pd.DataFrame) -> alt.Chart:
    """Alpha per code with its bootstrap interval, and kappa, from `agreement_table`."""
    data = table.copy()
    base = alt.Chart(data, title="Agreement by code").encode(
        y=alt.Y("name:N", sort=_sorted_by(data, "name", list(table["name"])), title=None, axis=_name_axis()))
    interval = base.mark_rule().encode(x=alt.X("alpha_low:Q", title="Krippendorff's alpha"), x2="alpha_high:Q")
    alpha = base.mark_point(filled=True, size=60).encode(
        x="alpha:Q", tooltip=["code:N", "name:N", "alpha:Q", "alpha_low:Q", "alpha_high:Q", "kappa:Q", "support:Q"])
    kappa = base.mark_tick(color="gray").encode(x="kappa:Q")
    return interval + alpha + kappa


def chart_spec(chart: alt.TopLevelMixin) -> str:
    """The Vega-Lite JSON of a chart (data included), for a download or for embedding."""
    return json.dumps(chart.to_dict(), indent=2, default=str)


def chart_html(chart: alt.TopLevelMixin) -> str:
    """A standalone HTML page showing the chart (loads Vega from a CDN when opened)."""
    return chart.to_html()


def chart_image(chart: alt.TopLevelMixin, fmt: Literal["svg", "png"] = "svg") -> bytes:
    """SVG or PNG bytes. Needs the optional package vl-convert-python."""
    try:
        import vl_convert  # noqa: F401
    except ImportError:
        raise QcodeError(Problem(
            f"saving charts as {fmt.upper()} needs the optional package vl-convert-python",
            hint="install it (pip install vl-convert-python), or download the chart as HTML or JSON instead")) from None
    import io

    buffer = io.StringIO() if fmt == "svg" else io.BytesIO()
    try:
        chart.save(buffer, format=fmt)
    except ValueError as error:  # vl-convert's own failure, e.g. a chart too large for its JavaScript engine
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise QcodeError(Problem(f"the chart could not be saved as {fmt.upper()} ({first_line})",
                                 hint="download the chart as HTML or JSON instead, or filter the data")) from None
    value = buffer.getvalue()
    return value.encode("utf-8") if isinstance(value, str) else value
