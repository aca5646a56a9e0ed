"""Analysis over more documents (and attribute values) than one chart shows: the By document and By attribute
tabs offer a chart page, and each page draws its own slice of documents or groups."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from coding.analysis.charts import MAX_CHART_COLUMNS, MAX_CHART_GROUPS
from coding.codebook import Code, Codebook
from coding.project_codebook import save_version
from coding.review import code_excerpt
from coding.store import documents as doc_store
from coding.store import open_project
from pipelines.ingest import ingest_paths
from tests.app.conftest import APP, VIEWS

N_DOCUMENTS = MAX_CHART_COLUMNS + 5


@pytest.fixture
def many_documents(tmp_path, monkeypatch) -> Iterator[Path]:
    folder = tmp_path / "transcripts"
    folder.mkdir()
    rows = ["document,enrollment,region"]
    for i in range(N_DOCUMENTS):
        (folder / f"D{i:03d}.txt").write_text(
            f"Interviewer: What changed?\n\nLeader {i}: The budget is tight this year.\n", encoding="utf-8")
        rows.append(f"D{i:03d},{1000 + i},{('North', 'South')[i % 2]}")
    (tmp_path / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    path = tmp_path / "many.duckdb"
    with open_project(path, create=True) as store:
        report = ingest_paths(store, [folder], metadata=tmp_path / "metadata.csv")
        assert not report.all_problems, report.all_problems
        save_version(store, Codebook(name="Small", codes=(Code(id="COST", name="Cost"),)))
        for i in range(N_DOCUMENTS):
            code_excerpt(store, "ana", doc_store.get_excerpts(store, f"D{i:03d}")[0].id, "COST")
        store.conn.execute("CHECKPOINT")
    monkeypatch.setenv("QCODE_DB", str(path))
    yield path
    from coding.ui import state

    state._open.clear()


def _chart_titles(at: AppTest) -> list[str]:
    titles = []
    for element in at.get("vega_lite_chart"):
        title = json.loads(element.proto.spec).get("title", "")
        titles.append(title if isinstance(title, str) else title.get("text", ""))
    return titles


def test_many_documents_and_groups_are_charted_one_page_at_a_time(many_documents):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["coder"] = "ana"
    at.run()
    at.switch_page(f"{VIEWS}/analysis.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert f"Codes by document (documents 1-{MAX_CHART_COLUMNS} of {N_DOCUMENTS})" in _chart_titles(at)
    assert f"Codes by enrollment (groups 1-{MAX_CHART_GROUPS} of {N_DOCUMENTS})" in _chart_titles(at)

    at.number_input(key="an_matrix_page").set_value(2).run()
    at.number_input(key="an_enrollment_page").set_value(3).run()
    assert not at.exception, [e.value for e in at.exception]
    titles = _chart_titles(at)
    assert f"Codes by document (documents {MAX_CHART_COLUMNS + 1}-{N_DOCUMENTS} of {N_DOCUMENTS})" in titles
    first = 2 * MAX_CHART_GROUPS + 1
    assert f"Codes by enrollment (groups {first}-{first + MAX_CHART_GROUPS - 1} of {N_DOCUMENTS})" in titles

