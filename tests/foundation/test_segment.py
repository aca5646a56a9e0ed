"""Excerpts: respondent turns cut into windows of 1-3 sentences with spaCy, never across turns."""

from __future__ import annotations

import pytest

from coding.errors import QcodeError
from coding.models import Document, ParsedTranscript, SegmenterSettings, SpeakerRole
from coding.readers.labels import SpeakerRoles
from coding.transcripts.segment import segment_turns, sentence_spans, window_sizes
from coding.transcripts.render import render_transcript

LONG_ANSWER = (
    "We started with twelve teachers. They met every two weeks. Dr. Smith ran the sessions. "
    "The union asked for a seat at the table. We said yes. Then the board wanted data. "
    "So we collected planning-time logs."
)  # 7 sentences


def _render(turns: list[tuple[str, str]], name: str = "D01"):
    parsed = ParsedTranscript.model_validate({"turns": [{"speaker": s, "text": t} for s, t in turns]})
    text, rendered = render_transcript(name, parsed, SpeakerRoles())
    document = Document(name=name, source_path=f"{name}.txt", format="txt", content_hash="0", text=text)
    return document, rendered


@pytest.mark.parametrize(
    ("sentences", "sizes"),
    [(1, [1]), (2, [2]), (3, [3]), (4, [2, 2]), (5, [3, 2]), (6, [3, 3]), (7, [3, 2, 2]), (10, [3, 3, 2, 2])],
)
def test_window_sizes_are_balanced_and_never_exceed_three_sentences(sentences: int, sizes: list[int]) -> None:
    assert window_sizes(sentences, SegmenterSettings()) == sizes


def test_sentence_spans_are_trimmed_and_do_not_split_on_titles_like_dr() -> None:
    text = "Dr. Smith went to the board. He said so!  Then what?\nNothing."
    spans = sentence_spans([text], "blank:en")[0]
    assert [text[a:b] for a, b in spans] == ["Dr. Smith went to the board.", "He said so!", "Then what?", "Nothing."]


def test_a_long_respondent_turn_becomes_windows_of_one_to_three_sentences(assert_offsets_consistent) -> None:
    document, turns = _render([("Interviewer", "Tell me about the pilot?"), ("Dr. Lee", LONG_ANSWER)])
    excerpts = segment_turns(turns, SegmenterSettings())
    assert [e.text for e in excerpts] == [
        "We started with twelve teachers. They met every two weeks. Dr. Smith ran the sessions.",
        "The union asked for a seat at the table. We said yes.",
        "Then the board wanted data. So we collected planning-time logs.",
    ]
    assert_offsets_consistent(document, turns, excerpts)


def test_excerpt_ids_name_document_turn_and_index_from_one() -> None:
    _, turns = _render([("Interviewer", "Q?"), ("Dr. Lee", LONG_ANSWER), ("Interviewer", "And?"), ("Dr. Lee", "Fine.")])
    excerpts = segment_turns(turns, SegmenterSettings())
    assert [e.id for e in excerpts] == ["D01:2:1", "D01:2:2", "D01:2:3", "D01:4:1"]
    assert [(e.turn, e.index) for e in excerpts] == [(2, 1), (2, 2), (2, 3), (4, 1)]


def test_short_turn_is_a_single_excerpt_covering_the_whole_utterance() -> None:
    _, turns = _render([("Ana", "Yes. We did. It worked.")])
    excerpts = segment_turns(turns, SegmenterSettings())
    assert len(excerpts) == 1
    assert excerpts[0].text == turns[0].text


def test_interviewer_turns_are_not_excerpted_by_default() -> None:
    _, turns = _render([("Interviewer", "What happened next? Tell me."), ("Ana", "We paused."),
                        ("Moderator", "Why?"), ("Q", "Really?")])
    excerpts = segment_turns(turns, SegmenterSettings())
    assert {e.turn for e in excerpts} == {2}
    assert all(turns[e.turn - 1].role == SpeakerRole.respondent for e in excerpts)


def test_interviewer_turns_are_excerpted_when_the_flag_is_set(assert_offsets_consistent) -> None:
    document, turns = _render([("Interviewer", "What happened next? Tell me."), ("Ana", "We paused.")])
    excerpts = segment_turns(turns, SegmenterSettings(include_interviewer=True))
    assert [(e.turn, e.text) for e in excerpts] == [(1, "What happened next? Tell me."), (2, "We paused.")]
    assert_offsets_consistent(document, turns, excerpts)


def test_excerpts_never_cross_turns_even_for_consecutive_respondent_turns(assert_offsets_consistent) -> None:
    document, turns = _render([("Ana", "One. Two"), ("Ben", "three. Four."), ("Ana", "Five")])
    excerpts = segment_turns(turns, SegmenterSettings())
    assert [(e.turn, e.text) for e in excerpts] == [(1, "One. Two"), (2, "three. Four."), (3, "Five")]
    assert_offsets_consistent(document, turns, excerpts)


def test_empty_turns_give_no_excerpts_but_keep_their_numbers() -> None:
    _, turns = _render([("Ana", ""), ("Ben", "   "), ("Ana", "Something.")])
    excerpts = segment_turns(turns, SegmenterSettings())
    assert [e.id for e in excerpts] == ["D01:3:1"]


def test_paragraph_breaks_inside_a_turn_stay_inside_the_excerpt_text(assert_offsets_consistent) -> None:
    document, turns = _render([("Ana", "First paragraph ends here.\nSecond paragraph.\nThird one.\nFourth.")])
    excerpts = segment_turns(turns, SegmenterSettings())
    assert [e.text for e in excerpts] == ["First paragraph ends here.\nSecond paragraph.", "Third one.\nFourth."]
    assert_offsets_consistent(document, turns, excerpts)


def test_max_sentences_setting_changes_window_size() -> None:
    _, turns = _render([("Ana", LONG_ANSWER)])
    settings = SegmenterSettings(max_sentences=1, short_turn_sentences=1)
    excerpts = segment_turns(turns, settings)
    assert len(excerpts) == 7
    assert excerpts[2].text == "Dr. Smith ran the sessions."


def test_unknown_spacy_pipeline_is_a_user_error_with_a_hint() -> None:
    _, turns = _render([("Ana", "Hello.")])
    with pytest.raises(QcodeError) as caught:
        segment_turns(turns, SegmenterSettings(spacy_model="xx_not_installed_pipeline"))
    assert "not installed" in str(caught.value)
    assert "blank:en" in str(caught.value)
