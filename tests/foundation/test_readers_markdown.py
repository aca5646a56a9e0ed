"""The Markdown reader: YAML front matter as attributes, bold labels, headings, plain-text turns."""

from __future__ import annotations

import pytest

from coding.errors import ReaderError

FRONT_MATTER_MD = """\
---
district_type: rural
role: Superintendent
enrollment: 2145
frl_pct: 78.5
one_to_one: true
ai_stage: piloting
---

# District leaders and AI study, interview D12

I: Thank you both for joining. Is recording all right?

Gloria Benavidez: Yes, that's fine with me.

Kyle Nakamura: Fine by me.

I: Could you each start by telling me your role?

Gloria Benavidez: Sure. I'm in my sixth year as superintendent.
I grew up in this valley.

Kyle Nakamura: I'm the director of technology.
"""


def test_front_matter_becomes_typed_attributes_and_ints_stay_ints(read) -> None:
    parsed = read("D12.md", FRONT_MATTER_MD)
    assert parsed.attributes == {
        "district_type": "rural",
        "role": "Superintendent",
        "enrollment": 2145,
        "frl_pct": 78.5,
        "one_to_one": True,
        "ai_stage": "piloting",
    }
    assert isinstance(parsed.attributes["enrollment"], int)


def test_front_matter_is_not_read_as_turns_and_the_heading_is_the_title(read) -> None:
    parsed = read("D12.md", FRONT_MATTER_MD)
    assert parsed.title == "District leaders and AI study, interview D12"
    assert [t.speaker for t in parsed.turns] == [
        "I", "Gloria Benavidez", "Kyle Nakamura", "I", "Gloria Benavidez", "Kyle Nakamura",
    ]
    assert not any("district_type" in t.text for t in parsed.turns)


def test_source_lines_count_the_front_matter_lines(read) -> None:
    parsed = read("D12.md", FRONT_MATTER_MD)
    lines = FRONT_MATTER_MD.split("\n")
    assert parsed.turns[0].source_line == 12
    for turn in parsed.turns:
        assert lines[turn.source_line - 1].startswith(f"{turn.speaker}:")


def test_continuation_lines_join_the_turn_in_markdown(read) -> None:
    parsed = read("D12.md", FRONT_MATTER_MD)
    assert parsed.turns[4].text == "Sure. I'm in my sixth year as superintendent. I grew up in this valley."


def test_markdown_without_front_matter_has_no_attributes(read) -> None:
    parsed = read("x.md", "Interviewer: Hello.\n\nDr. Lee: Hi there.\n")
    assert parsed.attributes == {}
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "Dr. Lee"]


@pytest.mark.parametrize("label_line", ["**Dr. Lee:** We started last year.", "**Dr. Lee**: We started last year.",
                                        "__Dr. Lee:__ We started last year."])
def test_bold_labels_are_speaker_labels_without_the_asterisks(read, label_line: str) -> None:
    parsed = read("x.md", f"**Interviewer:** When did you start?\n\n{label_line}\n")
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "Dr. Lee"]
    assert parsed.turns[1].text == "We started last year."


def test_a_heading_with_a_colon_is_the_title_not_a_speaker(read) -> None:
    parsed = read("x.md", "# Interview 3: Superintendent\n\nInterviewer: Hello.\n\nDr. Lee: Hi.\n")
    assert parsed.title == "Interview 3: Superintendent"
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "Dr. Lee"]


def test_a_section_heading_between_turns_is_not_spoken_text(read) -> None:
    parsed = read(
        "x.md",
        "# Title\n\nInterviewer: First question?\n\n## Part 2: Implementation\n\nDr. Lee: An answer.\n",
    )
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "Dr. Lee"]
    assert parsed.turns[0].text == "First question?"
    assert parsed.turns[1].text == "An answer."


def test_invalid_yaml_front_matter_is_a_reader_error_with_its_line(read) -> None:
    with pytest.raises(ReaderError) as caught:
        read("bad.md", "---\nrole: Superintendent\nregion: [West\n---\nInterviewer: Hi.\n")
    problem = caught.value.problems[0]
    assert problem.path.endswith("bad.md")
    assert problem.line is not None and 2 <= problem.line <= 4
    assert "YAML" in problem.message


def test_front_matter_without_closing_dashes_is_a_reader_error_at_line_one(read) -> None:
    with pytest.raises(ReaderError) as caught:
        read("open.md", "---\nrole: Superintendent\nInterviewer: Hi.\n")
    assert caught.value.problems[0].line == 1
    assert "closing" in caught.value.problems[0].message


def test_front_matter_that_is_not_key_value_pairs_is_a_reader_error(read) -> None:
    with pytest.raises(ReaderError) as caught:
        read("list.md", "---\n- a\n- b\n---\nInterviewer: Hi.\n")
    assert "key: value" in str(caught.value)


def test_front_matter_dates_and_lists_become_plain_strings(read) -> None:
    parsed = read("x.md", "---\ninterviewed: 2024-03-05\ntags: [a, b]\n---\nInterviewer: Hi.\n")
    assert parsed.attributes == {"interviewed": "2024-03-05", "tags": "['a', 'b']"}
