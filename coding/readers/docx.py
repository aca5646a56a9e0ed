"""Word documents: a paragraph that starts with a label starts a turn; unlabelled paragraphs continue it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from coding.errors import Problem, ReaderError
from coding.models import ParsedTranscript
from coding.readers.labels import is_page_marker, split_label
from coding.readers.plaintext import require_turns
from coding.readers.turns_builder import TurnBuilder


class DocxReader:
    name = "docx"
    extensions = (".docx",)

    def read(self, path: Path, data: bytes) -> ParsedTranscript:
        import docx  # python-docx; imported here so the other readers do not pay for it
        from docx.opc.exceptions import PackageNotFoundError

        if not data:
            raise ReaderError(Problem("the file is empty", path=str(path), hint="export the transcript again"))
        try:
            document = docx.Document(io.BytesIO(data))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
            raise ReaderError(
                Problem(
                    f"not a readable Word document ({type(error).__name__})",
                    path=str(path),
                    hint="open it in Word or LibreOffice and save it again as .docx",
                )
            ) from None
        builder = TurnBuilder()
        for number, paragraph in enumerate(document.paragraphs, start=1):
            text = paragraph.text.replace("\u00a0", " ").replace("\r", "\n")
            if not text.strip() or is_page_marker(text):
                continue
            builder.paragraph_break()
            first_line, _, more = text.partition("\n")
            labelled = split_label(first_line)
            if labelled is not None:
                builder.start_turn(labelled.label, number, labelled.timestamp, labelled.rest)
            else:
                builder.add_text(first_line)
            for line in more.split("\n"):
                builder.add_text(line)
        turns = builder.finish()
        require_turns(path, builder)
        title = builder.preamble[0] if builder.preamble else None
        return ParsedTranscript(turns=turns, title=title)
