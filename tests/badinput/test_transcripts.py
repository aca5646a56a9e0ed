"""Bad transcripts given to `qcode ingest`: each is refused (or read) with a located line, never a traceback."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.badinput.conftest import assert_refused


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _added_rows(outcome, document: str) -> None:
    """Only this document's rows (and its version) may appear; nothing else in the project moves."""
    assert outcome.changed <= {"documents", "document_versions", "turns", "excerpts"}, outcome.changed
    assert any(row[0] == document for row in outcome.after["documents"])
    for table in outcome.changed:
        new_rows = set(outcome.after[table]) - set(outcome.before[table])
        assert set(outcome.before[table]) <= set(outcome.after[table]), table
        assert all(document in row for row in new_rows), table


def test_binary_file_is_refused_with_its_name(run, tmp_path):
    path = _write(tmp_path, "binary.txt", bytes(range(256)) * 40)
    errors = assert_refused(run("ingest", path), path)
    assert any("binary" in line for line in errors)


def test_whitespace_only_file_is_refused_as_empty(run, tmp_path):
    path = _write(tmp_path, "blank.txt", "  \n\n \t\n")
    errors = assert_refused(run("ingest", path), path)
    assert any("empty" in line for line in errors)


def test_zero_byte_file_is_refused_as_empty(run, tmp_path):
    path = _write(tmp_path, "zero.txt", b"")
    errors = assert_refused(run("ingest", path), path)
    assert any("empty" in line for line in errors)


