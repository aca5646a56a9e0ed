"""Transcripts: the transcript goes to the selection component as data; a selection (any span, across turns too) is
coded from the sidebar, a clicked coding is removed or adjusted, undo takes a decision back; filter by attribute.

The component's events are set the way the browser sends them (its value under its key); the browser suite drives
the component itself (tests/browser/test_span_coding.py)."""

from __future__ import annotations

import json

from coding.store import codings as coding_store
from coding.store import documents as doc_store
from tests.app.conftest import read_project

KEY = "tx_text_S01"


def _html(at) -> str:
    return "\n".join(h.proto.body for h in at.html)


def _component_args(at) -> dict:
    [component] = at.get("component_instance")
    return json.loads(component.proto.json_args)


def _turns(project):
    with read_project(project[0]) as store:
        return doc_store.get_turns(store, "S01"), doc_store.get_document(store, "S01").text


def _codings(project, coder="ana"):
    with read_project(project[0]) as store:
        return coding_store.current_codings(store, coder=coder)


def _word_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """The span moved onto whole non-space characters, so that trimming leaves it as it is."""
    while text[start].isspace():
        start += 1
    while text[end - 1].isspace():
        end -= 1
    return start, end


def _select(at, start: int, end: int, seq: int):
    at.session_state[KEY] = {"seq": seq, "kind": "select", "start": start, "end": end}
    return at.run()


def _click_coding(at, decision_id: int, seq: int):
    at.session_state[KEY] = {"seq": seq, "kind": "coding", "coding": decision_id}
    return at.run()


def _sidebar(at) -> str:
    return "\n".join(m.value for m in at.sidebar.markdown)


def test_a_selection_across_turns_is_coded_then_removed_from_the_panel(open_app, project):
    turns, text = _turns(project)
    start, end = _word_edges(text, turns[1].end - 20, turns[2].start + 15)  # the end of turn 2 into turn 3
    at = open_app("transcripts", coder="ana")
    assert at.selectbox(key="tx_document").value == "S01"
    assert [t["number"] for t in _component_args(at)["turns"]] == [t.number for t in turns]  # every turn
    _select(at, start, end, seq=1)
    assert f"turns 2-3 · characters {start}-{end}" in _sidebar(at)
    assert _component_args(at)["selected"] == [start, end]  # outlined in the text while it is being coded
    at.selectbox(key="tx_code").select("COST").run()
    at.button(key="tx_code_selection").click().run()
    [coding] = _codings(project)
    assert (coding.start, coding.end, coding.turn, coding.code, coding.text) == (start, end, 2, "COST",
                                                                                  text[start:end])
    shown = _component_args(at)
    assert shown["selected"] is None
    assert [(c["id"], c["start"], c["end"], c["code"], c["coder"]) for c in shown["codings"]
            if c["coder"] == "ana"] == [(coding.decision_id, start, end, "COST", "ana")]
    at.run()  # the same event again is not a new selection
    assert "Selection" not in _sidebar(at)

    _click_coding(at, coding.decision_id, seq=2)
    assert _component_args(at)["chosen"] == coding.decision_id
    at.button(key=f"tx_remove_{coding.decision_id}").click().run()
    assert _codings(project) == []
    assert not at.error


def test_adjusting_a_coding_is_one_step_that_undo_takes_back(open_app, project):
    turns, text = _turns(project)
    start, end = _word_edges(text, turns[3].start, turns[3].start + 40)
    at = open_app("transcripts", coder="ana")
    _select(at, start, end, seq=1)
    at.selectbox(key="tx_code").select("PRIVACY").run()
    at.button(key="tx_code_selection").click().run()
    [coding] = _codings(project)
    _click_coding(at, coding.decision_id, seq=2)
    at.number_input(key=f"tx_adjust_end_{coding.decision_id}").set_value(turns[4].end).run()
    at.button(key=f"tx_adjust_{coding.decision_id}").click().run()
    [moved] = _codings(project)
    assert (moved.start, moved.end, moved.turn) == (start, turns[4].end, 4)
    assert _component_args(at)["chosen"] == moved.decision_id  # the moved coding stays open
    at.button(key="tx_undo").click().run()
    [back] = _codings(project)
    assert (back.start, back.end) == (start, end)  # one undo took back the uncode and the code


def test_moving_a_coding_onto_a_new_selection(open_app, project):
    turns, _ = _turns(project)
    at = open_app("transcripts", coder="ana")
    _select(at, turns[3].start, turns[3].start + 30, seq=1)
    at.selectbox(key="tx_code").select("COST").run()
    at.button(key="tx_code_selection").click().run()
    [coding] = _codings(project)
    _click_coding(at, coding.decision_id, seq=2)
    _select(at, turns[0].start, turns[0].start + 12, seq=3)  # an interviewer turn
    at.button(key=f"tx_move_{coding.decision_id}").click().run()
    [moved] = _codings(project)
    assert (moved.start, moved.end, moved.turn) == (turns[0].start, turns[0].start + 12, 1)


def test_a_selection_of_no_speech_says_so_and_codes_nothing(open_app, project):
    turns, _ = _turns(project)
    at = open_app("transcripts", coder="ana")
    _select(at, turns[0].end + 1, turns[1].start - 1, seq=1)  # a blank line and a speaker label
    assert any("holds no transcript text" in e.value for e in at.error)
    assert "Selection" not in _sidebar(at)
    assert _codings(project) == []


def test_another_coders_coding_can_be_seen_but_not_changed(open_app, project):
    turns, _ = _turns(project)
    at = open_app("transcripts", coder="ana")
    _select(at, turns[1].start, turns[1].start + 25, seq=1)
    at.selectbox(key="tx_code").select("COST").run()
    at.button(key="tx_code_selection").click().run()
    [coding] = _codings(project)
    other = open_app("transcripts", coder="ben")
    _click_coding(other, coding.decision_id, seq=1)
    assert "only they can remove or adjust it" in "\n".join(c.value for c in other.sidebar.caption)
    assert not [b for b in other.sidebar.button if b.key.startswith("tx_remove_")]


def test_filtering_documents_by_an_attribute(open_app):
    at = open_app("transcripts")
    at.selectbox(key="tx_attribute").select("district_type").run()
    at.multiselect(key="tx_values").select("rural").run()
    assert at.selectbox(key="tx_document").options == ["S02", "S05", "S08"]


def test_transcript_text_goes_to_the_component_as_data_never_as_markup(open_app):
    at = open_app("transcripts")
    at.selectbox(key="tx_document").select("X01").run()
    turns = _component_args(at)["turns"]
    assert any("<script>window.qcodeHacked = true</script> **not bold**" in t["text"] for t in turns)
    assert "<script>" not in _html(at) and "<b>not bold either</b>" not in _html(at)
