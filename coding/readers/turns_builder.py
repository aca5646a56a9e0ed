"""Accumulates labelled lines and their continuations into speaker turns (shared by the text-like readers)."""

from __future__ import annotations

from dataclasses import dataclass, field

from coding.models import DroppedText, ParsedTurn


@dataclass
class _OpenTurn:
    speaker: str
    source_line: int
    start_time: float | None
    paragraphs: list[list[str]] = field(default_factory=list)
    paragraph_break: bool = True


class TurnBuilder:
    """Wrapped lines of one paragraph are joined with a space; paragraphs of one turn are kept apart with "\\n"."""

    def __init__(self) -> None:
        self.turns: list[ParsedTurn] = []
        self.preamble: list[str] = []  # lines before the first turn
        # The same lines as paragraphs, each with the line it starts on, for reporting what is not stored.
        self.preamble_paragraphs: list[tuple[int | None, list[str]]] = []
        self._preamble_break = True
        self._open: _OpenTurn | None = None

    def start_turn(self, speaker: str, source_line: int, start_time: float | None, first_text: str) -> None:
        self._close()
        self._open = _OpenTurn(speaker=speaker, source_line=source_line, start_time=start_time)
        if first_text:
            self.add_text(first_text)

    def add_text(self, text: str, line: int | None = None) -> None:
        text = text.strip()
        if not text:
            return
        if self._open is None:
            self.preamble.append(text)
            if self._preamble_break or not self.preamble_paragraphs:
                self.preamble_paragraphs.append((line, []))
                self._preamble_break = False
            self.preamble_paragraphs[-1][1].append(text)
            return
        if self._open.paragraph_break or not self._open.paragraphs:
            self._open.paragraphs.append([text])
            self._open.paragraph_break = False
        else:
            self._open.paragraphs[-1].append(text)

    @property
    def open_turn_is_empty(self) -> bool:
        """A turn has been started and has no text yet."""
        return self._open is not None and not self._open.paragraphs

    def paragraph_break(self) -> None:
        if self._open is not None:
            self._open.paragraph_break = True
        else:
            self._preamble_break = True

    def preamble_not_stored(self, titles: int = 1) -> list[DroppedText]:
        """The preamble less its first `titles` lines (what readers keep as the title), one entry a paragraph."""
        dropped: list[DroppedText] = []
        for line, lines in self.preamble_paragraphs:
            kept = min(titles, len(lines))
            titles -= kept
            rest = lines[kept:]
            if rest:
                dropped.append(DroppedText(line=None if line is None else line + kept, characters=len(" ".join(rest)),
                                           what="text before the first speaker label"))
        return dropped

    def finish(self) -> list[ParsedTurn]:
        self._close()
        return self.turns

    def _close(self) -> None:
        if self._open is None:
            return
        text = "\n".join(" ".join(lines) for lines in self._open.paragraphs)
        self.turns.append(
            ParsedTurn(
                speaker=self._open.speaker,
                text=text,
                source_line=self._open.source_line,
                start_time=self._open.start_time,
            )
        )
        self._open = None
