"""Charts over a study of 2,000 documents (and a codebook of 1,500 codes) still save as SVG: axis orders are rank
columns, not value lists, and the by-document and by-attribute charts show one page of documents or groups."""

from __future__ import annotations

from datetime import datetime

import altair as alt
import pandas as pd
import pytest

from coding.analysis import code_document_matrix, code_frequencies, cooccurrence, frequencies_by_attribute
from coding.analysis.charts import (
    MAX_CHART_COLUMNS,
    MAX_CHART_GROUPS,
    by_attribute_chart,
    chart_image,
    cooccurrence_heatmap,
    frequency_chart,
    matrix_heatmap,
    page_count,
)
from coding.analysis.data import AnalysisData
from coding.codebook import Code, Codebook
from coding.errors import QcodeError
from coding.models import Coding, CodingSource, Excerpt, SpeakerRole, Turn
from tests.analysis.test_charts import axis_order

pytest.importorskip("vl_convert")

N_DOCUMENTS = 2000
CODES = ("ACCESS", "COST", "TIME", "TRAINING")
QUESTION = "What changed?"
ANSWER = "The budget is tight and training takes time."


def _study(n_documents: int, codes: tuple[str, ...] = CODES) -> AnalysisData:
    """`n_documents` one-answer interviews; document i carries codes i % k and (i + 1) % k; every document has
    its own enrolment figure and one of three regions."""
    answer_start = len(f"Interviewer: {QUESTION}\n\nLeader: ")
    attributes, turns, excerpts, codings = {}, [], [], []
    for i in range(n_documents):
        name = f"D{i:04d}"
        attributes[name] = {"enrollment": 100 + i, "region": ("North", "South", "West")[i % 3]}
        turns += [Turn(document=name, number=1, speaker="Interviewer", role=SpeakerRole.interviewer, start=13,
                       end=13 + len(QUESTION), text=QUESTION),
                  Turn(document=name, number=2, speaker="Leader", role=SpeakerRole.respondent, start=answer_start,
                       end=answer_start + len(ANSWER), text=ANSWER)]
        excerpt = Excerpt(id=f"{name}:2:1", document=name, turn=2, index=1, start=answer_start,
                          end=answer_start + len(ANSWER), text=ANSWER)
        excerpts.append(excerpt)
        for code in {codes[i % len(codes)], codes[(i + 1) % len(codes)]}:
            codings.append(Coding(decision_id=len(codings) + 1, coder="ana", document=name, start=excerpt.start,
                                  end=excerpt.end, turn=2, excerpt_id=excerpt.id, code=code,
                                  source=CodingSource.human, created_at=datetime(2026, 1, 1), text=ANSWER))
    codebook = Codebook(name="Large study", codes=tuple(Code(id=c, name=c.title()) for c in codes))
    return AnalysisData(codebook=codebook, codebook_version=1, attributes=attributes, turns=turns,
                        excerpts=excerpts, codings=codings, coders=["ana"])


@pytest.fixture(scope="module")
def large() -> AnalysisData:
    return _study(N_DOCUMENTS)


def test_codes_by_document_over_2000_documents_saves_as_svg_one_page_at_a_time(large):
    matrix = code_document_matrix(large)
    assert len(matrix.columns) - 2 == N_DOCUMENTS
    pages = page_count(N_DOCUMENTS, MAX_CHART_COLUMNS)
    assert pages == -(-N_DOCUMENTS // MAX_CHART_COLUMNS)
    for page, first, last in ((0, 1, MAX_CHART_COLUMNS), (pages - 1, (pages - 1) * MAX_CHART_COLUMNS + 1,
                                                          N_DOCUMENTS)):
        chart = matrix_heatmap(matrix, page=page)
        spec = chart.to_dict()
        shown = axis_order(spec, "x")
        assert shown == [f"D{i:04d}" for i in range(first - 1, last)]
        assert spec["title"] == f"Codes by document (documents {first}-{last} of {N_DOCUMENTS})"
        svg = chart_image(chart, "svg")
        assert svg.startswith(b"<svg") and f"D{last - 1:04d}".encode() in svg
        assert f"D{last:04d}".encode() not in svg  # the next page's first document is not drawn


def test_a_page_past_the_end_shows_the_last_page_and_a_small_matrix_is_not_paged(large, study):
    from coding.analysis import load_analysis

    matrix = code_document_matrix(large)
    assert matrix_heatmap(matrix, page=10_000).to_dict()["title"].endswith(f"of {N_DOCUMENTS})")
    small = matrix_heatmap(code_document_matrix(load_analysis(study))).to_dict()
    assert small["title"] == "Codes by document"
    assert axis_order(small, "x") == ["R1", "R2", "R3", "U1", "U2"]


def test_by_attribute_with_a_value_per_document_pages_its_groups(large):
    long = frequencies_by_attribute(large, "enrollment")
    assert long["value"].nunique() == N_DOCUMENTS
    chart = by_attribute_chart(long, "enrollment", page=1)
    spec = chart.to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    groups = list(dict.fromkeys(long["value"]))[MAX_CHART_GROUPS:2 * MAX_CHART_GROUPS]
    assert {row["value"] for row in rows} == set(groups)
    assert spec["title"] == (f"Codes by enrollment (groups {MAX_CHART_GROUPS + 1}-{2 * MAX_CHART_GROUPS} "
                             f"of {N_DOCUMENTS})")
    assert chart_image(chart, "svg").startswith(b"<svg")
    few = by_attribute_chart(frequencies_by_attribute(large, "region"), "region").to_dict()
    assert few["title"] == "Codes by region"


def test_frequency_and_cooccurrence_charts_of_a_large_codebook_save_as_svg(large):
    codes = tuple(f"C{i:04d}" for i in range(1500))
    data = _study(300, codes)
    table = code_frequencies(data)
    chart = frequency_chart(table, "documents")
    assert axis_order(chart.to_dict(), "y")[:3] == ["C0000", "C0001", "C0002"]
    assert chart_image(chart, "svg").startswith(b"<svg")
    heatmap = cooccurrence_heatmap(cooccurrence(large))
    assert chart_image(heatmap, "svg").startswith(b"<svg")


def test_a_chart_vl_convert_cannot_draw_is_a_clean_error():
    """A hand-made chart that sorts by a list of 3,000 values is what overflowed before: the failure is one line."""
    values = [f"D{i:04d}" for i in range(3000)]
    chart = alt.Chart(pd.DataFrame({"column": values, "units": 1})).mark_rect().encode(
        x=alt.X("column:N", sort=values), color="units:Q")
    with pytest.raises(QcodeError, match="could not be saved as SVG") as raised:
        chart_image(chart, "svg")
    assert "\n" not in str(raised.value.problems[0])
