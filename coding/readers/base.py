"""The interface every transcript reader implements."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from coding.models import ParsedTranscript


class Reader(Protocol):
    """Turns one transcript file into speaker turns.

    `read` raises `coding.errors.ReaderError` naming the file (and line) for input it cannot use.
    """

    name: str
    extensions: tuple[str, ...]

    def read(self, path: Path, data: bytes) -> ParsedTranscript: ...
