"""WebVTT (Zoom, Teams) and SubRip captions: a turn is a maximal run of consecutive cues by one speaker."""

from __future__ import annotations

import pytest

from coding.errors import ReaderError

ZOOM_VTT = """\
WEBVTT

1
00:00:08.582 --> 00:00:14.786
Interviewer: Thank you both for taking the time.

2
00:00:14.836 --> 00:00:21.041
Interviewer: We'd like to record this. Is that all right?

3
00:00:21.947 --> 00:00:23.704
Paul Thibodeau: Sure, that's fine.

4
00:00:24.378 --> 00:00:25.129
Nadia Haddad: Absolutely.

5
00:00:25.179 --> 00:00:25.930
Nadia Haddad: Record away.

6
00:00:26.758 --> 00:00:30.440
Interviewer: Let's start with introductions.

7
00:01:02.000 --> 00:01:09.500
Paul Thibodeau: I'm the superintendent.
We have about two thousand students.
"""

TEAMS_VTT = """\
WEBVTT

7e58871e-0538/1-0
00:00:06.184 --> 00:00:21.942
<v I>Thanks for taking the time today. Is that okay with you?</v>

7e58871e-0538/2-0
00:00:22.803 --> 00:00:25.434
<v SUPERINTENDENT ARCHULETA>That's fine. Go ahead.</v>

7e58871e-0538/3-0
00:00:25.500 --> 00:00:28.000
<v SUPERINTENDENT ARCHULETA>We&apos;re rural &amp; remote.</v>

7e58871e-0538/4-0
00:00:29.867 --> 00:00:32.816
<v I>Could you say more?</v>
"""

SRT = (
    "1\r\n00:00:05,405 --> 00:00:11,881\r\nInterviewer: Thanks for joining us.\r\n\r\n"
    "2\r\n00:00:11,931 --> 00:00:18,408\r\nInterviewer: Is that all right?\r\n\r\n"
    "3\r\n00:00:19,003 --> 00:00:21,428\r\nPriya Natarajan: Yes, totally fine.\r\nGo ahead.\r\n\r\n"
    "4\r\n00:00:21,729 --> 00:00:24,846\r\n<i>Interviewer: Great.</i>\r\n"
)


def test_consecutive_zoom_cues_by_one_speaker_merge_into_one_turn(read) -> None:
    parsed = read("D14.vtt", ZOOM_VTT)
    assert [t.speaker for t in parsed.turns] == [
        "Interviewer", "Paul Thibodeau", "Nadia Haddad", "Interviewer", "Paul Thibodeau",
    ]
    assert parsed.turns[0].text == "Thank you both for taking the time. We'd like to record this. Is that all right?"
    assert parsed.turns[2].text == "Absolutely. Record away."


def test_a_merged_turn_keeps_the_first_cue_start_and_the_last_cue_end(read) -> None:
    parsed = read("D14.vtt", ZOOM_VTT)
    assert (parsed.turns[0].start_time, parsed.turns[0].end_time) == (8.582, 21.041)
    assert (parsed.turns[2].start_time, parsed.turns[2].end_time) == (24.378, 25.930)
    assert (parsed.turns[4].start_time, parsed.turns[4].end_time) == (62.0, 69.5)


def test_multi_line_cue_text_is_joined_into_one_line(read) -> None:
    parsed = read("D14.vtt", ZOOM_VTT)
    assert parsed.turns[4].text == "I'm the superintendent. We have about two thousand students."


def test_turn_source_line_is_the_timing_line_of_its_first_cue(read) -> None:
    parsed = read("D14.vtt", ZOOM_VTT)
    lines = ZOOM_VTT.split("\n")
    assert [t.source_line for t in parsed.turns] == [4, 12, 16, 24, 28]
    assert all("-->" in lines[t.source_line - 1] for t in parsed.turns)


def test_teams_voice_tags_name_the_speaker_and_entities_are_unescaped(read) -> None:
    parsed = read("D18.vtt", TEAMS_VTT)
    assert [t.speaker for t in parsed.turns] == ["I", "SUPERINTENDENT ARCHULETA", "I"]
    assert parsed.turns[1].text == "That's fine. Go ahead. We're rural & remote."
    assert "<v" not in parsed.turns[1].text and "</v>" not in parsed.turns[1].text
    assert (parsed.turns[1].start_time, parsed.turns[1].end_time) == (22.803, 28.0)


def test_voice_tag_with_a_class_still_names_the_speaker(read) -> None:
    parsed = read("x.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<v.loud Ana Ruiz>Hello</v>\n")
    assert parsed.turns[0].speaker == "Ana Ruiz"
    assert parsed.turns[0].text == "Hello"


def test_an_unlabelled_cue_continues_whoever_was_speaking(read) -> None:
    parsed = read(
        "x.vtt",
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nInterviewer: Hi.\n\n"
        "00:00:03.000 --> 00:00:04.000\nAna Ruiz: Hello.\n\n00:00:04.000 --> 00:00:06.000\nand welcome.\n",
    )
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "Ana Ruiz"]
    assert parsed.turns[1].text == "Hello. and welcome."
    assert parsed.turns[1].end_time == 6.0


