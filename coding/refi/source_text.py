"""A REFI-QDA text source as a transcript, and mapping its selections onto qcode's stored text.

REFI sources are often not interviews: field notes, documents, survey answers, papers, comment threads. So speaker
labels ("Name:" at a line start, recognised by the readers' `split_label`) only open turns when the source shows
evidence of a dialogue: labelled lines often change speaker from one to the next (comment threads repeat video
titles such as "Koronavírus: ..." but rarely change "speaker"), and either two labels recur or an interviewer label
is among them. Otherwise, and for any text before the first turn, the text is kept as one unlabelled block (a turn
by "Unknown") that can be coded: no line is dropped, and a line break is kept as a paragraph break.

Because the parser knows where every kept line came from, a `SourceLayout` maps a selection's source offsets onto
the stored text exactly (no searching, so repeated text cannot mislead it). `SpanMapper` is for a source matched to
a document the project already holds, whose text was rendered elsewhere: it maps through the text without
whitespace, else searches near the expected place, else uses `QuoteLocator`.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from coding.codings.locate import QuoteLocator
from coding.models import ParsedTranscript, ParsedTurn, Turn
from coding.readers.labels import LabelledLine, SpeakerRoles, normalise_label, split_label

UNKNOWN_SPEAKER = "Unknown"
MIN_SPEAKER_CHANGE_SHARE = 0.3  # of successive labelled lines, in a dialogue (comment threads: 0.13)
_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|\Z)")
_SPACE = re.compile(r"\s")


@dataclass(frozen=True)
class SourceLine:
    number: int  # 1-based line number in the source
    offset: int  # where `text` starts in the source
    text: str  # the line without its line end


def source_lines(text: str) -> list[SourceLine]:
    lines: list[SourceLine] = []
    for number, match in enumerate(_LINE.finditer(text), start=1):
        if match.start() == len(text) and not match.group(0) and lines:
            break  # the empty match after a final line end
        lines.append(SourceLine(number, match.start(1), match.group(1)))
    return lines


def is_dialogue(labels: list[str], roles: SpeakerRoles) -> bool:
    """Whether the labelled lines (in order) read as a dialogue rather than headings or fields that happen to
    end with a colon; see the module doc."""
    keys = [normalise_label(label) for label in labels]
    if len(set(keys)) < 2:
        return False
    changes = sum(a != b for a, b in zip(keys, keys[1:]))
    if changes < MIN_SPEAKER_CHANGE_SHARE * (len(keys) - 1):
        return False
    recurring = [key for key, count in Counter(keys).items() if count >= 2]
    return len(recurring) >= 2 or any(roles.is_interviewer(label) for label in labels)


@dataclass
class _Block:
    speaker: str
    source_line: int
    start_time: float | None = None
    pieces: list[tuple[int, str]] = field(default_factory=list)  # (source offset, text) per kept line


@dataclass
class ParsedSource:
    transcript: ParsedTranscript
    pieces: list[list[tuple[int, str]]]  # per turn: (source offset, text) of each paragraph, in order
    dialogue: bool


def parse_source_text(text: str, roles: SpeakerRoles | None = None) -> ParsedSource:
    roles = roles or SpeakerRoles()
    lines = source_lines(text)
    labelled: dict[int, LabelledLine] = {}
    for line in lines:
        found = split_label(line.text)
        # The utterance must be the line's own tail, so that its offsets in the source are known.
        if found is not None and line.text.rstrip().endswith(found.rest):
            labelled[line.number] = found
    dialogue = is_dialogue([labelled[n].label for n in sorted(labelled)], roles)
    blocks: list[_Block] = []
    for line in lines:
        found = labelled.get(line.number) if dialogue else None
        if found is not None:
            blocks.append(_Block(found.label, line.number, found.timestamp))
            content, offset = found.rest, line.offset + len(line.text.rstrip()) - len(found.rest)
        else:
            content = line.text.strip()
            offset = line.offset + len(line.text) - len(line.text.lstrip())
        if not content:
            continue
        if not blocks:
            blocks.append(_Block(UNKNOWN_SPEAKER, line.number))
        blocks[-1].pieces.append((offset, content))
    if not blocks:
        blocks.append(_Block(UNKNOWN_SPEAKER, 1))
    turns = [ParsedTurn(speaker=block.speaker, text="\n".join(piece for _, piece in block.pieces),
                        source_line=block.source_line, start_time=block.start_time) for block in blocks]
    return ParsedSource(ParsedTranscript(turns=turns), [block.pieces for block in blocks], dialogue)


class SourceLayout:
    """Maps (start, end) in a source text to (start, end) in the text rendered from its parse, exactly: a
    position inside a dropped part (a label, blank lines, indentation) moves to the nearest kept text inside
    the selection."""

    def __init__(self, parsed: ParsedSource, turns: list[Turn]):
        self._source: list[int] = []
        self._stored: list[int] = []
        self._length: list[int] = []
        for turn, pieces in zip(turns, parsed.pieces):
            position = turn.start
            for offset, piece in pieces:
                self._source.append(offset)
                self._stored.append(position)
                self._length.append(len(piece))
                position += len(piece) + 1  # paragraphs are joined by "\n"

    def map(self, start: int, end: int) -> tuple[int, int] | None:
        first = bisect.bisect_right(self._source, start) - 1
        if first < 0 or start >= self._source[first] + self._length[first]:
            first += 1  # starts in dropped text: from the next kept piece on
            if first >= len(self._source):
                return None
            start = self._source[first]
        last = bisect.bisect_left(self._source, end) - 1
        if last < 0:
            return None
        end = min(end, self._source[last] + self._length[last])
        if last < first or (last == first and end <= start):
            return None
        mapped_start = self._stored[first] + start - self._source[first]
        mapped_end = self._stored[last] + end - self._source[last]
        return (mapped_start, mapped_end) if mapped_start < mapped_end else None


class IdentityLayout:
    """The stored text is the source text itself (a source qcode exported, with its structure)."""

    def __init__(self, length: int):
        self.length = length

    def map(self, start: int, end: int) -> tuple[int, int] | None:
        start, end = max(start, 0), min(end, self.length)
        return (start, end) if start < end else None


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
