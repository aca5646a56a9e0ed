"""Decoding transcript bytes: UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252 fallback, CRLF, junk."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from coding.errors import ReaderError
from coding.readers.encoding import decode_transcript

INTERVIEW = "Interviewer: ¿Qué tal? How's the café pilot going — really?\nDr. Núñez: It’s going well.\n"


@pytest.mark.parametrize(
    "data",
    [
        INTERVIEW.encode("utf-8"),
        codecs.BOM_UTF8 + INTERVIEW.encode("utf-8"),
        codecs.BOM_UTF16_LE + INTERVIEW.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + INTERVIEW.encode("utf-16-be"),
        INTERVIEW.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "windows-1252"],
)
def test_every_supported_encoding_decodes_to_the_same_text(data: bytes) -> None:
    assert decode_transcript(Path("x.txt"), data) == INTERVIEW


def test_byte_order_mark_does_not_end_up_in_the_first_speaker_label(read) -> None:
    parsed = read("bom.txt", codecs.BOM_UTF8 + INTERVIEW.encode("utf-8"))
    assert parsed.turns[0].speaker == "Interviewer"
    parsed16 = read("bom16.txt", INTERVIEW.encode("utf-16"))
    assert [t.speaker for t in parsed16.turns] == ["Interviewer", "Dr. Núñez"]


def test_windows_1252_smart_quotes_and_accents_survive_the_fallback(read) -> None:
    parsed = read("win.txt", INTERVIEW.encode("cp1252"))
    assert parsed.turns[1].speaker == "Dr. Núñez"
    assert parsed.turns[1].text == "It’s going well."
    assert "—" in parsed.turns[0].text


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_bare_cr_line_ends_read_like_lf(read, newline: str, two_respondents_txt) -> None:
    expected = read("lf.txt", two_respondents_txt)
    parsed = read("crlf.txt", two_respondents_txt.replace("\n", newline))
    assert parsed == expected
    assert not any("\r" in t.text for t in parsed.turns)


def test_utf16_with_bom_and_crlf_reads_captions_too(read) -> None:
    vtt = "WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\nInterviewer: Hi.\r\n"
    parsed = read("teams.vtt", vtt.encode("utf-16"))
    assert [(t.speaker, t.text) for t in parsed.turns] == [("Interviewer", "Hi.")]


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\r\n\t", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\r\n", codecs.BOM_UTF16_LE, "\n \n".encode("utf-16")],
    ids=["empty", "whitespace", "utf8-bom-only", "utf8-bom-newline", "utf16-bom-only", "utf16-whitespace"],
)
def test_empty_file_is_reported_as_empty_naming_the_file(data: bytes) -> None:
    with pytest.raises(ReaderError) as caught:
        decode_transcript(Path("blank.txt"), data)
    problem = caught.value.problems[0]
    assert problem.path == "blank.txt"
    assert "empty" in problem.message


def test_file_with_nul_bytes_is_reported_as_binary() -> None:
    with pytest.raises(ReaderError) as caught:
        decode_transcript(Path("photo.txt"), b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(64))
    assert "binary" in caught.value.problems[0].message
    assert caught.value.problems[0].path == "photo.txt"


def test_utf16_without_bom_is_not_mistaken_for_text() -> None:
    with pytest.raises(ReaderError):
        decode_transcript(Path("nobom.txt"), INTERVIEW.encode("utf-16-le"))


def test_bytes_undefined_in_windows_1252_are_reported_with_their_line() -> None:
    data = b"Interviewer: fine\nDr. Lee: also fine\nDr. Lee: bad \x81\x8d byte\n"
    with pytest.raises(ReaderError) as caught:
        decode_transcript(Path("odd.txt"), data)
    problem = caught.value.problems[0]
    assert problem.line == 3
    assert "cannot be decoded" in problem.message


def test_text_full_of_control_characters_is_not_readable_text() -> None:
    with pytest.raises(ReaderError, match="readable text"):
        decode_transcript(Path("junk.txt"), bytes(range(1, 9)) * 50 + b"Interviewer: hi\n")


def test_broken_utf16_is_reported_not_raised_as_unicode_error() -> None:
    with pytest.raises(ReaderError) as caught:
        decode_transcript(Path("cut.txt"), codecs.BOM_UTF16_LE + "Interviewer: hi".encode("utf-16-le") + b"\x00\xd8")
    assert "utf-16" in caught.value.problems[0].message