def test_note_and_style_blocks_and_header_settings_are_ignored(read) -> None:
    parsed = read(
        "x.vtt",
        "WEBVTT\nKind: captions\nLanguage: en\n\nNOTE exported by Zoom\n\nSTYLE\n::cue { color: red }\n\n"
        "00:00:01.000 --> 00:00:02.000 align:start\nInterviewer: Hi.\n",
    )
    assert [(t.speaker, t.text) for t in parsed.turns] == [("Interviewer", "Hi.")]


def test_cues_without_numbers_and_with_short_timings_are_read(read) -> None:
    parsed = read("x.vtt", "WEBVTT\n\n01:05.250 --> 01:07.000\nQ: Ready?\n\n01:08.000 --> 01:09.000\nA: Yes.\n")
    assert [(t.speaker, t.start_time, t.end_time) for t in parsed.turns] == [("Q", 65.25, 67.0), ("A", 68.0, 69.0)]


def test_speaker_alternation_gives_one_turn_per_run(read) -> None:
    cues = [("Q", "One?"), ("A", "Yes."), ("A", "Really."), ("Q", "Two?"), ("Q", "Three?"), ("A", "No.")]
    body = "".join(
        f"{i}\n00:00:{i:02d}.000 --> 00:00:{i:02d}.900\n{speaker}: {text}\n\n"
        for i, (speaker, text) in enumerate(cues, 1)
    )
    parsed = read("x.vtt", "WEBVTT\n\n" + body)
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Q", "One?"), ("A", "Yes. Really."), ("Q", "Two? Three?"), ("A", "No."),
    ]


def test_vtt_without_the_webvtt_header_is_rejected_at_line_one(read) -> None:
    with pytest.raises(ReaderError) as caught:
        read("renamed.vtt", "1\n00:00:01.000 --> 00:00:02.000\nInterviewer: Hi.\n")
    problem = caught.value.problems[0]
    assert problem.path.endswith("renamed.vtt")
    assert problem.line == 1
    assert "WEBVTT" in problem.message


def test_malformed_vtt_timing_is_reported_with_its_line(read) -> None:
    with pytest.raises(ReaderError) as caught:
        read(
            "broken.vtt",
            "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nInterviewer: Hi.\n\n2\n00:00:03 --> soon\nAna: Hello.\n",
        )
    problem = caught.value.problems[0]
    assert problem.path.endswith("broken.vtt")
    assert problem.line == 8
    assert "timing" in problem.message


def test_vtt_cue_without_a_timing_line_is_reported_with_its_line(read) -> None:
    with pytest.raises(ReaderError) as caught:
        read("broken.vtt", "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nInterviewer: Hi.\n\n2\nAna: Hello.\n")
    assert caught.value.problems[0].line == 7
    assert "-->" in caught.value.problems[0].message


def test_vtt_cue_that_ends_before_it_starts_is_rejected(read) -> None:
    with pytest.raises(ReaderError) as caught:
        read("backwards.vtt", "WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nInterviewer: Hi.\n")
    assert caught.value.problems[0].line == 3
    assert "ends before it starts" in caught.value.problems[0].message


def test_captions_without_any_speaker_name_are_rejected_with_a_hint(read) -> None:
    with pytest.raises(ReaderError) as caught:
        read("anon.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello there.\n")
    problem = caught.value.problems[0]
    assert "no cue names a speaker" in problem.message
    assert problem.hint and "<v Name>" in problem.hint


def test_srt_cues_merge_into_turns_with_comma_millisecond_times_and_crlf(read) -> None:
    parsed = read("D20.srt", SRT)
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "Priya Natarajan", "Interviewer"]
    assert parsed.turns[0].text == "Thanks for joining us. Is that all right?"
    assert (parsed.turns[0].start_time, parsed.turns[0].end_time) == (5.405, 18.408)
    assert parsed.turns[1].text == "Yes, totally fine. Go ahead."


def test_srt_formatting_tags_are_removed_before_the_label_is_read(read) -> None:
    parsed = read("D20.srt", SRT)
    assert parsed.turns[2].text == "Great."
    assert parsed.turns[2].speaker == "Interviewer"


def test_srt_block_without_timing_is_reported_with_its_line(read) -> None:
    with pytest.raises(ReaderError) as caught:
        read("bad.srt", "1\n00:00:01,000 --> 00:00:02,000\nInterviewer: Hi.\n\n2\nno timing here\nAna: Yes.\n")
    problem = caught.value.problems[0]
    assert problem.path.endswith("bad.srt")
    assert problem.line == 5


def test_srt_malformed_timing_is_reported_with_its_line(read) -> None:
    with pytest.raises(ReaderError) as caught:
        read("bad.srt",
             "1\n00:00:01,000 --> 00:00:02,000\nInterviewer: Hi.\n\n2\n00:00:0x,000 --> 00:00:04,000\nA: B\n")
    assert caught.value.problems[0].line == 6
