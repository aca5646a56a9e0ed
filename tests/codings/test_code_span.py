"""Coding any span of a transcript: checked ranges, one coding across turns, interviewer turns, undo, adjust."""

from __future__ import annotations

import pytest

from coding.codings.spans import adjust_span, code_span, uncode_span
from coding.errors import QcodeError
from coding.review import code_excerpt
from coding.store import codings as coding_store
from coding.store import documents as doc_store


def _text(store) -> str:
    return doc_store.get_document(store, "T1").text


def _span_of(store, phrase: str) -> tuple[int, int]:
    start = _text(store).index(phrase)
    return start, start + len(phrase)


def _codings(store):
    return [(c.coder, c.start, c.end, c.turn, c.excerpt_id, c.code, c.text)
            for c in coding_store.current_codings(store)]


def test_a_span_across_turns_is_one_coding_in_the_first_turn(coded_project):
    store = coded_project
    start = _text(store).index("licenses worry me")
    end = _text(store).index("What about students?") + len("What about students?")
    decision = code_span(store, "ana", "T1", start, end, "COST")
    assert decision is not None
    [coding] = coding_store.current_codings(store)
    assert (coding.start, coding.end, coding.turn, coding.excerpt_id) == (start, end, 2, None)
    assert coding.text == "licenses worry me.\n\nInterviewer: What about students?"
    assert len(coding_store.all_decisions(store)) == 1


def test_an_interviewer_turn_can_be_coded(coded_project):
    store = coded_project
    start, end = _span_of(store, "showing up in your district")
    code_span(store, "ana", "T1", start, end, "PILOTS")
    assert _codings(store) == [("ana", start, end, 1, None, "PILOTS", "showing up in your district")]


def test_surrounding_spaces_and_speaker_labels_are_trimmed_off(coded_project):
    store = coded_project
    text = _text(store)
    # From the blank line before "Interviewer:" to the space after "Dr. Rivera:" of the next turn.
    start = text.index("\n\nInterviewer: What about")
    end = text.index("Cheating") - 1
    code_span(store, "ana", "T1", start, end, "INTEGRITY")
    [coding] = coding_store.current_codings(store)
    assert (coding.text, coding.turn) == ("What about students?", 3)


def test_a_span_that_is_exactly_an_excerpt_is_that_excerpt(coded_project):
    store = coded_project
    [excerpt] = [e for e in doc_store.get_excerpts(store, "T1") if e.turn == 4]
    code_span(store, "ana", "T1", excerpt.start - 2, excerpt.end + 1, "INTEGRITY")  # a sloppy selection
    assert _codings(store)[0][4] == excerpt.id
    assert code_excerpt(store, "ana", excerpt.id, "INTEGRITY") is None  # Review sees the same coding


@pytest.mark.parametrize("start, end, message", [
    (10, 10, "is not a span"), (50, 40, "is not a span"), (-1, 5, "is not a span"), (380, 10_000, "is not a span"),
    (0, 18, "holds no transcript text"),  # the title
    (71, 85, "holds no transcript text"),  # a blank line and a speaker label
])
def test_a_span_outside_the_text_or_without_speech_is_refused_with_where(coded_project, start, end, message):
    with pytest.raises(QcodeError) as error:
        code_span(coded_project, "ana", "T1", start, end, "COST")
    assert message in str(error.value) and f"T1 {start}-{end}" in str(error.value)
    assert coding_store.all_decisions(coded_project) == []


def test_unknown_document_code_or_coder_is_refused(coded_project):
    for document, code, coder, message in (("T9", "COST", "ana", "no document T9"),
                                           ("T1", "NOPE", "ana", "unknown code 'NOPE'"),
                                           ("T1", "COST", " ", "coder name is empty")):
        with pytest.raises(QcodeError, match=message):
            code_span(coded_project, coder, document, 90, 100, code)
    assert coding_store.all_decisions(coded_project) == []


def test_coding_the_same_span_twice_logs_nothing(coded_project):
    store = coded_project
    start, end = _span_of(store, "pilot with forty teachers")
    assert code_span(store, "ana", "T1", start, end, "PILOTS") is not None
    assert code_span(store, "ana", "T1", start, end, "PILOTS") is None
    assert code_span(store, "ana", "T1", start - 1, end, "PILOTS") is None  # the same span once trimmed
    assert len(coding_store.all_decisions(store)) == 1
    assert code_span(store, "ben", "T1", start, end, "PILOTS") is not None  # another coder's is their own


def test_uncode_removes_one_coding_and_undo_brings_it_back(coded_project):
    store = coded_project
    start = _text(store).index("lesson plans")
    end = _text(store).index("Cheating") + len("Cheating")
    code_span(store, "ana", "T1", start, end, "PILOTS")
    code_span(store, "ana", "T1", start, end, "COST")
    uncode_span(store, "ana", "T1", start, end, "PILOTS")
    assert [c[5] for c in _codings(store)] == ["COST"]
    coding_store.undo_last(store, "ana")
    assert sorted(c[5] for c in _codings(store)) == ["COST", "PILOTS"]
    assert uncode_span(store, "ben", "T1", start, end, "PILOTS") is None  # not ben's: nothing logged
    assert uncode_span(store, "ana", "T1", start, end, "TRAINING") is None
    assert len(coding_store.all_decisions(store)) == 4  # two codes, an uncode, its undo and nothing else
    with pytest.raises(QcodeError, match="ben has no coding PILOTS"):
        adjust_span(store, "ben", "T1", start, end, "PILOTS", start, end - 1)


def test_undo_takes_a_span_coding_back(coded_project):
    store = coded_project
    start, end = _span_of(store, "What about students?")
    code_span(store, "ana", "T1", start, end, "INTEGRITY")
    coding_store.undo_last(store, "ana")
    assert _codings(store) == []


def test_adjusting_a_span_is_one_undoable_step(coded_project):
    store = coded_project
    start, end = _span_of(store, "The budget is tight")
    code_span(store, "ana", "T1", start, end, "COST")
    new_end = _text(store).index("What about students?") + len("What about students?")
    decisions = adjust_span(store, "ana", "T1", start, end, "COST", start, new_end)
    assert len(decisions) == 2
    assert [(c[1], c[2], c[3]) for c in _codings(store)] == [(start, new_end, 2)]
    undone = coding_store.undo_last(store, "ana")
    assert len(undone) == 2  # the uncode and the code together
    assert [(c[1], c[2]) for c in _codings(store)] == [(start, end)]
    coding_store.redo_last(store, "ana")
    assert [(c[1], c[2]) for c in _codings(store)] == [(start, new_end)]


def test_adjusting_to_the_same_span_or_a_bad_one_changes_nothing(coded_project):
    store = coded_project
    start, end = _span_of(store, "The budget is tight")
    code_span(store, "ana", "T1", start, end, "COST")
    assert adjust_span(store, "ana", "T1", start, end, "COST", start - 1, end) == []  # trims to the same span
    with pytest.raises(QcodeError, match="holds no transcript text"):
        adjust_span(store, "ana", "T1", start, end, "COST", 0, 18)
    assert len(coding_store.all_decisions(store)) == 1
    assert [(c[1], c[2]) for c in _codings(store)] == [(start, end)]
