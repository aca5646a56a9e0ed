"""Word documents: a paragraph that starts with a label starts a turn; unlabelled paragraphs continue it."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from coding.errors import Problem, ReaderError
from coding.models import DroppedText, ParsedTranscript
from coding.readers.encoding import BREAKS_AS_SPACES
from coding.readers.labels import is_page_marker, lowercase_speakers, split_label
from coding.readers.plaintext import require_turns
from coding.readers.turns_builder import TurnBuilder
from coding.safety.zip_limits import InflationRefused, read_within_limits

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
        paragraphs, dropped = _body_paragraphs(document)
        first_lines = [_paragraph_text(p).partition("\n")[0] for _, p in paragraphs if not _is_heading(p)]
        speakers = lowercase_speakers(first_lines)
        builder = TurnBuilder()
        turns_started = False
        for number, paragraph in paragraphs:
            boxed = " ".join("".join(t.text or "" for t in _TEXT_BOX_TEXTS(paragraph._p)).split())
            if boxed:
                dropped.append(DroppedText(line=number, characters=len(boxed), what="a text box",
                                           hint="move the text box's text into the document's paragraphs and "
                                                "ingest the file again"))
            text = _paragraph_text(paragraph)
            if not text.strip() or is_page_marker(text):
                continue
            builder.paragraph_break()
            if _is_heading(paragraph):
                # Headings are structure, not speech: the first ones are the title, later ones section breaks.
                if not turns_started:
                    builder.add_text(" ".join(text.split()), number)
                else:
                    dropped.append(DroppedText(line=number, characters=len(" ".join(text.split())),
                                               what="a heading between turns"))
                continue
            first_line, _, more = text.partition("\n")
            labelled = split_label(first_line, speakers)
            if labelled is not None:
                turns_started = True
                builder.start_turn(labelled.label, number, labelled.timestamp, labelled.rest)
            else:
                builder.add_text(first_line, number)
            for line in more.split("\n"):
                builder.add_text(line, number)
        turns = builder.finish()
        require_turns(path, builder)
        title = builder.preamble[0] if builder.preamble else None
        dropped = sorted(builder.preamble_not_stored() + dropped, key=lambda d: d.line or 0)
        return ParsedTranscript(turns=turns, title=title, dropped=dropped)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006"}

# Everything a paragraph shows, in order: runs inside hyperlinks, fields, content controls, smart tags and tracked
# insertions included (python-docx's `paragraph.text` skips all of those); deleted or moved-away text and text boxes
# (their own paragraphs) excluded, and so are the alternative copies Word keeps for old readers.
_SHOWN = (
    "./*[not(self::w:pPr)]//*[self::w:t or self::w:tab or self::w:ptab or self::w:br or self::w:cr "
    "or self::w:noBreakHyphen][not(ancestor::w:del or ancestor::w:moveFrom or ancestor::w:txbxContent "
    "or ancestor::mc:Fallback)]"
)
# lxml's own XPath: python-docx's `xpath` knows no "mc" prefix.
_SHOWN_ELEMENTS = etree.XPath(_SHOWN, namespaces=_NS)
_BODY_BLOCKS = etree.XPath("./w:p | ./w:tbl | ./w:sdt/w:sdtContent/w:p | ./w:sdt/w:sdtContent/w:tbl", namespaces=_NS)
_TEXTS = etree.XPath(".//w:t", namespaces=_NS)
_TEXT_BOX_TEXTS = etree.XPath(".//w:txbxContent[not(ancestor::mc:Fallback)]//w:t", namespaces=_NS)
_BREAKS = {"tab": "\t", "ptab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}


def _paragraph_text(paragraph: Paragraph) -> str:
    """The paragraph's text with every break as a line break: python-docx gives page and column breaks as "",
    which would join the words on either side."""
    parts = []
    for element in _SHOWN_ELEMENTS(paragraph._p):
        name = element.tag.rpartition("}")[2]
        parts.append(element.text or "" if name == "t" else _BREAKS[name])
    return "".join(parts).replace("\u00a0", " ").replace("\r", "\n").translate(BREAKS_AS_SPACES)


def _body_paragraphs(document) -> tuple[list[tuple[int, Paragraph]], list[DroppedText]]:
    """The body's paragraphs numbered from 1 (those inside content controls too), and the tables, which qcode does
    not read, as text not stored."""
    from docx.text.paragraph import Paragraph

    paragraphs: list[tuple[int, Paragraph]] = []
    dropped: list[DroppedText] = []
    body = document.element.body
    for element in _BODY_BLOCKS(body):
        if element.tag == f"{{{_W}}}p":
            paragraphs.append((len(paragraphs) + 1, Paragraph(element, document._body)))
            continue
        text = " ".join("".join(t.text or "" for t in _TEXTS(element)).split())
        if text:
            dropped.append(DroppedText(line=len(paragraphs) + 1, characters=len(text),
                                       what="a table (qcode reads paragraphs, not tables)",
                                       hint="convert the table to text in Word (Table > Convert to Text) and "
                                            "ingest the file again"))
    return paragraphs, dropped


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
