"""Plain-text transcripts: `Name: text` turns, labels alone on their line, timestamps, page markers."""

from __future__ import annotations

from pathlib import Path

from coding.errors import Problem, ReaderError
from coding.models import ParsedTranscript
from coding.readers.encoding import decode_transcript
from coding.readers.labels import is_page_marker, lowercase_speakers, split_label
from coding.readers.turns_builder import TurnBuilder


def parse_labelled_lines(path: Path, lines: list[str], first_line_number: int = 1) -> TurnBuilder:
    builder = TurnBuilder()
    speakers = lowercase_speakers(lines)
    for offset, line in enumerate(lines):
        number = first_line_number + offset
        if not line.strip():
            builder.paragraph_break()
            continue
        if is_page_marker(line) and not _is_whole_answer(builder, lines, offset, speakers):
            # PDF exports put "2/5" between the wrapped lines of one paragraph: drop it, keep the paragraph open.
            continue
        labelled = split_label(line, speakers)
        if labelled is not None:
            builder.start_turn(labelled.label, number, labelled.timestamp, labelled.rest)
        else:
            builder.add_text(line, number)
    return builder


def _is_whole_answer(builder: TurnBuilder, lines: list[str], offset: int, speakers: frozenset[str]) -> bool:
    """A bare number alone under a label with nothing else before the next label ("Ana:" / "42") is the answer, not a
    page number ("2/5" and "Page 2" always are)."""
    if not builder.open_turn_is_empty or not lines[offset].strip().isdigit():
        return False
    following = next((line for line in lines[offset + 1 :] if line.strip()), None)
    return following is None or split_label(following, speakers) is not None


def require_turns(path: Path, builder: TurnBuilder) -> None:
    if not builder.turns:
        raise ReaderError(
            Problem(
                "no speaker labels found, so the text cannot be split into turns",
                path=str(path),
                hint="start each turn with a label and a colon, e.g. 'Interviewer: ...' or 'Dr. Alvarez: ...'",
            )
        )


class PlainTextReader:
    name = "txt"
    extensions = (".txt",)

    def read(self, path: Path, data: bytes) -> ParsedTranscript:
        text = decode_transcript(path, data)
        builder = parse_labelled_lines(path, text.split("\n"))
        turns = builder.finish()
        require_turns(path, builder)
        title = builder.preamble[0] if builder.preamble else None
        return ParsedTranscript(turns=turns, title=title, dropped=builder.preamble_not_stored())
