"""Word documents that would inflate to far more than they take on disk are refused before they are inflated
(issue 11, item 9)."""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
from pathlib import Path

import docx
import pytest

from coding.errors import ReaderError
from coding.readers.docx import MAX_XML_BYTES, DocxReader
from coding.safety.zip_limits import too_big_to_inflate

MB = 1024 * 1024


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Interviewer: How did the pilot start?")
    document.add_paragraph("Ana Ruiz: Teachers asked for it.")
    document.save(buffer)
    return buffer.getvalue()


def _with_member(member: str, megabytes: int, filler: bytes = b"<!-- padding -->") -> bytes:
    """A genuine Word document whose `member` is padded (or added) to `megabytes` of highly compressible bytes
    (empty paragraphs in the issue's shape; the default, comments, keeps a document under the limit quick to parse)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx_bytes())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in source.infolist():
            if info.filename != member:
                dst.writestr(info, source.read(info))
        original = source.read(member) if member in source.namelist() else b""
        head, _, tail = original.partition(b"<w:body>")
        with dst.open(member, "w") as stream:
            stream.write(head + (b"<w:body>" if tail else b""))
            chunk = filler * (MB // len(filler))
            for _ in range(megabytes):
                stream.write(chunk)
            stream.write(tail)
    return out.getvalue()


def _read_measuring(path: Path, data: bytes) -> tuple[ReaderError, int]:
    tracemalloc.start()
    try:
        with pytest.raises(ReaderError) as caught:
            DocxReader().read(path, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return caught.value, peak


def test_a_docx_whose_xml_inflates_to_300_mb_is_refused_without_inflating_it(tmp_path: Path) -> None:
    data = _with_member("word/document.xml", 300, b"<w:p/>")
    assert len(data) < 2 * MB  # the shape from the issue: small on disk, 300 MB of XML
    error, peak = _read_measuring(tmp_path / "bomb.docx", data)
    problem = error.problems[0]
    assert problem.path == str(tmp_path / "bomb.docx")
    assert "word/document.xml" in problem.message and "MB" in problem.message and problem.hint
    assert peak < 16 * MB, f"{peak / MB:.0f} MB traced while refusing"


def test_xml_just_over_the_limit_is_refused_and_a_real_document_just_under_it_is_read(tmp_path: Path) -> None:
    over = _with_member("word/document.xml", MAX_XML_BYTES // MB + 1, b"<w:p/>")
    with pytest.raises(ReaderError, match="word/document.xml"):
        DocxReader().read(tmp_path / "over.docx", over)
    under = _with_member("word/document.xml", 4)
    parsed = DocxReader().read(tmp_path / "under.docx", under)
    assert [turn.speaker for turn in parsed.turns] == ["Interviewer", "Ana Ruiz"]


@pytest.mark.parametrize("member", ["word/styles.xml", "_rels/.rels", "customXml/item1.xml"])
def test_every_xml_part_is_capped_not_only_the_main_document(tmp_path: Path, member: str) -> None:
    data = _with_member(member, MAX_XML_BYTES // MB + 1)
    with pytest.raises(ReaderError, match=member.replace(".", r"\.")):
        DocxReader().read(tmp_path / "bomb.docx", data)


def test_a_member_that_inflates_past_its_declared_size_is_not_a_readable_document(tmp_path: Path) -> None:
    """A forged directory that declares a small size: zipfile stops at the declared size, and the CRC fails."""
    data = bytearray(_with_member("word/document.xml", 20, b"<w:p/>"))
    forged_size = 4096
    # (signature, offset of the inflated size, of the name length, of the name) in local and central headers
    for signature, size_offset, length_offset, name_offset in ((b"PK\x03\x04", 22, 26, 30),
                                                               (b"PK\x01\x02", 24, 28, 46)):
        position = data.find(signature)
        while position >= 0:
            name_length = struct.unpack_from("<H", data, position + length_offset)[0]
            name = bytes(data[position + name_offset : position + name_offset + name_length])
            if name == b"word/document.xml":
                struct.pack_into("<I", data, position + size_offset, forged_size)
            position = data.find(signature, position + 4)
    error, peak = _read_measuring(tmp_path / "forged.docx", bytes(data))
    assert "not a readable Word document" in error.problems[0].message
    assert peak < 16 * MB


def _zip(members: dict[str, int]) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, size in members.items():
            archive.writestr(name, b"\0" * size)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


def test_limits_apply_to_each_member_to_tighter_suffixes_and_to_the_total() -> None:
    archive = _zip({"a.xml": 300, "b.png": 900, "c.bin": 900})
    assert too_big_to_inflate(archive, max_member_bytes=1000, max_total_bytes=5000) is None
    assert "'b.png'" in too_big_to_inflate(archive, max_member_bytes=800, max_total_bytes=5000)
    assert "'a.xml'" in too_big_to_inflate(archive, 1000, 5000, member_limit={".xml": 200})
    total = too_big_to_inflate(archive, max_member_bytes=1000, max_total_bytes=2000)
    assert total is not None and "2,100 bytes" in total and "2,000 bytes" in total
