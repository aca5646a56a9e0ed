"""Markdown transcripts: optional YAML front matter with document attributes, then plain-text turns."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from coding.errors import Problem, ReaderError
from coding.models import AttributeValue, DroppedText, ParsedTranscript
from coding.readers.encoding import decode_transcript
from coding.readers.labels import lowercase_speakers, split_label
from coding.readers.plaintext import parse_labelled_lines, require_turns

_BOLD_LABEL = re.compile(r"^(\s*)(?:\*\*|__)([^*_:：\n]{1,40}?)(?:([:：])(?:\*\*|__)|(?:\*\*|__)([:：]))")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")


def split_front_matter(path: Path, text: str) -> tuple[dict[str, AttributeValue], list[str], int]:
    """Attributes from a leading `---` YAML block, the remaining lines, and the line number they start at."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, lines, 1
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            block = "\n".join(lines[1:index])
            try:
                loaded = yaml.safe_load(block) or {}
            except yaml.YAMLError as error:
                mark = getattr(error, "problem_mark", None)
                line = mark.line + 2 if mark is not None else 2
                raise ReaderError(
                    Problem("the YAML front matter is not valid YAML", path=str(path), line=line,
                            hint="fix the block between the two '---' lines")
                ) from None
            if not isinstance(loaded, dict):
                raise ReaderError(
                    Problem("the front matter must be 'key: value' lines", path=str(path), line=2)
                )
            attributes = {str(k): _attribute_value(v) for k, v in loaded.items()}
            return attributes, lines[index + 1 :], index + 2
    raise ReaderError(Problem("the front matter has no closing '---' line", path=str(path), line=1))


def _attribute_value(value: object) -> AttributeValue:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _unbold(match: re.Match) -> str:
    return match.group(1) + match.group(2) + (match.group(3) or match.group(4))


def _strip_markup(lines: list[str], first_line_number: int
                  ) -> tuple[list[str], list[tuple[int, str]], list[DroppedText]]:
    """Bold labels ("**Interviewer:** text") lose their asterisks. Headings are structure, never speech or speakers
    ("# Interview 3: Superintendent"): each becomes a blank line; those before the first turn are title candidates
    (with their line), later ones are text not stored."""
    lines = [_BOLD_LABEL.sub(_unbold, line) for line in lines]
    speakers = lowercase_speakers(line for line in lines if not _HEADING.match(line))
    cleaned: list[str] = []
    headings: list[tuple[int, str]] = []
    dropped: list[DroppedText] = []
    turns_started = False
    for number, line in enumerate(lines, start=first_line_number):
        if _HEADING.match(line):
            heading = _HEADING.sub("", line).strip()
            if heading and not turns_started:
                headings.append((number, heading))
            elif heading:
                dropped.append(DroppedText(line=number, characters=len(heading), what="a heading between turns"))
            cleaned.append("")
            continue
        turns_started = turns_started or split_label(line, speakers) is not None
        cleaned.append(line)
    return cleaned, headings, dropped


class MarkdownReader:
    name = "md"
    extensions = (".md", ".markdown")

    def read(self, path: Path, data: bytes) -> ParsedTranscript:
        text = decode_transcript(path, data)
        attributes, lines, first = split_front_matter(path, text)
        lines, headings, dropped = _strip_markup(lines, first)
        builder = parse_labelled_lines(path, lines, first)
        turns = builder.finish()
        require_turns(path, builder)
        preamble = [heading for _, heading in headings] + builder.preamble
        title = preamble[0] if preamble else None
        # The title is the first heading, else the first line of text; every other heading and line is reported.
        dropped += [DroppedText(line=number, characters=len(heading), what="a heading before the first speaker label")
                    for number, heading in headings[1:]]
        dropped += builder.preamble_not_stored(titles=0 if headings else 1)
        return ParsedTranscript(turns=turns, attributes=attributes, title=title,
                                dropped=sorted(dropped, key=lambda d: d.line or 0))
