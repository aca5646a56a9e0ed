"""Which reader handles which file extension."""

from __future__ import annotations

from pathlib import Path

from coding.errors import Problem, ReaderError
from coding.readers.base import Reader
from coding.readers.docx import DocxReader
from coding.readers.markdown import MarkdownReader
from coding.readers.plaintext import PlainTextReader
from coding.readers.subrip import SubRipReader
from coding.readers.webvtt import WebVttReader

READERS: tuple[Reader, ...] = (PlainTextReader(), MarkdownReader(), WebVttReader(), SubRipReader(), DocxReader())


def supported_extensions() -> list[str]:
    return sorted(ext for reader in READERS for ext in reader.extensions)


def reader_for(path: Path) -> Reader:
    suffix = path.suffix.lower()
    for reader in READERS:
        if suffix in reader.extensions:
            return reader
    raise ReaderError(
        Problem(
            f"unsupported file type '{suffix or '(none)'}'",
            path=str(path),
            hint=f"qcode reads {', '.join(supported_extensions())}",
        )
    )
