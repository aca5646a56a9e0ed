"""Shared fixtures for the foundation tests: realistic inline transcripts, file writers and a fresh project."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from coding.models import Document, Excerpt, ParsedTranscript, Turn
from coding.readers import reader_for
from coding.store import ProjectStore, open_project

# Two respondents, a title line, `Name: text` turns with continuation lines and paragraphs.
TWO_RESPONDENTS_TXT = """\
District leaders and AI study, interview D03

Interviewer: Thank you both for making the time. Could you each start by telling me about your role?

Dr. Alvarez: Sure. I'm the superintendent, in my fourth year here. Before that I was a principal
for six years in the same county, so I know most of the families.

We serve about thirty thousand students across forty schools.

SUPERINTENDENT HALE: And I run curriculum. I came over from the state office two years ago.

Interviewer: How is AI showing up in your classrooms right now?

Dr. Alvarez: Mostly through teachers experimenting on their own. We have a pilot with twelve teachers.
It started in the fall. Nobody mandated it. The teachers asked us for guidance, so we wrote some.

SUPERINTENDENT HALE: I'd add that the pilot has an end date and a set of measures. We will look at
planning time first. Then we look at student writing.

Interviewer: Thank you.
"""

# PDF-export shape: label alone on its line, wrapped lines, "n/m" page markers between lines of one paragraph.
LABEL_ON_OWN_LINE_TXT = """\
Interview
Interviewer:
Dr. Pettaway, thank you for making time for us. Are you comfortable
with us recording?
Dr. Pettaway:
Yes, you have my permission. Let's get into it.
Interviewer:
Could you start by telling us about your district?
Dr. Pettaway:
I'm in my second year as superintendent. I came up as a high school math
1/5
teacher in a district about an hour from here. We serve about 132,000
students in a little over two hundred schools.

Every conversation about technology here starts with who our children are.
Interviewer:
Thank you.
"""

# `[hh:mm:ss] Name:` and `hh:mm:ss Name:` timestamps.
TIMESTAMPED_TXT = """\
[00:00:05] Interviewer: Thanks for joining. Is recording all right?
[00:00:11] Mr. Kowalczyk: That's fine, go ahead.
[00:03:17] Interviewer: How is AI showing up in the district?
00:03:25 Mr. Kowalczyk: Depends who you ask, honestly. Our teachers are curious. Our board is nervous.
Some principals have banned it outright.
00:04:40 Interviewer: Thank you.
"""


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write text (UTF-8) or bytes to a file under tmp_path and return its path."""

    def _write(name: str, content: str | bytes, folder: Path | None = None) -> Path:
        target = (folder or tmp_path) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return target

    return _write


@pytest.fixture
def read(tmp_path: Path) -> Callable[..., ParsedTranscript]:
    """Run the reader chosen by file extension on the given content."""

    def _read(name: str, content: str | bytes) -> ParsedTranscript:
        path = tmp_path / name
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        path.write_bytes(data)
        return reader_for(path).read(path, data)

    return _read


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "project.duckdb"


@pytest.fixture
def store(project_path: Path) -> Iterator[ProjectStore]:
    opened = open_project(project_path, create=True)
    try:
        yield opened
    finally:
        opened.close()


def _assert_offsets_consistent(document: Document, turns: list[Turn], excerpts: list[Excerpt]) -> None:
    for turn in turns:
        assert document.text[turn.start : turn.end] == turn.text
    by_turn = {turn.number: turn for turn in turns}
    for excerpt in excerpts:
        assert document.text[excerpt.start : excerpt.end] == excerpt.text
        turn = by_turn[excerpt.turn]
        assert turn.start <= excerpt.start < excerpt.end <= turn.end, "an excerpt crosses its turn"


@pytest.fixture
def assert_offsets_consistent() -> Callable[[Document, list[Turn], list[Excerpt]], None]:
    """The foundation's invariant: every stored span is exactly the text it claims to be, inside its turn."""
    return _assert_offsets_consistent


@pytest.fixture(scope="session")
def two_respondents_txt() -> str:
    return TWO_RESPONDENTS_TXT


@pytest.fixture(scope="session")
def label_on_own_line_txt() -> str:
    return LABEL_ON_OWN_LINE_TXT


@pytest.fixture(scope="session")
def timestamped_txt() -> str:
    return TIMESTAMPED_TXT
