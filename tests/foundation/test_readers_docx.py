"""Word documents: labelled paragraphs start turns (label often bold), unlabelled paragraphs continue them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from coding.errors import ReaderError
from coding.readers.docx import DocxReader


def _labelled(document, label: str, text: str, bold: bool = True) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}:").bold = bold
    paragraph.add_run(f" {text}")


def _interview_docx(path: Path, heading: str = "District leaders and AI study, interview D21") -> Path:
    document = docx.Document()
    document.add_heading(heading, level=1)
    document.add_paragraph("Note: transcript prepared for the research team; names removed.")
    _labelled(document, "Q", "Thank you for making the time. Is recording all right?")
    _labelled(document, "SUPERINTENDENT KOWALCZYK", "That's fine, go ahead.")
    _labelled(document, "Q", "How is AI showing up in the district?")
    _labelled(document, "SUPERINTENDENT KOWALCZYK", "Depends who you ask, honestly.", bold=False)
    document.add_paragraph("Our teachers are curious. Our board is nervous.")
    document.add_paragraph("2")  # a page number left behind by a PDF round trip
    paragraph = document.add_paragraph("Some principals have banned it.")
    paragraph.add_run().add_break()
    paragraph.add_run("Others encourage it.")
    _labelled(document, "Dr. Brennan", "I'd add one thing. We wrote guidance in the spring.")
    document.save(path)
    return path


def _read(path: Path):
    return DocxReader().read(path, path.read_bytes())


def test_paragraphs_with_a_bold_or_plain_label_start_turns(tmp_path: Path) -> None:
    parsed = _read(_interview_docx(tmp_path / "D21.docx"))
    assert [t.speaker for t in parsed.turns] == [
        "Q", "SUPERINTENDENT KOWALCZYK", "Q", "SUPERINTENDENT KOWALCZYK", "Dr. Brennan",
    ]
    assert parsed.turns[1].text == "That's fine, go ahead."


def test_unlabelled_paragraphs_continue_the_turn_as_new_paragraphs_and_line_breaks_join_lines(
    tmp_path: Path,
) -> None:
    turn = _read(_interview_docx(tmp_path / "D21.docx")).turns[3]
    assert turn.text.split("\n") == [
        "Depends who you ask, honestly.",
        "Our teachers are curious. Our board is nervous.",
        "Some principals have banned it. Others encourage it.",
    ]


def test_page_number_paragraphs_are_dropped(tmp_path: Path) -> None:
    turn = _read(_interview_docx(tmp_path / "D21.docx")).turns[3]
    assert "\n2\n" not in turn.text and not turn.text.startswith("2")


def test_heading_is_the_title_and_the_note_paragraph_is_not_a_turn(tmp_path: Path) -> None:
    parsed = _read(_interview_docx(tmp_path / "D21.docx"))
    assert parsed.title == "District leaders and AI study, interview D21"
    assert all("transcript prepared" not in t.text for t in parsed.turns)
    assert "Note" not in {t.speaker for t in parsed.turns}


def test_a_heading_with_a_colon_is_the_title_not_a_speaker(tmp_path: Path) -> None:
    parsed = _read(_interview_docx(tmp_path / "D21.docx", heading="Interview 21: Superintendent"))
    assert parsed.title == "Interview 21: Superintendent"
    assert parsed.turns[0].speaker == "Q"
    assert len(parsed.turns) == 5


def test_a_section_heading_between_turns_is_not_spoken_text(tmp_path: Path) -> None:
    document = docx.Document()
    _labelled(document, "Interviewer", "First question?")
    document.add_heading("Part 2", level=2)
    _labelled(document, "Dr. Lee", "An answer.")
    document.save(tmp_path / "x.docx")
    parsed = _read(tmp_path / "x.docx")
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Interviewer", "First question?"), ("Dr. Lee", "An answer."),
    ]


def test_source_line_is_the_paragraph_number_of_the_label(tmp_path: Path) -> None:
    path = _interview_docx(tmp_path / "D21.docx")
    paragraphs = docx.Document(str(path)).paragraphs
    for turn in _read(path).turns:
        assert paragraphs[turn.source_line - 1].text.startswith(f"{turn.speaker}:")


def test_file_that_is_not_a_word_document_is_a_reader_error_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(ReaderError) as caught:
        _read(path)
    problem = caught.value.problems[0]
    assert problem.path.endswith("fake.docx")
    assert "not a readable Word document" in problem.message
    assert problem.hint


@pytest.mark.parametrize("kind", ["zip-without-word-parts", "spreadsheet", "broken-xml"])
def test_zip_files_that_are_not_word_documents_are_reader_errors(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.docx"
    if kind == "spreadsheet":
        import openpyxl

        openpyxl.Workbook().save(path)
    else:
        with zipfile.ZipFile(path, "w") as archive:
            if kind == "broken-xml":
                archive.writestr("[Content_Types].xml", "<Types unclosed")
            else:
                archive.writestr("notes.txt", "Interviewer: hi")
    with pytest.raises(ReaderError) as caught:
        _read(path)
    assert caught.value.problems[0].path == str(path)
    assert "not a readable Word document" in caught.value.problems[0].message


def test_empty_docx_file_is_a_reader_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    with pytest.raises(ReaderError, match="empty"):
        _read(path)


def test_word_document_without_labels_is_a_reader_error(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Meeting notes about the AI pilot.")
    document.add_paragraph("Nobody is quoted here.")
    document.save(tmp_path / "notes.docx")
    with pytest.raises(ReaderError, match="no speaker labels"):
        _read(tmp_path / "notes.docx")
