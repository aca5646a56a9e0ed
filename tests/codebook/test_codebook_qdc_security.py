"""Hostile or broken XML never gets past the parser: DTDs, entities and non-XML give a CodebookError."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from coding.codebook import read_qdc
from coding.errors import CodebookError

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
  <Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="&lol9;" isCodable="true"/>
</Codes></CodeBook>
"""


def xxe(target: Path) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE CodeBook [<!ENTITY secret SYSTEM "file://{target}">]>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
  <Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="leak" isCodable="true">
    <Description>&secret;</Description>
  </Code>
</Codes></CodeBook>
""".encode()


def test_billion_laughs_is_refused_quickly_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "laughs.qdc"
    path.write_bytes(BILLION_LAUGHS)
    started = time.perf_counter()
    with pytest.raises(CodebookError) as caught:
        read_qdc(path)
    assert time.perf_counter() - started < 1.0
    assert caught.value.problems[0].path == str(path)
    assert "DOCTYPE" in str(caught.value)


def test_external_entity_is_refused_and_nothing_is_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    with pytest.raises(CodebookError) as caught:
        read_qdc(xxe(secret), source_name="xxe.qdc")
    assert caught.value.problems[0].path == "xxe.qdc"
    assert "TOP-SECRET" not in str(caught.value)


def test_any_doctype_is_refused() -> None:
    with pytest.raises(CodebookError, match="DOCTYPE"):
        read_qdc(b'<!DOCTYPE CodeBook><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')


@pytest.mark.parametrize(
    "data",
    [b"name: not xml\n", b"\x89PNG\r\n\x1a\n\x00\x00", b"<CodeBook><Codes></CodeBook>", b""],
    ids=["yaml", "binary", "unclosed", "empty"],
)
def test_non_xml_is_a_codebook_error_naming_the_file(data: bytes) -> None:
    with pytest.raises(CodebookError) as caught:
        read_qdc(data, source_name="broken.qdc")
    problem = caught.value.problems[0]
    assert problem.path == "broken.qdc"
    assert "not well-formed XML" in problem.message
    assert caught.value.__cause__ is None


def test_very_deep_nesting_does_not_exhaust_the_stack() -> None:
    depth = 3000
    opening = "".join(
        f'<Code guid="00000000-0000-0000-0000-{n:012d}" name="level {n}" isCodable="true">' for n in range(depth)
    )
    data = f'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>{opening}{"</Code>" * depth}</Codes></CodeBook>'
    codebook = read_qdc(data.encode())
    deepest = codebook.codes[-1].id
    assert codebook.depth(deepest) == depth - 1
    assert len(codebook.leaves()) == 1
