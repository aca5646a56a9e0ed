"""The plain-text reader: labels, label-alone lines, timestamps, continuation lines, page markers, roles."""

from __future__ import annotations

import pytest

from coding.errors import ReaderError
from coding.models import ParsedTranscript, SpeakerRole
from coding.readers.labels import DEFAULT_INTERVIEWER_LABELS, SpeakerRoles, split_label
from coding.transcripts.render import render_transcript


def test_each_colon_label_starts_a_turn_in_file_order(read, two_respondents_txt) -> None:
    parsed = read("D03.txt", two_respondents_txt)
    assert [t.speaker for t in parsed.turns] == [
        "Interviewer", "Dr. Alvarez", "SUPERINTENDENT HALE", "Interviewer", "Dr. Alvarez", "SUPERINTENDENT HALE",
        "Interviewer",
    ]


def test_wrapped_lines_continue_the_turn_and_blank_lines_inside_it_keep_a_paragraph_break(
    read, two_respondents_txt
) -> None:
    turn = read("D03.txt", two_respondents_txt).turns[1]
    assert turn.text == (
        "Sure. I'm the superintendent, in my fourth year here. Before that I was a principal for six years in the"
        " same county, so I know most of the families.\n"
        "We serve about thirty thousand students across forty schools."
    )


def test_unlabelled_first_line_is_the_title_not_a_turn(read, two_respondents_txt) -> None:
    parsed = read("D03.txt", two_respondents_txt)
    assert parsed.title == "District leaders and AI study, interview D03"
    assert all("interview D03" not in t.text for t in parsed.turns)


def test_source_line_points_at_the_line_holding_the_label(read, two_respondents_txt) -> None:
    parsed = read("D03.txt", two_respondents_txt)
    lines = two_respondents_txt.split("\n")
    for turn in parsed.turns:
        assert lines[turn.source_line - 1].startswith(turn.speaker + ":")


def test_label_alone_on_its_line_starts_a_turn_with_the_following_lines(read, label_on_own_line_txt) -> None:
    parsed = read("D05.txt", label_on_own_line_txt)
    assert [t.speaker for t in parsed.turns] == [
        "Interviewer", "Dr. Pettaway", "Interviewer", "Dr. Pettaway", "Interviewer",
    ]
    assert parsed.turns[0].text == (
        "Dr. Pettaway, thank you for making time for us. Are you comfortable with us recording?"
    )
    assert parsed.turns[0].source_line == 2
    assert parsed.title == "Interview"


def test_page_marker_between_wrapped_lines_is_dropped_and_the_paragraph_stays_joined(
    read, label_on_own_line_txt
) -> None:
    turn = read("D05.txt", label_on_own_line_txt).turns[3]
    assert "1/5" not in turn.text
    assert "high school math teacher in a district" in turn.text
    assert turn.text.endswith("\nEvery conversation about technology here starts with who our children are.")


@pytest.mark.parametrize("marker", ["2/5", "Page 3", "page 3 of 9", "- 4 -", "12"])
def test_stray_page_markers_never_become_text(read, marker: str) -> None:
    parsed = read("x.txt", f"Interviewer: First part\n{marker}\nsecond part.\nRespondent: Yes.\n")
    assert parsed.turns[0].text == "First part second part."


def test_bracketed_and_bare_timestamps_give_turn_start_times_and_stay_out_of_the_text(
    read, timestamped_txt
) -> None:
    parsed = read("D08.txt", timestamped_txt)
    assert [t.speaker for t in parsed.turns] == [
        "Interviewer", "Mr. Kowalczyk", "Interviewer", "Mr. Kowalczyk", "Interviewer",
    ]
    assert [t.start_time for t in parsed.turns] == [5.0, 11.0, 197.0, 205.0, 280.0]
    assert parsed.turns[3].text == (
        "Depends who you ask, honestly. Our teachers are curious. Our board is nervous."
        " Some principals have banned it outright."
    )
    assert not any("00:0" in t.text for t in parsed.turns)


@pytest.mark.parametrize(
    ("line", "speaker"),
    [
        ("Interviewer: Hello.", "Interviewer"),
        ("Interviewer 2: Hello.", "Interviewer 2"),
        ("Dr. Alvarez: Hello.", "Dr. Alvarez"),
        ("SUPERINTENDENT HALE: Hello.", "SUPERINTENDENT HALE"),
        ("Gloria Benavidez-Ruiz: Hello.", "Gloria Benavidez-Ruiz"),
        ("Mr. O'Neil: Hello.", "Mr. O'Neil"),
        ("María José: Hola.", "María José"),
        ("Émile Durand: Bonjour.", "Émile Durand"),
        ("Ángela de la Cruz: Hola.", "Ángela de la Cruz"),
        ("Rosa (translated): Yes.", "Rosa (translated)"),
        ("Q: Hello?", "Q"),
        ("(00:12) Q: Hello?", "Q"),
    ],
)
def test_name_like_labels_before_a_colon_are_speakers(line: str, speaker: str) -> None:
    labelled = split_label(line)
    assert labelled is not None
    assert labelled.label == speaker


