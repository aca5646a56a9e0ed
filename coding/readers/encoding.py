"""Decoding transcript bytes: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1252 fallback."""

from __future__ import annotations

import codecs
from pathlib import Path

from coding.errors import Problem, ReaderError


def decode_transcript(path: Path, data: bytes) -> str:
    """Return the text with a BOM removed and every line end as "\\n"."""
    if not data.strip():
        raise _empty(path)
    if data.startswith(codecs.BOM_UTF8):
        text = _decode(path, data[3:], "utf-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(path, data, "utf-16")
    else:
        if b"\x00" in data:
            raise ReaderError(
                Problem(
                    "the file looks binary (it contains NUL bytes), not a text transcript",
                    path=str(path),
                    hint="save it as plain text (UTF-8) or use a .docx/.vtt/.srt export",
                )
            )
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Word and older Windows tools save "ANSI" text; cp1252 is what that means for English transcripts.
            text = _decode(path, data, "cp1252")
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(BREAKS_AS_SPACES)
    if not text.strip():  # a byte order mark and nothing else (Notepad's "empty" UTF-8/UTF-16 file)
        raise _empty(path)
    if _looks_binary(text):
        raise ReaderError(
            Problem(
                "the file does not decode to readable text",
                path=str(path),
                hint="save it as plain text (UTF-8) or use a .docx/.vtt/.srt export",
            )
        )
    return text


# Vertical tab (Word's manual line break in text exports), form feed (a page break), the information separators and
# Unicode's line and paragraph separators separate words but are invisible on screen and dropped by exports, which
# would join the words around them: they become spaces (not line breaks, so line numbers stay those of an editor).
BREAKS_AS_SPACES = str.maketrans({char: " " for char in "\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029"})


def _empty(path: Path) -> ReaderError:
    return ReaderError(Problem("the file is empty", path=str(path), hint="export the transcript again"))


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ReaderError(
            Problem(
                f"the file cannot be decoded as {encoding} (byte {error.start})",
                path=str(path),
                line=line,
                hint="save it as UTF-8",
            )
        ) from None


def _looks_binary(text: str) -> bool:
    sample = text[:20000]
    if not sample:
        return False
    control = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\t\f\v")
    return control / len(sample) > 0.02
