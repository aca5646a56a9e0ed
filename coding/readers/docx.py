"""Word documents: a paragraph that starts with a label starts a turn; unlabelled paragraphs continue it."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from coding.errors import Problem, ReaderError
from coding.models import ParsedTranscript
from coding.readers.labels import is_page_marker, split_label
from coding.readers.plaintext import require_turns
from coding.readers.turns_builder import TurnBuilder
from coding.zip_limits import InflationRefused, read_within_limits

# Word's XML parts are parsed into trees ten times their size; the text of a long interview is a few megabytes.
MAX_XML_BYTES = 32 * 1024 * 1024
MAX_MEMBER_BYTES = 200 * 1024 * 1024  # embedded images and media

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph


class DocxReader:
    name = "docx"
    extensions = (".docx",)

    def read(self, path: Path, data: bytes) -> ParsedTranscript:
        import docx  # python-docx; imported here so the other readers do not pay for it
        from docx.opc.exceptions import PackageNotFoundError
        from lxml.etree import XMLSyntaxError

        if not data:
            raise ReaderError(Problem("the file is empty", path=str(path), hint="export the transcript again"))
        try:
            document = docx.Document(io.BytesIO(_inflated_within_limits(path, data)))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, XMLSyntaxError, EOFError,
                NotImplementedError, RuntimeError, zlib.error) as error:
            # RuntimeError is zipfile's "encrypted, password required"
            raise ReaderError(
                Problem(
                    f"not a readable Word document ({type(error).__name__})",
                    path=str(path),
                    hint="open it in Word or LibreOffice and save it again as .docx",
                )
            ) from None
        builder = TurnBuilder()
        turns_started = False
        for number, paragraph in enumerate(document.paragraphs, start=1):
            text = paragraph.text.replace("\u00a0", " ").replace("\r", "\n")
            if not text.strip() or is_page_marker(text):
                continue
            builder.paragraph_break()
            if _is_heading(paragraph):
                # Headings are structure, not speech: the first ones are the title, later ones section breaks.
                if not turns_started:
                    builder.add_text(" ".join(text.split()))
                continue
            first_line, _, more = text.partition("\n")
            labelled = split_label(first_line)
            if labelled is not None:
                turns_started = True
                builder.start_turn(labelled.label, number, labelled.timestamp, labelled.rest)
            else:
                builder.add_text(first_line)
            for line in more.split("\n"):
                builder.add_text(line)
        turns = builder.finish()
        require_turns(path, builder)
        title = builder.preamble[0] if builder.preamble else None
        return ParsedTranscript(turns=turns, title=title)


def _inflated_within_limits(path: Path, data: bytes) -> bytes:
    """The document re-packed uncompressed from members read within the size limits, so that python-docx never
    inflates anything itself (one unbounded read of a forged member could); a possible zip bomb is refused first."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = read_within_limits(archive, MAX_MEMBER_BYTES,
                                         member_limit={".xml": MAX_XML_BYTES, ".rels": MAX_XML_BYTES})
    except InflationRefused as refused:
        raise ReaderError(Problem(f"refused: the Word document {refused.reason}", path=str(path),
                                  hint="qcode refuses possible zip bombs; open it in Word and save it again, "
                                       "or split a very long transcript into several files")) from None
    repacked = io.BytesIO()
    with zipfile.ZipFile(repacked, "w", zipfile.ZIP_STORED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return repacked.getvalue()


def _is_heading(paragraph: Paragraph) -> bool:
    name = (getattr(paragraph.style, "name", None) or "").lower()
    return name.startswith("heading") or name in ("title", "subtitle")
