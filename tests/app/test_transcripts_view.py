"""Transcripts: read a transcript turn by turn, code and uncode excerpts, filter documents by attribute."""

from __future__ import annotations

from coding.store import codings as coding_store
from tests.app.conftest import read_project


def _html(at) -> str:
    return "\n".join(h.proto.body for h in at.html)


def test_coding_and_uncoding_an_excerpt_from_the_transcript(open_app, project):
    at = open_app("transcripts", coder="ana")
    assert at.selectbox(key="tx_document").value == "S01"
    assert "Celeste Abernathy" in _html(at)
    at.button(key="tx_pick_S01:4:1").click().run()
    at.selectbox(key="tx_code").select("COST").run()
    at.button(key="tx_apply").click().run()
    with read_project(project[0]) as store:
        codings = coding_store.current_codings(store, coder="ana")
    assert [(c.excerpt_id, c.code) for c in codings] == [("S01:4:1", "COST")]
    assert "Cost and sustainability" in _html(at)  # the label is drawn on the excerpt
    at.button(key="tx_uncode_COST").click().run()
    with read_project(project[0]) as store:
        assert coding_store.current_codings(store, coder="ana") == []


def test_filtering_documents_by_an_attribute(open_app):
    at = open_app("transcripts")
    at.selectbox(key="tx_attribute").select("district_type").run()
    at.multiselect(key="tx_values").select("rural").run()
    assert at.selectbox(key="tx_document").options == ["S02", "S05", "S08"]


def test_transcript_text_is_shown_escaped_and_never_as_markup(open_app):
    at = open_app("transcripts")
    at.selectbox(key="tx_document").select("X01").run()
    shown = _html(at)
    assert "&lt;script&gt;window.qcodeHacked = true&lt;/script&gt;" in shown
    assert "<script>" not in shown and "<b>not bold either</b>" not in shown
    assert "**not bold**" in shown
