"""Bug 7 of issue 15: frequencies count only the documents the chosen coders have coded at all; documents nobody
has coded yet are reported as not yet coded, in the library, the CLI, the methods report and the app."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from coding.analysis import load_analysis
from coding.analysis.frequencies import (code_frequencies, frequencies_by_attribute, frequency_sentence,
                                         not_coded_documents)
from coding.cli.main import app as cli
from coding.review import code_excerpt
from coding.store import documents as doc_store
from tests.app.conftest import read_project

def _group_sizes(data) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for attributes in data.attributes.values():
        value = attributes.get("district_type")
        sizes[value] = sizes.get(value, 0) + 1
    return sizes


def _code_three_documents(path, coder="ana"):
    """PRIVACY in S01 and S02, COST in S04: codings only in S01, S02 and S04 (as in the issue)."""
    with read_project(path) as store:
        for document, code in (("S01", "PRIVACY"), ("S02", "PRIVACY"), ("S04", "COST")):
            code_excerpt(store, coder, doc_store.get_excerpts(store, document)[0].id, code)


def test_by_attribute_denominators_are_the_coded_documents_of_each_group(project):
    _code_three_documents(project[0])
    with read_project(project[0]) as store:
        data = load_analysis(store)
    size = _group_sizes(data)
    long = frequencies_by_attribute(data, "district_type").set_index(["code", "value"])
    assert long.loc[("PRIVACY", "suburban"), ["n", "total", "not_coded", "label"]].tolist() == [
        1, 2, size["suburban"] - 2, f"1 of 2 (50%); {size['suburban'] - 2} not yet coded"]
    assert long.loc[("PRIVACY", "rural"), ["n", "total", "label"]].tolist() == [
        1, 1, f"1 of 1 (100%); {size['rural'] - 1} not yet coded"]
    # No urban document is coded: that says nothing about urban leaders, so it is not "0 of 3 (0%)".
    assert long.loc[("PRIVACY", "urban"), ["n", "total", "label"]].tolist() == [
        0, 0, f"not yet coded ({size['urban']} documents)"]
    assert "1 of 2 suburban cases (50%) vs no urban cases coded yet" in frequency_sentence(
        frequencies_by_attribute(data, "district_type"), "COST")
    table = code_frequencies(data).set_index("code")
    assert table.loc["PRIVACY", ["documents", "documents_total", "documents_pct", "documents_not_coded"]].tolist() == [
        2, 3, 66.7, len(data.documents) - 3]
    assert "S03" in not_coded_documents(data) and "S01" not in not_coded_documents(data)


def test_the_coder_filter_decides_which_documents_are_coded(project):
    _code_three_documents(project[0], coder="ana")
    with read_project(project[0]) as store:
        code_excerpt(store, "ben", doc_store.get_excerpts(store, "S03")[0].id, "PRIVACY")
        ben = load_analysis(store, coders=["ben"])
    size = _group_sizes(ben)
    long = frequencies_by_attribute(ben, "district_type").set_index(["code", "value"])
    assert long.loc[("PRIVACY", "urban"), "label"] == f"1 of 1 (100%); {size['urban'] - 1} not yet coded"
    assert long.loc[("PRIVACY", "suburban"), "label"] == f"not yet coded ({size['suburban']} documents)"


def test_qcode_report_frequencies_prints_coded_denominators(project):
    _code_three_documents(project[0])
    printed = CliRunner().invoke(cli, ["report", "frequencies", "--by", "district_type", "--db", str(project[0])])
    assert printed.exit_code == 0, printed.output
    assert "0 of 3" not in printed.output and "not yet" in printed.output
    result = CliRunner().invoke(cli, ["report", "frequencies", "--by", "district_type", "--json", "--db",
                                      str(project[0])])
    labels = {(r["code"], r["value"]): r["label"] for r in json.loads(result.output)}
    assert labels[("PRIVACY", "urban")] == "not yet coded (3 documents)"  # S03, S06, S09
    assert labels[("PRIVACY", "suburban")].startswith("1 of 2 (50%)")


def test_the_methods_report_and_the_analysis_view_name_the_documents_not_yet_coded(project, open_app, tmp_path):
    _code_three_documents(project[0])
    out = tmp_path / "report.md"
    result = CliRunner().invoke(cli, ["export", "--format", "md", str(out), "--db", str(project[0])])
    assert result.exit_code == 0, result.output
    report = out.read_text(encoding="utf-8")
    by_type = report[report.index("### Documents by district_type"):]
    assert "not yet coded (3 documents)" in by_type  # the urban column, where "0 of 3 (0%)" stood
    at = open_app("analysis")
    caption = " ".join(c.value for c in at.caption)
    assert "3 of " in caption and "not yet coded" in caption and "S03" in caption
