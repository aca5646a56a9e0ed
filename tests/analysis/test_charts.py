"""Altair chart builders: the right marks, fields and cell selection, and downloads as HTML/JSON."""

from __future__ import annotations

import json
import re
import sys

import pytest

from coding.analysis import (
    agreement_table,
    agreement_view,
    code_document_matrix,
    code_frequencies,
    cooccurrence,
    frequencies_by_attribute,
    load_analysis,
)
from coding.analysis.charts import (
    CELL_SELECTION,
    agreement_chart,
    by_attribute_chart,
    chart_html,
    chart_image,
    chart_spec,
    cooccurrence_heatmap,
    frequency_chart,
    matrix_heatmap,
)
from coding.errors import QcodeError


def axis_order(spec: dict, channel: str) -> list:
    """The values of an axis in drawing order, from the rank column the chart sorts by."""
    encoding = spec["encoding"][channel]
    rows = spec["datasets"][spec["data"]["name"]]
    ranks = {row[encoding["field"]]: row[encoding["sort"]["field"]] for row in rows}
    return sorted(ranks, key=ranks.__getitem__)


def test_frequency_chart_plots_the_chosen_count_in_codebook_order(study):
    spec = frequency_chart(code_frequencies(load_analysis(study)), "turns").to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "turns"
    assert axis_order(spec, "y")[:2] == ["Concerns", "  Equity and access"]


def test_by_attribute_chart_colours_the_groups(study):
    long = frequencies_by_attribute(load_analysis(study), "district_type")
    spec = by_attribute_chart(long, "district_type").to_dict()
    assert spec["encoding"]["color"]["field"] == "value"
    assert spec["encoding"]["x"]["field"] == "pct"


def test_cooccurrence_heatmap_has_a_clickable_cell_selection(study):
    spec = cooccurrence_heatmap(cooccurrence(load_analysis(study)), "jaccard").to_dict()
    assert spec["layer"][0]["mark"]["type"] == "rect"
    selection = next(p for p in spec["params"] if p["name"] == CELL_SELECTION)
    assert selection["select"]["fields"] == ["code_a", "code_b"]


def test_matrix_and_agreement_charts_build(study):
    data = load_analysis(study)
    matrix = matrix_heatmap(code_document_matrix(data)).to_dict()
    assert axis_order(matrix, "x") == ["R1", "R2", "R3", "U1", "U2"]
    agreement = agreement_chart(agreement_table(agreement_view(data, n_boot=100))).to_dict()
    assert [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
            for layer in agreement["layer"]] == ["rule", "point", "tick"]


def test_charts_download_as_html_and_vega_lite_json(study):
    chart = frequency_chart(code_frequencies(load_analysis(study)))
    assert "vega" in chart_html(chart).lower()
    spec = json.loads(chart_spec(chart))
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


def test_images_without_vl_convert_say_which_package_to_install(study, monkeypatch):
    monkeypatch.setitem(sys.modules, "vl_convert", None)  # as if the package were not installed
    chart = frequency_chart(code_frequencies(load_analysis(study)))
    with pytest.raises(QcodeError, match="vl-convert-python"):
        chart_image(chart, "svg")


def test_every_chart_saves_as_svg_and_png_for_a_paper(study):
    data = load_analysis(study)
    table = code_frequencies(data)
    long = frequencies_by_attribute(data, "district_type")
    for chart in (frequency_chart(table, "documents"), by_attribute_chart(long, "district_type"),
                  cooccurrence_heatmap(cooccurrence(data)), matrix_heatmap(code_document_matrix(data))):
        svg = chart_image(chart, "svg")
        png = chart_image(chart, "png")
        assert svg.startswith(b"<svg") and b"</svg>" in svg
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000


LONG_NAME = "Professional development for teachers using generative tools"


def _encodings(spec: dict) -> list[dict]:
    return [spec["encoding"]] if "encoding" in spec else [layer.get("encoding", {}) for layer in spec["layer"]] + [
        spec.get("encoding", {})]


def test_code_name_axes_are_never_cut_and_count_axes_tick_whole_numbers(study):
    data = load_analysis(study)
    table = code_frequencies(data)
    long = frequencies_by_attribute(data, "district_type")
    name_axes = {
        "frequency": (frequency_chart(table, "documents"), ["y"]),
        "by attribute": (by_attribute_chart(long, "district_type"), ["y"]),
        "co-occurrence": (cooccurrence_heatmap(cooccurrence(data), "both"), ["x", "y"]),
        "matrix": (matrix_heatmap(code_document_matrix(data)), ["y"]),
        "agreement": (agreement_chart(agreement_table(agreement_view(data, n_boot=50))), ["y"]),
    }
    for what, (chart, channels) in name_axes.items():
        spec = chart.to_dict()
        for channel in channels:
            axes = [e[channel]["axis"] for e in _encodings(spec) if channel in e and "axis" in e[channel]]
            assert axes and all(axis["labelLimit"] == 0 for axis in axes), (what, channel)
    for measure in ("documents", "turns", "excerpts"):
        axis = frequency_chart(table, measure).to_dict()["encoding"]["x"]["axis"]
        assert (axis["tickMinStep"], axis["format"], axis["title"]) == (1, "d", measure)
    matrix_legend = matrix_heatmap(code_document_matrix(data)).to_dict()["encoding"]["color"]["legend"]
    both_legend = cooccurrence_heatmap(cooccurrence(data), "both").to_dict()["layer"][0]["encoding"]["color"]["legend"]
    assert matrix_legend["format"] == both_legend["format"] == "d"
    assert matrix_legend["tickMinStep"] == both_legend["tickMinStep"] == 1
    jaccard = cooccurrence_heatmap(cooccurrence(data), "jaccard").to_dict()["layer"][0]["encoding"]["color"]
    assert jaccard.get("legend", {}).get("format") != "d"  # a share between 0 and 1 keeps its decimals


def test_a_long_code_name_is_drawn_in_full_and_counts_without_fractions(study):
    table = code_frequencies(load_analysis(study))
    table.loc[table.index[0], "name"] = LONG_NAME
    table["documents"] = [1, 2, 1, 0][: len(table)] + [1] * max(0, len(table) - 4)  # a small count: ticks of 0.5
    svg = chart_image(frequency_chart(table, "documents"), "svg").decode()
    labels = re.findall(r">([^<>]*)</text>", svg)
    assert LONG_NAME in labels
    ticks = [label for label in labels if re.fullmatch(r"[0-9.]+", label)]
    assert ticks and all(tick.isdigit() for tick in ticks), ticks
