"""Moving codings to a new version of a transcript by their text, so re-ingesting never loses work silently."""

from __future__ import annotations

from dataclasses import dataclass

from coding.codings.locate import QuoteLocator
from coding.models import Coding, Excerpt, Span, Turn


@dataclass(frozen=True)
class Placement:
    coding: Coding
    quote: str
    span: Span | None  # None: the text is no longer in the transcript


def reanchor(old_text: str, new_text: str, codings: list[Coding], turns: list[Turn],
             excerpts: list[Excerpt]) -> list[Placement]:
    """Where each coding's text now sits: the exact text nearest its old relative position, else a tolerant match."""
    locator = QuoteLocator(new_text)
    placements = []
    for coding in codings:
        quote = old_text[coding.start:coding.end]
        found = _exact_nearest(new_text, quote, coding.start / max(len(old_text), 1)) or locator.locate(quote)
        if found is None or not quote.strip():
            placements.append(Placement(coding, quote, None))
            continue
        start, end = found
        turn = next((t for t in turns if t.start <= start <= t.end), None)
        if turn is None:
            placements.append(Placement(coding, quote, None))
            continue
        excerpt = next((e.id for e in excerpts if (e.start, e.end) == (start, end)), None)
        placements.append(Placement(coding, quote, Span(document=coding.document, start=start, end=end,
                                                        turn=turn.number, excerpt_id=excerpt)))
    return placements


def _exact_nearest(text: str, quote: str, relative_position: float) -> tuple[int, int] | None:
    if not quote:
        return None
    target = relative_position * len(text)
    best = None
    position = text.find(quote)
    while position >= 0:
        if best is None or abs(position - target) < abs(best - target):
            best = position
        position = text.find(quote, position + 1)
    return None if best is None else (best, best + len(quote))
