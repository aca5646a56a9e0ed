"""Which unit a source's selection positions count in, and converting them to character offsets.

REFI-QDA says startPosition/endPosition count characters (Unicode code points). Real exports disagree: NVivo for
Windows counts UTF-16 code units (an emoji is two), and ATLAS.ti, MAXQDA and QualCoder's "CRLF as one" option
count a CR LF line end as one character. Read the standard way, every selection after the first emoji or line end
drifts onto the wrong text. So each source is read the way that puts its selections on plausible places:

- readings that differ from plain characters only where the text has the characters they count differently
  (astral characters for UTF-16, CR LF pairs for "line end as one") are tried;
- each reading scores one point per selection boundary that falls between words (never inside a word, a surrogate
  pair or a CR LF pair), and four per selection whose `name` (the selected text, as several tools write it)
  matches the text it selects;
- the best score wins; a tie goes to the standard reading, or to the program's known habit (UTF-16 units for
  NVivo, a CR LF as one for ATLAS.ti and MAXQDA).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_CR_OF_CRLF = re.compile(r"\r(?=\n)")
NAME_MATCH_WEIGHT = 4
NAME_PREFIX = 24  # characters of a selection's name compared with its text


@dataclass(frozen=True)
class PositionReading:
    utf16: bool = False  # positions count UTF-16 code units
    crlf_as_one: bool = False  # a CR LF pair counts as one position

    @property
    def standard(self) -> bool:
        return not (self.utf16 or self.crlf_as_one)

    def describe(self) -> str:
        if self.standard:
            return "characters (the standard)"
        parts = (["UTF-16 code units"] if self.utf16 else ["characters"]) + (
            ["a CR LF line end counted as one"] if self.crlf_as_one else [])
        return ", ".join(parts)


CHARACTERS = PositionReading()


class PositionConverter:
    """Maps positions counted in one reading to character offsets of `text`."""

    def __init__(self, text: str, reading: PositionReading):
        self.text, self.reading = text, reading
        # Where the difference (index - position) changes: after each character that counts as 2 or as 0.
        self._unit_at: list[int] = []
        self._index_at: list[int] = []
        self._delta: list[int] = []
        specials: list[tuple[int, int]] = []  # (index, extra units the character counts)
        if reading.utf16:
            specials += [(m.start(), +1) for m in _ASTRAL.finditer(text)]
        if reading.crlf_as_one:
            specials += [(m.start(), -1) for m in _CR_OF_CRLF.finditer(text)]
        delta = 0  # index - position, from the breakpoint on
        for index, extra in sorted(specials):
            delta -= extra
            self._index_at.append(index + 1)
            self._unit_at.append(index + 1 - delta)
            self._delta.append(delta)
        self.length = len(text) - delta  # the text's length in this reading's units

    def to_index(self, position: int) -> int | None:
        """The character offset of `position`, or None when it lies outside the text or inside one character
        (between the halves of a surrogate pair)."""
        if not 0 <= position <= self.length:
            return None
        slot = bisect.bisect_right(self._unit_at, position) - 1
        index = position + (self._delta[slot] if slot >= 0 else 0)
        if self.reading.utf16 and self.units_before(index) != position:
            return None
        if self.reading.crlf_as_one and 0 < index < len(self.text) and self.text[index - 1:index + 1] == "\r\n":
            return index - 1  # the CR counts nothing: the position is before the line end, not inside it
        return index

    def units_before(self, index: int) -> int:
        """The position of character offset `index` in this reading (the inverse of `to_index`)."""
        slot = bisect.bisect_right(self._index_at, index) - 1
        return index - (self._delta[slot] if slot >= 0 else 0)


def _between_words(text: str, index: int) -> bool:
    if index <= 0 or index >= len(text):
        return True
    before, after = text[index - 1], text[index]
    if before == "\r" and after == "\n":
        return False
    return not (before.isalnum() and after.isalnum())


def _squeezed(text: str) -> str:
    return "".join(text.split()).casefold()


def _score(text: str, reading: PositionReading, selections: Sequence[tuple[int, int, str]]) -> int:
    converter = PositionConverter(text, reading)
    score = 0
    for start, end, name in selections:
        first, last = converter.to_index(start), converter.to_index(end)
        if first is None or last is None or first >= last:
            continue
        score += _between_words(text, first) + _between_words(text, last)
        wanted = _squeezed(name)[:NAME_PREFIX]
        if wanted and _squeezed(text[first:last])[:NAME_PREFIX] == wanted:
            score += NAME_MATCH_WEIGHT
    return score


def detect_reading(text: str, selections: Sequence[tuple[int, int, str]], origin: str = "") -> PositionReading:
    """The reading of `selections` ((start, end, name) as written) that best fits `text`; see the module doc."""
    if not selections:
        return CHARACTERS
    astral = _ASTRAL.search(text) is not None
    crlf = "\r\n" in text
    candidates = [PositionReading(utf16, crlf_as_one) for utf16 in ([False, True] if astral else [False])
                  for crlf_as_one in ([False, True] if crlf else [False])]
    if len(candidates) == 1:
        return CHARACTERS
    program = origin.casefold()
    # On a tie the program's known habit wins (the sort is stable, so the standard stays first otherwise).
    if "nvivo" in program:
        candidates.sort(key=lambda reading: not reading.utf16)
    elif "atlas" in program or "maxqda" in program:
        candidates.sort(key=lambda reading: not reading.crlf_as_one)
    best, best_score = candidates[0], -1
    for reading in candidates:
        score = _score(text, reading, selections)
        if score > best_score:
            best, best_score = reading, score
    return best