def test_fifty_megabyte_file_is_refused_before_it_is_read(run, tmp_path):
    path = tmp_path / "huge.txt"
    block = ("Respondent: " + "the pilot went well and the budget held. " * 20 + "\n\n").encode()
    with path.open("wb") as handle:
        for _ in range(50 * 1024 * 1024 // len(block) + 1):
            handle.write(block)
    assert path.stat().st_size >= 50 * 1024 * 1024
    errors = assert_refused(run("ingest", path), path)
    assert any("MB" in line for line in errors)


def test_nul_bytes_inside_text_are_refused(run, tmp_path):
    path = _write(tmp_path, "nul.txt", b"Dr. Rivera: We started\x00 a pilot.\n")
    errors = assert_refused(run("ingest", path), path)
    assert any("NUL" in line for line in errors)


def test_invalid_utf8_is_read_as_windows_1252_and_only_that_document_is_added(run, tmp_path):
    path = _write(tmp_path, "latin.txt", b"Dr. Rivera: The caf\xe9 budget \x93held\x94.\n")
    outcome = run("ingest", path)
    assert outcome.exit_code == 0, outcome.output
    _added_rows(outcome, "latin")
    text = next(row for row in outcome.after["documents"] if row[0] == "latin")
    assert "café" in str(text) and "“held”" in str(text)


def test_undecodable_utf16_names_the_line(run, tmp_path):
    path = _write(tmp_path, "broken16.txt", b"\xff\xfe" + "Dr. Rivera: ok\n".encode("utf-16-le") + b"\x00\xd8")
    assert_refused(run("ingest", path), path, where=":")


def test_mixed_line_ends_are_read_as_one_transcript(run, tmp_path):
    path = _write(tmp_path, "mixed.txt",
                  b"Interviewer: Hello?\r\n\r\nDr. Rivera: We started a pilot.\rIt went well.\n\n"
                  b"Interviewer: Thanks.\r\n")
    outcome = run("ingest", path)
    assert outcome.exit_code == 0, outcome.output
    _added_rows(outcome, "mixed")
    turns = [row for row in outcome.after["turns"] if row[0] == "mixed"]
    assert len(turns) == 3


def test_vtt_with_broken_timings_names_the_line(run, tmp_path):
    path = _write(tmp_path, "broken.vtt",
                  "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nAna: Hello there.\n\n"
                  "2\n00:00:xx.000 --> banana\nBen: This cue has no real time.\n")
    outcome = run("ingest", path)
    assert_refused(outcome, path, where=f"{path}:")


def test_srt_without_cue_numbers_is_read_cue_by_cue(run, tmp_path):
    path = _write(tmp_path, "nonumbers.srt",
                  "00:00:01,000 --> 00:00:03,000\nAna: We started a pilot.\n\n"
                  "00:00:04,000 --> 00:00:06,000\nBen: The budget worried us.\n")
    outcome = run("ingest", path)
    assert outcome.exit_code == 0, outcome.output
    _added_rows(outcome, "nonumbers")
    assert len([row for row in outcome.after["turns"] if row[0] == "nonumbers"]) == 2


def test_srt_with_a_broken_timing_line_names_the_line(run, tmp_path):
    path = _write(tmp_path, "badtime.srt",
                  "1\n00:00:01,000 --> 00:00:03,000\nAna: We started a pilot.\n\n"
                  "2\n00:00:04 -> later\nBen: The budget worried us.\n")
    errors = assert_refused(run("ingest", path), path, where=f"{path}:5")
    assert any("-->" in line for line in errors)


def test_docx_that_is_a_zip_of_garbage_is_refused(run, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", b"\x89garbage<<<not xml")
        archive.writestr("junk.bin", bytes(range(256)))
    path = _write(tmp_path, "garbage.docx", buffer.getvalue())
    assert_refused(run("ingest", path), path)


def test_docx_that_is_not_a_zip_at_all_is_refused(run, tmp_path):
    path = _write(tmp_path, "notzip.docx", b"PK\x03\x04 but not really a zip file")
    assert_refused(run("ingest", path), path)


def test_transcript_without_speaker_labels_is_refused_with_a_hint(run, tmp_path):
    path = _write(tmp_path, "nolabels.txt",
                  "We talked about the pilot for a while.\n\nThen the budget came up and nobody was happy.\n")
    assert_refused(run("ingest", path), path)


def test_ten_thousand_speakers_are_ingested_as_ten_thousand_turns(run, tmp_path):
    lines = "".join(f"Speaker {n}: I said thing number {n}.\n\n" for n in range(10_000))
    path = _write(tmp_path, "crowd.txt", lines)
    outcome = run("ingest", path)
    assert outcome.exit_code == 0, outcome.output
    _added_rows(outcome, "crowd")
    assert len([row for row in outcome.after["turns"] if row[0] == "crowd"]) == 10_000


def test_unsupported_extension_is_refused(run, tmp_path):
    path = _write(tmp_path, "notes.pdf", b"%PDF-1.4 not a transcript")
    assert_refused(run("ingest", path), path)


def test_missing_path_is_refused(run, tmp_path):
    path = tmp_path / "nowhere.txt"
    assert_refused(run("ingest", path), path)


def test_docx_zip_bomb_is_refused_naming_the_member_and_later_files_are_still_ingested(run, tmp_path):
    from tests.foundation.test_docx_zip_bombs import _with_member

    folder = tmp_path / "mixed"
    folder.mkdir()
    bomb = _write(folder, "A_bomb.docx", _with_member("word/document.xml", 40, b"<w:p/>"))
    _write(folder, "B_good.txt", "Interviewer: Hello?\n\nDr. Rivera: We started a pilot.\n")
    outcome = run("ingest", folder)
    assert outcome.exit_code == 1, outcome.output
    errors = outcome.problem_lines("error:")
    assert len(errors) == 1 and str(bomb) in errors[0] and "word/document.xml" in errors[0], outcome.output
    assert "B_good: added" in outcome.output
    _added_rows(outcome, "B_good")


def _document_text(outcome, document: str) -> str:
    row = next(row for row in outcome.after["documents"] if row[0] == document)
    return next(value for value in row if isinstance(value, str) and "Interviewer" in value)


def test_captions_before_the_first_speaker_are_a_warning_line_with_line_and_size(run, tmp_path):
    path = _write(tmp_path, "early.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nSorry, is this on?\n\n"
                                          "00:00:03.000 --> 00:00:04.000\nInterviewer: Welcome.\n")
    outcome = run("ingest", path)
    assert outcome.exit_code == 0, outcome.output
    _added_rows(outcome, "early")
    warnings = outcome.problem_lines("warning:")
    assert len(warnings) == 1 and f"{path}:3: 18 characters in no turn" in warnings[0], outcome.output


def test_lowercase_and_device_labelled_cues_are_not_merged_into_the_interviewer(run, tmp_path):
    path = _write(tmp_path, "zoom.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nInterviewer: How did it go?\n\n"
                                         "00:00:03.000 --> 00:00:04.000\nana ruiz: Fine.\n\n"
                                         "00:00:05.000 --> 00:00:06.000\niPhone de Ana: Perdón.\n")
    outcome = run("ingest", path)
    assert outcome.exit_code == 0, outcome.output
    speakers = [row for row in outcome.after["turns"] if row[0] == "zoom"]
    assert [row[2] for row in sorted(speakers, key=lambda r: r[1])] == ["Interviewer", "ana ruiz", "iPhone de Ana"]


def test_control_breaks_inside_a_turn_leave_the_words_apart(run, tmp_path):
    path = _write(tmp_path, "vt.txt", "Interviewer: Hello?\n\nDr. Rivera: We started\va pilot\fin the fall.\n")
    outcome = run("ingest", path)
    assert outcome.exit_code == 0, outcome.output
    assert "We started a pilot in the fall." in _document_text(outcome, "vt")


def test_a_word_table_is_a_warning_line_and_the_paragraphs_are_ingested(run, tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Interviewer: Hello?")
    document.add_table(rows=1, cols=2).cell(0, 1).text = "Dr. Rivera said this in a table."
    document.add_paragraph("Dr. Rivera: We started a pilot.")
    path = tmp_path / "table.docx"
    document.save(path)
    outcome = run("ingest", path)
    assert outcome.exit_code == 0, outcome.output
    _added_rows(outcome, "table")
    [warning] = outcome.problem_lines("warning:")
    assert f"{path}:2:" in warning and "table" in warning and "Convert to Text" in warning


def test_a_turn_over_a_million_characters_is_ingested(run, tmp_path):
    answer = "We kept going with the pilot and the budget held up well. " * 18_000
    assert len(answer) > 1_000_000
    path = _write(tmp_path, "long.txt", f"Interviewer: Tell me everything.\n\nDr. Rivera: {answer}\n")
    outcome = run("ingest", path)
    assert outcome.exit_code == 0, outcome.output
    _added_rows(outcome, "long")


def test_a_path_too_long_for_the_file_system_is_an_error_line_and_the_other_files_go_on(run, tmp_path):
    too_long = tmp_path / ("a" * 300 + ".txt")
    good = _write(tmp_path, "short.txt", "Interviewer: Hello?\n\nDr. Rivera: Fine.\n")
    outcome = run("ingest", too_long, good)
    assert outcome.exit_code == 1, outcome.output
    [error] = outcome.problem_lines("error:")
    assert "a" * 300 in error and "cannot read this path" in error
    _added_rows(outcome, "short")


def test_a_metadata_path_too_long_for_the_file_system_is_an_error_line(run, tmp_path):
    good = _write(tmp_path, "short.txt", "Interviewer: Hello?\n\nDr. Rivera: Fine.\n")
    outcome = run("ingest", good, "--metadata", tmp_path / ("m" * 300 + ".csv"))
    [error] = outcome.problem_lines("error:")
    assert "m" * 300 in error and "cannot read the metadata file" in error
    _added_rows(outcome, "short")
