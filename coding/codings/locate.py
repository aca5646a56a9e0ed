"""Finding a quoted segment in a stored transcript, as MAXQDA and ATLAS.ti export coded segments.

Exported quotes differ from our stored text in whitespace and line breaks, curly vs straight quotes and dashes,
page markers from PDF exports, Unicode normalisation (macOS tools write NFD) and invisible characters (zero-width
spaces, soft hyphens, a byte order mark) inside words. Both sides are normalised the same way, matched, and the match
is mapped back to character offsets in the stored text.
"""

from __future__ import annotations

import re
import unicodedata

_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\u2026": "...",
})
_PAGE_MARKER_LINE = re.compile(r"(?m)^\s*(?:\d{1,4}\s*/\s*\d{1,4}|page\s+\d+(?:\s+of\s+\d+)?)\s*$", re.IGNORECASE)


# Invisible characters that exports and editors insert inside words (zero-width space and joiners, word joiner,
# byte order mark, soft hyphen): matched as if absent, on both sides.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")


def _joins_previous(char: str) -> bool:
    """Combining marks, and the Hangul vowel and final jamo that NFD splits a syllable into, belong to the character
    before them: normalising them apart would never compose "e" + U+0301 into "é"."""
    code = ord(char)
    return bool(unicodedata.combining(char)) or 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FF


def _clusters(text: str):
    """(start, end) of each base character with its combining marks; invisible characters belong to none."""
    start = None
    for position, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        if start is not None and _joins_previous(char) and position == end:
            end = position + 1
            continue
        if start is not None:
            yield start, end
        start, end = position, position + 1
    if start is not None:
        yield start, end


def _normalise(text: str, keep_punctuation: bool) -> tuple[str, list[int], list[int]]:
    """Folded text (NFKC, case-folded, whitespace collapsed, invisible characters dropped) and, for each of its
    characters, the start and end in `text` of the characters it came from."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pending_space = False
    for start, end in _clusters(text):
        for char in unicodedata.normalize("NFKC", text[start:end].translate(_FOLD)).casefold():
            if char.isspace() or (not keep_punctuation and not char.isalnum()):
                pending_space = bool(out)
                continue
            if pending_space:
                out.append(" ")
                starts.append(start)
                ends.append(start)
                pending_space = False
            out.append(char)
            starts.append(start)
            ends.append(end)
    return "".join(out), starts, ends


def clean_quote(quote: str) -> str:
    return _PAGE_MARKER_LINE.sub(" ", quote).strip()


class QuoteLocator:
    """Locates quotes in one stored text; the normalised forms of the text are computed once."""

    def __init__(self, text: str):
        self.text = text
        self._normalised: dict[bool, tuple[str, list[int], list[int]]] = {}

    def _haystack(self, keep_punctuation: bool) -> tuple[str, list[int], list[int]]:
        if keep_punctuation not in self._normalised:
            self._normalised[keep_punctuation] = _normalise(self.text, keep_punctuation)
        return self._normalised[keep_punctuation]

    def locate(self, quote: str) -> tuple[int, int] | None:
        """(start, end) of `quote` in the text, tolerant of whitespace, quotes, dashes, case, page markers, Unicode
        normalisation (NFC/NFD, compatibility forms) and invisible characters inside words; the offsets are exact
        positions in the original text."""
        quote = clean_quote(quote)
        for keep_punctuation in (True, False):
            needle, _, _ = _normalise(quote, keep_punctuation)
            if not needle:
                continue
            haystack, starts, ends = self._haystack(keep_punctuation)
            found = haystack.find(needle)
            if found >= 0:
                return starts[found], ends[found + len(needle) - 1]
        return None


def locate_quote(text: str, quote: str) -> tuple[int, int] | None:
    return QuoteLocator(text).locate(quote)
