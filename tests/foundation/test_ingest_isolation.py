"""A folder ingest never stops at one file, and a turn of any length is segmented (issue 11, item 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coding.cli.main import app
from coding.models import SegmenterSettings
from coding.transcripts.segment import chunk_bounds, segment_turns, sentence_spans
from coding.store import ProjectStore
from coding.store import documents as doc_store
from pipelines import ingest as ingest_pipeline
from pipelines.ingest import ingest_paths

runner = CliRunner()
# ~1,000 characters a sentence keeps a 1.1 MB turn to about a thousand sentences, so the test stays quick.
LONG_SENTENCE = "The pilot " + "went on and on " * 65 + "until the board met again. "


def _long_turn_transcript(characters: int) -> str:
    return "Interviewer: Tell me everything.\n\nDr. Lee: " + LONG_SENTENCE * (characters // len(LONG_SENTENCE) + 1)


@pytest.mark.parametrize(
    ("text", "limit", "pieces"),
    [
        ("one two three four five six", 100, ["one two three four five six"]),
        ("Aaaa bbbb.\nCccc dddd. Eeee ffff gggg", 20, ["Aaaa bbbb.\n", "Cccc dddd. Eeee ", "ffff gggg"]),
        ("Aaaa bbbb cccc. Dddd eeee ffff gggg", 20, ["Aaaa bbbb cccc. ", "Dddd eeee ffff gggg"]),
        ("aaaa bbbb cccc dddd eeee ffff", 12, ["aaaa bbbb ", "cccc dddd ", "eeee ffff"]),
        ("x" * 25, 10, ["x" * 10, "x" * 10, "x" * 5]),
        ("", 10, [""]),
    ],
)
def test_long_text_is_cut_at_a_line_sentence_or_word_boundary_and_the_pieces_cover_it(text, limit, pieces) -> None:
    bounds = chunk_bounds(text, limit)
    assert [text[start:end] for start, end in bounds] == pieces
    assert all(end - start <= limit for start, end in bounds)
    assert "".join(text[start:end] for start, end in bounds) == text


def test_sentences_found_piece_by_piece_point_at_the_same_text_as_without_pieces() -> None:
    text = " ".join(f"Sentence number {n} is here." for n in range(300))
    whole = sentence_spans([text], "blank:en")[0]
    pieced = sentence_spans([text], "blank:en", chunk_characters=500)[0]
    assert [text[a:b] for a, b in pieced] == [text[a:b] for a, b in whole]
    assert pieced == whole


def test_a_turn_over_a_million_characters_is_segmented_with_offsets_kept(
    store: ProjectStore, write, assert_offsets_consistent
) -> None:
    path = write("LONG.txt", _long_turn_transcript(1_100_000))
    report = ingest_paths(store, [path])
    [outcome] = report.files
    assert outcome.status == "added", outcome.problems
    document = doc_store.get_document(store, "LONG")
    turns = doc_store.get_turns(store, "LONG")
    excerpts = doc_store.get_excerpts(store, "LONG")
    assert len(turns[1].text) > 1_000_000
    assert_offsets_consistent(document, turns, excerpts)
    covered = "".join(e.text for e in excerpts).replace(" ", "")
    assert covered == turns[1].text.replace(" ", "")  # every sentence of the turn is in exactly one excerpt


def test_segmenting_more_than_spacys_limit_in_one_call_works(assert_offsets_consistent) -> None:
    from tests.foundation.test_segment import _render

    document, turns = _render([("Dr. Lee", LONG_SENTENCE * 1100)])
    assert len(turns[0].text) > 1_000_000
    excerpts = segment_turns(turns, SegmenterSettings())
    assert_offsets_consistent(document, turns, excerpts)
    assert excerpts[-1].end == turns[0].start + len(turns[0].text.rstrip())


def test_a_folder_with_a_huge_turn_first_still_ingests_every_file(tmp_path: Path, write, two_respondents_txt) -> None:
    db = tmp_path / "p.duckdb"
    folder = tmp_path / "interviews"
    write("A01.txt", _long_turn_transcript(1_050_000), folder)
    write("B02.txt", two_respondents_txt, folder)
    assert runner.invoke(app, ["init", "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0, result.output
    assert "A01: added" in result.output and "B02: added" in result.output
    assert "2 of 2 files ingested" in result.output


def test_a_file_failing_unexpectedly_is_its_own_error_line_and_the_rest_of_the_folder_goes_on(
    tmp_path: Path, write, two_respondents_txt, monkeypatch
) -> None:
    """Fault injection: segmentation of A01 dies the way a bug or an exhausted memory would."""
    real_segment = ingest_pipeline.segment_turns

    def failing_for_a01(turns, settings):
        turns = list(turns)
        if turns and turns[0].document == "A01":
            raise MemoryError()
        return real_segment(turns, settings)

    monkeypatch.setattr(ingest_pipeline, "segment_turns", failing_for_a01)
    db = tmp_path / "p.duckdb"
    folder = tmp_path / "interviews"
    for name in ("A01.txt", "B02.txt", "C03.txt"):
        write(name, two_respondents_txt, folder)
    assert runner.invoke(app, ["init", "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "A01.txt" in errors[0] and "MemoryError" in errors[0], result.output
    assert "B02: added" in result.output and "C03: added" in result.output
    assert "2 of 3 files ingested" in result.output
    listed = runner.invoke(app, ["transcripts", "--json", "--db", str(db)])
    assert sorted(row["document"] for row in json.loads(listed.stdout)) == ["B02", "C03"]
