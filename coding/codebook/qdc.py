"""REFI-QDA codebook files (.qdc): the exchange format ATLAS.ti, MAXQDA, NVivo, QualCoder and others read and write.

XML from other programs is parsed with defusedxml and any DOCTYPE is refused: a codebook never needs one, and DTD
entities are how "billion laughs" (memory exhaustion) and external-entity (local file disclosure) attacks work.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as SafeET

from coding.codebook.model import Codebook
from coding.codebook.refi_codes import (
    CODEBOOK_NAMESPACES,
    CODEBOOK_NS,
    PROJECT_NS,
    child_elements,
    codebook_from_refi_codes,
    refi_codes_element,
    split_tag,
)
from coding.errors import CodebookError, Problem
from coding.safety.outputs import write_output

DEFAULT_SOURCE_NAME = "codebook.qdc"


def parse_refi_xml(data: bytes, source_name: str) -> ET.Element:
    """Parse REFI-QDA XML safely (no DTD, no entities, no external references); `CodebookError` if unusable."""
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        message = "contains a DOCTYPE declaration, which qcode refuses in REFI-QDA files"
    except defusedxml.EntitiesForbidden:
        message = "declares XML entities, which qcode refuses in REFI-QDA files"
    except defusedxml.ExternalReferenceForbidden:
        message = "refers to external files or URLs, which qcode refuses in REFI-QDA files"
    except ET.ParseError as error:
        line = error.position[0] if error.position else None
        raise CodebookError(
            Problem(
                f"is not well-formed XML ({error})",
                path=source_name,
                line=line,
                hint="check that this is the .qdc file your QDA program exported, not a renamed file",
            )
        ) from None
    raise CodebookError(
        Problem(
            message,
            path=source_name,
            hint="genuine REFI-QDA exports never need a DTD or entities; export the codebook again",
        )
    )


def read_qdc(
    source: str | os.PathLike[str] | bytes,
    *,
    source_name: str | None = None,
    name: str | None = None,
    known: Codebook | None = None,
) -> Codebook:
    """Read a .qdc file (path) or its bytes into a `Codebook`, keeping the hierarchy, colours and GUIDs.

    Descriptions become definitions; ids are made from names, except for codes whose GUID matches a code of
    `known` (see `codebook_from_refi_codes`). The codebook is named `name`, else `known`'s name, else after the
    file. Rules and examples come back from the Description (see `coding.codebook.refi_codes`). Sets (code groups)
    are not kept: qcode has no code groups.
    """
    if isinstance(source, bytes):
        data = source
        source_name = source_name or DEFAULT_SOURCE_NAME
        default_name = None
    else:
        source_name = source_name or str(source)
        default_name = Path(source).stem
        try:
            data = Path(source).read_bytes()
        except FileNotFoundError:
            raise CodebookError(Problem("file not found", path=source_name, hint="check the path")) from None
        except IsADirectoryError:
            raise CodebookError(Problem("is a folder, not a .qdc file", path=source_name)) from None

    root = parse_refi_xml(data, source_name)
    parts = split_tag(root.tag) or ("", "")
    if parts[1] != "CodeBook" or parts[0] not in CODEBOOK_NAMESPACES:
        hint = "a REFI-QDA codebook starts with <CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\">"
        if parts == (PROJECT_NS, "Project"):
            hint = "this is a REFI-QDA project; import the .qdpx project instead"
        shown = f"<{parts[1]}> in namespace {parts[0]}" if parts[0] else f"<{parts[1]}> without a namespace"
        raise CodebookError(
            Problem(f"is not a REFI-QDA codebook: the root element is {shown}", path=source_name, hint=hint)
        )
    codes = child_elements(root, "Codes")
    if not codes:
        raise CodebookError(
            Problem("has no <Codes> element", path=source_name, hint="export the codebook again with its codes")
        )
    title = name or (known.name if known else None) or default_name
    return codebook_from_refi_codes(codes[0], name=title, source_name=source_name, known=known)


def write_qdc(codebook: Codebook, *, origin: str = "qcode") -> bytes:
    """A REFI-QDA 1.0 codebook (UTF-8 XML). Codes keep their GUIDs; codes without one get a GUID derived from
    their id, the same on every export. Rules and examples go into each Description; parents are not codable."""
    if not codebook.codes:
        raise CodebookError(
            Problem(
                f"codebook '{codebook.name}' has no codes",
                hint="REFI-QDA codebooks need at least one code; add codes before exporting",
            )
        )
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": origin})
    root.append(refi_codes_element(codebook))
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def save_qdc(codebook: Codebook, path: str | os.PathLike[str], *, origin: str = "qcode") -> Path:
    return write_output(Path(path), write_qdc(codebook, origin=origin))