@pytest.mark.parametrize(
    "line",
    [
        "So here's the thing: we had no plan.",
        "and then he said: no.",
        "Note: the recording paused here.",
        "https://example.org/policy is the link.",
        "We looked at three things: cost, privacy, and training.",
        "At 10:30 the board met.",
    ],
)
def test_sentences_with_a_colon_are_not_speaker_labels(line: str) -> None:
    assert split_label(line) is None


def test_a_colon_sentence_inside_a_turn_continues_that_turn(read) -> None:
    parsed = read(
        "x.txt",
        "Interviewer: What mattered?\nDr. Lee: Several things.\nWe looked at three things: cost and privacy.\n",
    )
    assert len(parsed.turns) == 2
    assert parsed.turns[1].text == "Several things. We looked at three things: cost and privacy."


def test_label_longer_than_forty_characters_is_not_a_speaker() -> None:
    long_label = "Chief Officer Of Many Departments And Committees"
    assert len(long_label) > 40
    assert split_label(f"{long_label}: hello") is None
    assert split_label("A" * 40 + ": hello") is not None


def test_text_without_any_speaker_label_is_a_reader_error_naming_the_file(read) -> None:
    with pytest.raises(ReaderError) as caught:
        read("notes.txt", "We talked about the budget.\nThen about the pilots.\n")
    message = str(caught.value)
    assert "notes.txt" in message
    assert "no speaker labels" in message


def test_label_with_no_text_before_the_next_label_is_an_empty_turn_that_still_counts(read) -> None:
    parsed = read("x.txt", "Interviewer:\nDr. Lee: Yes, go on.\nInterviewer: Thanks.\n")
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "Dr. Lee", "Interviewer"]
    assert parsed.turns[0].text == ""


def test_rendered_text_holds_every_turn_at_its_offsets_numbered_from_one(read, two_respondents_txt) -> None:
    parsed = read("D03.txt", two_respondents_txt)
    text, turns = render_transcript("D03", parsed, SpeakerRoles())
    assert [t.number for t in turns] == list(range(1, len(parsed.turns) + 1))
    for turn in turns:
        assert text[turn.start : turn.end] == turn.text
        assert text[: turn.start].endswith(f"{turn.speaker}: ")
    assert text.startswith(parsed.title + "\n\n")


def test_two_respondents_are_both_respondents_and_the_interviewer_is_not(read, two_respondents_txt) -> None:
    _, turns = render_transcript("D03", read("D03.txt", two_respondents_txt), SpeakerRoles())
    roles = {t.speaker: t.role for t in turns}
    assert roles == {
        "Interviewer": SpeakerRole.interviewer,
        "Dr. Alvarez": SpeakerRole.respondent,
        "SUPERINTENDENT HALE": SpeakerRole.respondent,
    }


@pytest.mark.parametrize("label", ["Interviewer", "interviewer 1", "INTERVIEWER 2", "Moderator", "Facilitator",
                                   "Q", "I", "Researcher", "researcher"])
def test_default_interviewer_labels_match_case_insensitively(label: str) -> None:
    assert SpeakerRoles().is_interviewer(label)


def test_respondent_labels_are_not_interviewers_unless_named_as_extra_interviewers() -> None:
    assert not SpeakerRoles().is_interviewer("A")
    assert not SpeakerRoles().is_interviewer("Dr. Lee")
    roles = SpeakerRoles(DEFAULT_INTERVIEWER_LABELS, ["Dr.  Lee"])
    assert roles.is_interviewer("dr. lee")
    assert roles.is_interviewer("Interviewer")


def test_interviewer_names_given_as_extra_labels_change_roles_when_rendering() -> None:
    parsed = ParsedTranscript.model_validate(
        {"turns": [{"speaker": "Sam", "text": "Question?"}, {"speaker": "Ana", "text": "Answer."}]}
    )
    _, turns = render_transcript("X", parsed, SpeakerRoles(DEFAULT_INTERVIEWER_LABELS, ["Sam"]))
    assert [t.role for t in turns] == [SpeakerRole.interviewer, SpeakerRole.respondent]
