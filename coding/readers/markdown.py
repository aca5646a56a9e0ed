"""Markdown transcripts: optional YAML front matter with document attributes, then plain-text turns."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from coding.errors import Problem, ReaderError
from coding.models import AttributeValue, ParsedTranscript
from coding.readers.encoding import decode_transcript
from coding.readers.plaintext import parse_labelled_lines, require_turns

_BOLD_LABEL = re.compile(r"^(\s*)(?:\*\*|__)([^*_:\n]{1,40}?)(?::(?:\*\*|__)|(?:\*\*|__):)")
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


class MarkdownReader:
    name = "md"
    extensions = (".md", ".markdown")

    def read(self, path: Path, data: bytes) -> ParsedTranscript:
        text = decode_transcript(path, data)
        attributes, lines, first = split_front_matter(path, text)
        # "**Interviewer:** text" and "# Title" are Markdown dressing around the same plain-text shape.
        lines = [_HEADING.sub("", _BOLD_LABEL.sub(r"\1\2:", line)) for line in lines]
        builder = parse_labelled_lines(path, lines, first)
        turns = builder.finish()
        require_turns(path, builder)
        title = builder.preamble[0] if builder.preamble else None
        return ParsedTranscript(turns=turns, attributes=attributes, title=title)
