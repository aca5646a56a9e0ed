"""A REFI-QDA text source as a transcript, and mapping its selections onto qcode's stored text.

Parsing uses the plain-text reader's label logic (`split_label`): a line starting with "Name:" opens a turn; the
lines before the first label are the title. Unlike the file reader, every line break inside a turn is kept as a
paragraph break and no line is dropped as a page marker, so no coded text is lost and a source exported by qcode
renders back to exactly the same text. A source with no labels becomes one turn by "Unknown".

Our stored text is re-rendered, so a selection's offsets in the source are mapped onto it: exactly when the two
texts are the same apart from whitespace (the usual case), else by finding the selected text near where it was
(ignoring whitespace), else with `QuoteLocator` (tolerant of quotes, dashes and case).
"""

from __future__ import annotations

import bisect
import re

from coding.locate import QuoteLocator
from coding.models import ParsedTranscript, ParsedTurn
from coding.readers.labels import split_label
from coding.readers.turns_builder import TurnBuilder

UNKNOWN_SPEAKER = "Unknown"
_SPACE = re.compile(r"\s")


def parse_source_text(text: str) -> ParsedTranscript:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    builder = TurnBuilder()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            builder.paragraph_break()
            continue
        labelled = split_label(line)
        if labelled is not None:
            builder.start_turn(labelled.label, number, labelled.timestamp, labelled.rest)
        else:
            builder.paragraph_break()  # keep the source's line breaks: a line is a paragraph
            builder.add_text(line)
    turns = builder.finish()
    if not turns:
        body = "\n".join(line.strip() for line in lines if line.strip())
        return ParsedTranscript(turns=[ParsedTurn(speaker=UNKNOWN_SPEAKER, text=body, source_line=1)])
    title = "\n".join(builder.preamble) or None
    return ParsedTranscript(turns=turns, title=title)


def _visible(text: str) -> tuple[str, list[int]]:
    """The text without whitespace, and for each of its characters the offset it came from."""
    index = [i for i, ch in enumerate(text) if not _SPACE.match(ch)]
    return "".join(text[i] for i in index), index


class SpanMapper:
    """Maps (start, end) in a source text to (start, end) in the stored text, or None when not found."""

    def __init__(self, source: str, stored: str):
        self.source, self.stored = source, stored
        self._source_visible, self._source_index = _visible(source)
        self._stored_visible, self._stored_index = _visible(stored)
        self.same_text = self._source_visible == self._stored_visible
        self._locator: QuoteLocator | None = None

    def _visible_range(self, start: int, end: int) -> tuple[int, int]:
        first = bisect.bisect_left(self._source_index, start)
        last = bisect.bisect_left(self._source_index, end)
        return first, last  # visible characters first..last-1 lie in [start, end)

    def _stored_span(self, first: int, last: int) -> tuple[int, int]:
        return self._stored_index[first], self._stored_index[last - 1] + 1

    def map(self, start: int, end: int) -> tuple[int, int] | None:
        first, last = self._visible_range(start, end)
        if first >= last:
            return None  # only whitespace selected
        if self.same_text:
            return self._stored_span(first, last)
        needle = self._source_visible[first:last]
        expected = first * len(self._stored_visible) / max(len(self._source_visible), 1)
        best: int | None = None
        found = self._stored_visible.find(needle)
        while found >= 0:
            if best is None or abs(found - expected) < abs(best - expected):
                best = found
            found = self._stored_visible.find(needle, found + 1)
        if best is not None:
            return self._stored_span(best, best + len(needle))
        if self._locator is None:
            self._locator = QuoteLocator(self.stored)
        return self._locator.locate(self.source[start:end])
