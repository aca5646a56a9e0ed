"""The REFI-QDA `<Codes>` element <-> `Codebook`, shared by .qdc codebooks and .qdpx projects.

Both formats nest `<Code guid name isCodable color>` elements, each with an optional `<Description>`, under
`<Codes>`; only the namespace differs (codebook:1.0, the older ATLAS.ti codebook:0:4, project:1.0). REFI-QDA codes
have names but no ids, so an imported code gets an id made from its name (Health care -> HEALTH_CARE), unless its
GUID matches a code of a `known` codebook, whose id it then keeps: that is how a codebook exported from qcode and
edited in another tool comes back with the ids its codings use.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from typing import Any

from coding.codebook.ids import code_id_from_name, unique_code_id
from coding.codebook.model import COLOR_PATTERN, GUID_PATTERN, Code, Codebook
from coding.codebook.structure import normalize_guid
from coding.errors import CodebookError, Problem

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
CODEBOOK_NS_ATLAS_0_4 = "urn:QDA-XML:codebook:0:4"  # still written by some ATLAS.ti versions; read only
PROJECT_NS = "urn:QDA-XML:project:1.0"
READABLE_NAMESPACES = (CODEBOOK_NS, CODEBOOK_NS_ATLAS_0_4, PROJECT_NS, "")

# Fixed forever: GUIDs of exported codes are uuid5(this, code id), so re-exports give each code the same GUID.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:qcode:codebook:code")
DEFAULT_IMPORT_NAME = "Imported codebook"

# Works on xml.etree and lxml elements alike: only .tag, .get, iteration and .itertext are used.
XmlElement = Any


def split_tag(tag: object) -> tuple[str, str] | None:
    """'{urn:x}Code' -> ('urn:x', 'Code'); None for comments and processing instructions."""
    if not isinstance(tag, str):
        return None
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local
    return "", tag


def local_name(element: XmlElement) -> str | None:
    parts = split_tag(element.tag)
    return parts[1] if parts else None


def child_elements(element: XmlElement, name: str) -> list[XmlElement]:
    return [child for child in element if local_name(child) == name]


def derived_guid(code_id: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, code_id)).upper()


def code_guid(code: Code) -> str:
    """The GUID a code is exported with: the one it was imported with, else one derived from its id."""
    return code.guid or derived_guid(code.id)


def _color(value: str | None) -> str | None:
    """REFI-QDA allows #rgb and #rrggbb; we keep #rrggbb in lower case and drop anything else."""
    value = (value or "").strip()
    if re.fullmatch(r"#[0-9A-Fa-f]{3}", value):
        value = "#" + "".join(ch * 2 for ch in value[1:])
    return value.lower() if re.fullmatch(COLOR_PATTERN, value) else None


def _description(element: XmlElement) -> str:
    described = child_elements(element, "Description")
    if described:
        return "".join(described[0].itertext()).strip()
    return (element.get("description") or "").strip()  # some exporters write an attribute instead


def _pre_order(codes_element: XmlElement) -> list[tuple[XmlElement, int | None]]:
    """Every Code element with the position of its parent in this list; iterative, as nesting is unbounded."""
    items: list[tuple[XmlElement, int | None]] = []
    stack = [(child, None) for child in reversed(child_elements(codes_element, "Code"))]
    while stack:
        element, parent = stack.pop()
        position = len(items)
        items.append((element, parent))
        stack.extend((child, position) for child in reversed(child_elements(element, "Code")))
    return items


def codebook_from_refi_codes(
    codes_element: XmlElement,
    *,
    name: str | None = None,
    version: int = 1,
    source_name: str | None = None,
    known: Codebook | None = None,
) -> Codebook:
    """A `Codebook` from a REFI-QDA `<Codes>` (or `<CodeBook>`) element, keeping the hierarchy and each GUID.

    Codes whose GUID matches a code in `known` keep that code's id; the others get ids made from their names,
    never clashing with an id of `known`. Problems (a code without a name) raise one `CodebookError`.
    """
    if local_name(codes_element) == "CodeBook":
        inner = child_elements(codes_element, "Codes")
        codes_element = inner[0] if inner else codes_element
    known_by_guid = {normalize_guid(code_guid(c)): c for c in known.codes} if known else {}
    taken: set[str] = set(known.ids()) if known else set()

    problems: list[Problem] = []
    items = _pre_order(codes_element)
    matched: list[Code | None] = []
    guids: list[str | None] = []
    seen_guids: set[str] = set()
    for element, _ in items:
        raw_guid = (element.get("guid") or "").strip()
        guid = raw_guid if re.fullmatch(GUID_PATTERN, raw_guid) else None
        if guid is not None and normalize_guid(guid) in seen_guids:
            guid = None  # a repeated GUID cannot identify two codes; drop it and let export derive a new one
        if guid is not None:
            seen_guids.add(normalize_guid(guid))
        match = known_by_guid.get(normalize_guid(guid)) if guid else None
        matched.append(match)
        guids.append(match.guid if match else guid)

    ids: list[str] = []
    codes: list[Code] = []
    for position, (element, parent) in enumerate(items):
        code_name = (element.get("name") or "").strip()
        if not code_name:
            where = f"with guid {element.get('guid')}" if element.get("guid") else f"number {position + 1}"
            problems.append(
                Problem(
                    f"Code element {where} has no name",
                    path=source_name,
                    hint="give the code a name in the program that exported the file and export again",
                )
            )
            code_name = "?"
        match = matched[position]
        if match is not None:
            code_id = match.id
        else:
            code_id = unique_code_id(code_id_from_name(code_name), taken)
        taken.add(code_id)
        ids.append(code_id)
        codes.append(
            Code(
                id=code_id,
                name=code_name,
                parent=ids[parent] if parent is not None else None,
                definition=_description(element),
                color=_color(element.get("color")),
                guid=guids[position],
            )
        )
    if problems:
        raise CodebookError(problems)
    title = name or (known.name if known else None) or DEFAULT_IMPORT_NAME
    return Codebook(name=title, version=version, codes=tuple(codes))


def refi_codes_element(codebook: Codebook, namespace: str = "") -> ET.Element:
    """A `<Codes>` element holding the codebook as nested `<Code>` elements (depth-first order, Description
    before child codes as the schema requires). Include/exclude rules and examples have no place in REFI-QDA and
    are not written.

    With the default `namespace=""` the tags are unqualified: append the element to a root that declares
    `xmlns="urn:QDA-XML:..."` itself (xml.etree cannot serialize a default namespace with unqualified attributes).
    """
    prefix = f"{{{namespace}}}" if namespace else ""
    codes_element = ET.Element(f"{prefix}Codes")
    elements: dict[str, ET.Element] = {}
    for code in codebook.depth_first():
        parent = elements[code.parent] if code.parent else codes_element
        attributes = {"guid": code_guid(code), "name": code.name, "isCodable": "true"}
        if code.color:
            attributes["color"] = code.color
        element = ET.SubElement(parent, f"{prefix}Code", attributes)
        if code.definition:
            ET.SubElement(element, f"{prefix}Description").text = code.definition
        elements[code.id] = element
    return codes_element
