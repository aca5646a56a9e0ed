"""The REFI-QDA `<Codes>` element <-> `Codebook`, shared by .qdc codebooks and .qdpx projects.

Both formats nest `<Code guid name isCodable color>` elements, each with an optional `<Description>`, under
`<Codes>`; only the namespace differs (codebook:1.0, the older ATLAS.ti codebook:0:4, project:1.0). REFI-QDA codes
have names but no ids, so an imported code gets an id made from its name (Health care -> HEALTH_CARE), unless its
GUID matches a code of a `known` codebook, whose id it then keeps (that is how a codebook exported from qcode and
edited in another tool comes back with the ids its codings use), or the file says which id it had (a qcode export).

REFI-QDA has no fields for include/exclude rules and examples either, so they are written into the Description
after the definition, under lines "Include:", "Exclude:", "Examples:", "Counterexamples:" with one "- " item per
line, which other programs show as text and qcode reads back into the fields. Codes that have children are not for
coding in qcode (coders pick leaves), so they are written isCodable="false" unless told which codes carry codings.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Collection, Mapping
from typing import Any

from coding.codebook.ids import code_id_from_name, unique_code_id
from coding.codebook.model import CODE_ID_PATTERN, COLOR_PATTERN, GUID_PATTERN, Code, Codebook
from coding.codebook.structure import normalize_guid
from coding.errors import CodebookError, Problem

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
CODEBOOK_NS_ATLAS_0_4 = "urn:QDA-XML:codebook:0:4"  # still written by some ATLAS.ti versions; read only
PROJECT_NS = "urn:QDA-XML:project:1.0"
# Spellings other programs write (a colon for the dot, as in the 0:4 namespace); read only.
CODEBOOK_NS_VARIANTS = ("urn:QDA-XML:codebook:1:0",)
PROJECT_NS_VARIANTS = ("urn:QDA-XML:project:1:0",)
CODEBOOK_NAMESPACES = (CODEBOOK_NS, CODEBOOK_NS_ATLAS_0_4, *CODEBOOK_NS_VARIANTS, "")
READABLE_NAMESPACES = (*CODEBOOK_NAMESPACES, PROJECT_NS, *PROJECT_NS_VARIANTS)
# Description sections holding what REFI-QDA has no field for, in the order they are written.
RULE_SECTIONS = (("Include:", "include"), ("Exclude:", "exclude"), ("Examples:", "examples"),
                 ("Counterexamples:", "counterexamples"))
_SECTION_FIELDS = dict(RULE_SECTIONS)

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


def description_text(code: Code) -> str:
    """The Description written for `code`: its definition, then its rules and examples (see the module doc)."""
    parts = [code.definition] if code.definition else []
    for header, field_name in RULE_SECTIONS:
        items = getattr(code, field_name)
        if items:
            parts.append("\n".join([header, *(f"- {item}" for item in items)]))
    return "\n\n".join(parts)


def split_description(text: str) -> dict[str, Any]:
    """definition, include, exclude, examples and counterexamples from a Description `description_text` wrote;
    a Description without those section lines is all definition."""
    lines = text.replace("\r\n", "\n").split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip() in _SECTION_FIELDS), None)
    if first is None:
        return {"definition": text.strip()}
    fields: dict[str, Any] = {"definition": "\n".join(lines[:first]).strip()}
    items: list[str] | None = None
    for line in lines[first:]:
        header = line.strip()
        if header in _SECTION_FIELDS:
            items = fields.setdefault(_SECTION_FIELDS[header], [])
        elif line.startswith("- "):
            items.append(line[2:])
        elif line.strip() and items:
            items[-1] += "\n" + line  # a rule that runs over several lines
        elif line.strip():
            items.append(line.strip())
    return {name: tuple(value) if isinstance(value, list) else value for name, value in fields.items()}


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
    ids_by_guid: Mapping[str, str] | None = None,
) -> Codebook:
    """A `Codebook` from a REFI-QDA `<Codes>` (or `<CodeBook>`) element, keeping the hierarchy and each GUID.

    Codes whose GUID matches a code in `known` keep that code's id; the others get the id `ids_by_guid` gives
    for their (normalised) GUID when it is a valid id not yet taken, else ids made from their names, never
    clashing with an id of `known`. Problems (a code without a name) raise one `CodebookError`.
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
        carried = (ids_by_guid or {}).get(normalize_guid(guids[position])) if guids[position] else None
        if match is not None:
            code_id = match.id
        elif carried and re.fullmatch(CODE_ID_PATTERN, carried) and carried not in taken:
            code_id = carried
        else:
            code_id = unique_code_id(code_id_from_name(code_name), taken)
        taken.add(code_id)
        ids.append(code_id)
        codes.append(
            Code(
                id=code_id,
                name=code_name,
                parent=ids[parent] if parent is not None else None,
                **split_description(_description(element)),
                color=_color(element.get("color")),
                guid=guids[position],
            )
        )
    if problems:
        raise CodebookError(problems)
    title = name or (known.name if known else None) or DEFAULT_IMPORT_NAME
    return Codebook(name=title, version=version, codes=tuple(codes))


def refi_codes_element(codebook: Codebook, namespace: str = "", coded: Collection[str] = ()) -> ET.Element:
    """A `<Codes>` element holding the codebook as nested `<Code>` elements (depth-first order, Description
    before child codes as the schema requires). Leaves, and parents whose id is in `coded` (they carry codings,
    say from an import), are codable; other parents are not.

    With the default `namespace=""` the tags are unqualified: append the element to a root that declares
    `xmlns="urn:QDA-XML:..."` itself (xml.etree cannot serialize a default namespace with unqualified attributes).
    """
    prefix = f"{{{namespace}}}" if namespace else ""
    codes_element = ET.Element(f"{prefix}Codes")
    elements: dict[str, ET.Element] = {}
    parents = {c.parent for c in codebook.codes if c.parent}
    for code in codebook.depth_first():
        parent = elements[code.parent] if code.parent else codes_element
        codable = code.id not in parents or code.id in coded
        attributes = {"guid": code_guid(code), "name": code.name, "isCodable": "true" if codable else "false"}
        if code.color:
            attributes["color"] = code.color
        element = ET.SubElement(parent, f"{prefix}Code", attributes)
        description = description_text(code)
        if description:
            ET.SubElement(element, f"{prefix}Description").text = description
        elements[code.id] = element
    return codes_element
