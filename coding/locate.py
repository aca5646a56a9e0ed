"""Finding a quoted segment in a stored transcript, as MAXQDA and ATLAS.ti export coded segments.

Exported quotes differ from our stored text in whitespace and line breaks, curly vs straight quotes and dashes,
and page markers from PDF exports. Both sides are normalised the same way, matched, and the match is mapped back to
character offsets in the stored text.
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


def _normalise(text: str, keep_punctuation: bool) -> tuple[str, list[int]]:
    """Folded text and, for each of its characters, the index in `text` it came from."""
    out: list[str] = []
    index: list[int] = []
    pending_space = False
    for position, raw in enumerate(text):
        for char in unicodedata.normalize("NFKC", raw.translate(_FOLD)).casefold():
            if char.isspace() or (not keep_punctuation and not char.isalnum()):
                pending_space = bool(out)
                continue
            if pending_space:
                out.append(" ")
                index.append(position)
                pending_space = False
            out.append(char)
            index.append(position)
    return "".join(out), index


def clean_quote(quote: str) -> str:
    return _PAGE_MARKER_LINE.sub(" ", quote).strip()


class QuoteLocator:
    """Locates quotes in one stored text; the normalised forms of the text are computed once."""

    def __init__(self, text: str):
        self.text = text
        self._normalised: dict[bool, tuple[str, list[int]]] = {}

    def _haystack(self, keep_punctuation: bool) -> tuple[str, list[int]]:
        if keep_punctuation not in self._normalised:
            self._normalised[keep_punctuation] = _normalise(self.text, keep_punctuation)
        return self._normalised[keep_punctuation]

    def locate(self, quote: str) -> tuple[int, int] | None:
        """(start, end) of `quote` in the text, tolerant of whitespace, quotes, dashes, case and page markers."""
        quote = clean_quote(quote)
        for keep_punctuation in (True, False):
            needle, _ = _normalise(quote, keep_punctuation)
            if not needle:
                continue
            haystack, index = self._haystack(keep_punctuation)
            found = haystack.find(needle)
            if found >= 0:
                return index[found], index[found + len(needle) - 1] + 1
        return None


def locate_quote(text: str, quote: str) -> tuple[int, int] | None:
    return QuoteLocator(text).locate(quote)
