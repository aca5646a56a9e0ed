"""Quotes that differ from the transcript only in Unicode normalisation or invisible characters are found, at the
exact offsets of the original text (issue 11, item 15)."""

from __future__ import annotations

import unicodedata

import pytest

from coding.codings.import_codings import import_codings
from coding.codings.locate import locate_quote
from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store
from coding.store import documents as doc_store

from .conftest import write_csv

SOFT_HYPHEN, ZERO_WIDTH_SPACE, BOM, WORD_JOINER, ZWJ = "\u00ad", "\u200b", "\ufeff", "\u2060", "\u200d"
SENORA = "señora Muñoz habló del café"
POLICY = "정책이 바뀌었습니다"  # Hangul: NFD splits each syllable into jamo that are not combining marks


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.mark.parametrize(
    ("transcript", "quote", "expected"),
    [
        (_nfc(f"La {SENORA}."), _nfd(SENORA), _nfc(SENORA)),
        (_nfd(f"La {SENORA}."), _nfc(SENORA), _nfd(SENORA)),
        (_nfc(f"{POLICY}. 교사들은"), _nfd(POLICY), _nfc(POLICY)),
        (f"The co{SOFT_HYPHEN}operative model worked.", "cooperative model", f"co{SOFT_HYPHEN}operative model"),
        ("The cooperative model worked.", "co" + SOFT_HYPHEN + "operative model", "cooperative model"),
        ("We met the super" + ZERO_WIDTH_SPACE + "intendent.", "the superintendent", "the super\u200bintendent"),
        ("We met the superintendent.", "the super" + ZERO_WIDTH_SPACE + "intendent", "the superintendent"),
        ("Budgets were " + BOM + "tight this year.", "were tight", "were " + BOM + "tight"),
        (BOM + "Budgets were tight.", BOM + "Budgets were", "Budgets were"),
        ("data" + WORD_JOINER + "driven and " + "team" + ZWJ + "work", "datadriven and teamwork",
         "data" + WORD_JOINER + "driven and team" + ZWJ + "work"),
        ("The ﬁnal report came late.", "final report", "ﬁnal report"),
        ("cafe\u0301 and more", "café", "cafe\u0301"),
    ],
)
def test_quotes_differing_by_normalisation_or_invisible_characters_map_to_exact_offsets(transcript, quote, expected):
    found = locate_quote(transcript, quote)
    assert found is not None, (transcript, quote)
    start, end = found
    assert transcript[start:end] == expected


def test_a_quote_ending_on_a_decomposed_letter_includes_its_accent():
    transcript = _nfd("Dijo que sí. Luego se fue.")
    start, end = locate_quote(transcript, "Dijo que sí")
    assert transcript[start:end] == _nfd("Dijo que sí")
    assert transcript[end] == "."


def test_different_letters_are_still_different():
    assert locate_quote("We met the superintendent.", "the superintendant") is None
    assert locate_quote(_nfc("El año pasado"), "El ano pasado") is None


def test_import_codings_places_an_nfd_quote_with_a_soft_hyphen_on_the_transcript_text(coded_project, tmp_path):
    quote = _nfd("We rewrote the ho" + SOFT_HYPHEN + "nor code last spring")
    path = write_csv(tmp_path, "quotes.csv", f"document,code,segment\nT1,INTEGRITY,{quote}\n")
    codebook = codebook_store.current_codebook(coded_project)[1]
    report, _ = import_codings(coded_project, path, "maxqda", codebook)
    assert (report.located, report.imported, report.problems) == (1, 1, [])
    [coding] = coding_store.current_codings(coded_project, coder="maxqda")
    text = doc_store.get_document(coded_project, "T1").text
    assert text[coding.start:coding.end] == "We rewrote the honor code last spring"
    assert coding.turn == 4
