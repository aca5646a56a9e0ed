"""Writing a REFI-QDA project (.qdpx): project.qde plus the transcripts as UTF-8 text files in sources/.

The project holds Users (one per coder), the codebook with its hierarchy (rules and examples in each Description,
see `coding.codebook.refi_codes`), Variables, and a TextSource per document whose plain text is the stored
transcript text ("internal://<guid>.txt"). A document's attributes are written twice, as the standard allows: as
VariableValues of its TextSource (QualCoder reads only these, or unnamed Cases with a single SourceRef) and on one
named Case per document holding its SourceRef (NVivo, ATLAS.ti and MAXQDA read cases). The source folder is
`sources/`, lowercase as the standard names it (ATLAS.ti rejects "Sources/"). Every coding is a PlainTextSelection
with one Coding; `qcode-structure.json` carries what REFI-QDA cannot (turns, code ids; see `structure`). Memos are
Notes (title as name, Markdown text as PlainTextContent, author and times as creating and modifying user and time)
with a NoteRef on what they are about: the Project, a TextSource, a Code, or the Coding of a coded selection; a memo
on a theme has no REFI object to hang on, so its target travels in the structure file.

REFI-QDA positions count characters (Unicode code points) from 0, the end position being one past the last selected
character: exactly Python's string offsets, which is what qcode stores, so positions are written unchanged (after
pseudonymisation they are mapped onto the pseudonymised text). Another program's counting is the importer's
concern (`coding.refi.positions`). GUIDs are derived from names and ids, so exporting twice gives the same file
apart from the creation time.
"""

from __future__ import annotations

import io
import math
import uuid
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime, timezone
from decimal import Decimal

from coding.codebook import PROJECT_NS, Codebook, code_guid, refi_codes_element
from coding.codebook.structure import normalize_guid
from coding.export.pseudonyms import NO_PSEUDONYMS, OffsetMap, Pseudonymiser
from coding.memos.model import Memo, TargetKind
from coding.models import AttributeValue, Coding, Document, Turn
from coding.refi.archive import SOURCES_FOLDER
from coding.refi.structure import STRUCTURE_MEMBER, QcodeStructure, SourceStructure, text_digest, turn_entry

ORIGIN = "qcode 0.1.0"
PROJECT_MEMBER = "project.qde"
_GUIDS = uuid.uuid5(uuid.NAMESPACE_URL, "urn:qcode:qdpx")
SELECTION_NAME_LENGTH = 100


def derived(kind: str, *parts: object) -> str:
    return str(uuid.uuid5(_GUIDS, "\x1f".join([kind, *map(str, parts)]))).upper()


def xml_datetime(value: datetime | None) -> str:
    value = value or datetime.now(timezone.utc)
    if value.tzinfo is None:
        return value.replace(microsecond=0).isoformat()
    return value.astimezone(timezone.utc).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


def variable_type(values: list[AttributeValue]) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "Boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "Integer"
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "Float"
    return "Text"


def _value_element(kind: str, value: AttributeValue) -> ET.Element | None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    element = ET.Element(f"{kind}Value")
    if kind == "Boolean":
        element.text = "true" if value else "false"
    elif kind == "Integer":
        element.text = str(int(value))
    elif kind == "Float":
        element.text = format(Decimal(repr(float(value))), "f")
    else:
        element.text = str(value)
    return element


def _variables(root: ET.Element, documents: list[Document], names: Pseudonymiser) -> dict[str, tuple[str, str]]:
    """Write <Variables>; returns attribute name -> (guid, type)."""
    attribute_names: dict[str, None] = {}
    for document in documents:
        attribute_names.update(dict.fromkeys(document.attributes))
    variables: dict[str, tuple[str, str]] = {}
    for name in attribute_names:
        kind = variable_type([d.attributes.get(name) for d in documents])
        variables[name] = (derived("variable", name), kind)
    if variables:
        element = ET.SubElement(root, "Variables")
        for name, (guid, kind) in variables.items():
            ET.SubElement(element, "Variable", {"guid": guid, "name": names.text(name) or name, "typeOfVariable": kind})
    return variables


def _variable_values(holder: ET.Element, document: Document, variables: dict[str, tuple[str, str]],
                     names: Pseudonymiser) -> None:
    for name, value in document.attributes.items():
        guid, kind = variables[name]
        if kind == "Text" and value is not None:
            value = names.text(str(value))
        value_element = _value_element(kind, value)
        if value_element is None:
            continue
        element = ET.SubElement(holder, "VariableValue")
        ET.SubElement(element, "VariableRef", {"targetGUID": guid})
        element.append(value_element)


def _cases(root: ET.Element, documents: list[Document], variables: dict[str, tuple[str, str]],
           source_guids: dict[str, str], names: Pseudonymiser) -> None:
    if not documents:
        return
    cases = ET.SubElement(root, "Cases")
    for document in documents:
        case = ET.SubElement(cases, "Case", {"guid": derived("case", document.name),
                                             "name": names.text(document.name) or document.name})
        _variable_values(case, document, variables, names)
        ET.SubElement(case, "SourceRef", {"targetGUID": source_guids[document.name]})


def _source_structure(document: Document, turns: list[Turn], text: str, offsets: OffsetMap,
                      names: Pseudonymiser) -> SourceStructure:
    entries = [turn_entry(t, offsets.start(t.start), offsets.end(t.end), names.speaker(t.speaker) or t.speaker)
               for t in turns]
    return SourceStructure(sha256=text_digest(text), title=names.text(document.title), turns=entries)


def note_guid(memo: Memo) -> str:
    return derived("note", memo.id, memo.created_at.isoformat())


def _note_refs(holder: ET.Element, memos: list[Memo], at: int | None = None) -> None:
    """NoteRefs for `memos` appended to `holder`, or inserted at index `at` (the schema fixes the order)."""
    for offset, memo in enumerate(memos):
        ref = ET.Element("NoteRef", {"targetGUID": note_guid(memo)})
        if at is None:
            holder.append(ref)
        else:
            holder.insert(at + offset, ref)


def _notes(root: ET.Element, memos: list[Memo], users: dict[str, str], names: Pseudonymiser) -> None:
    if not memos:
        return
    notes = ET.SubElement(root, "Notes")
    for memo in memos:
        note = ET.SubElement(notes, "Note", {
            "guid": note_guid(memo), "name": names.text(memo.title) or memo.title, "creatingUser": users[memo.author],
            "creationDateTime": xml_datetime(memo.created_at), "modifyingUser": users[memo.updated_by],
            "modifiedDateTime": xml_datetime(memo.updated_at)})
        ET.SubElement(note, "PlainTextContent").text = names.text(memo.text) or ""


def _code_note_refs(codes: ET.Element, memos: list[Memo], codebook: Codebook) -> None:
    """A Code's NoteRefs go after its Description and before its child Codes."""
    by_guid: dict[str, list[Memo]] = {}
    for memo in memos:
        if memo.target.ref in codebook:
            by_guid.setdefault(normalize_guid(code_guid(codebook.code(memo.target.ref))), []).append(memo)
    for element in codes.iter():
        found = by_guid.get(normalize_guid(element.get("guid") or "")) if element.tag.endswith("Code") else None
        if found:
            after = sum(1 for child in element if child.tag.endswith("Description"))
            _note_refs(element, found, at=after)


def _selection(source: ET.Element, coding: Coding, text: str, start: int, end: int, user: str,
               codebook: Codebook, memos: list[Memo] = ()) -> None:
    when = xml_datetime(coding.created_at)
    key = (coding.document, coding.decision_id, coding.coder, coding.code)
    selected = " ".join(text[start:end].split())
    selection = ET.SubElement(source, "PlainTextSelection", {
        "guid": derived("selection", *key), "name": selected[:SELECTION_NAME_LENGTH],
        "startPosition": str(start), "endPosition": str(end), "creatingUser": user, "creationDateTime": when})
    coded = ET.SubElement(selection, "Coding", {"guid": derived("coding", *key), "creatingUser": user,
                                                "creationDateTime": when})
    ET.SubElement(coded, "CodeRef", {"targetGUID": code_guid(codebook.code(coding.code))})
    _note_refs(coded, list(memos))


def project_xml(documents: list[Document], codings: list[Coding], codebook: Codebook, project_name: str,
                names: Pseudonymiser = NO_PSEUDONYMS, turns: list[Turn] | None = None, memos: list[Memo] | None = None
                ) -> tuple[bytes, dict[str, str], QcodeStructure]:
    """project.qde's bytes, the source files (member name -> text) that go with it, and qcode's structure."""
    root = ET.Element("Project", {"xmlns": PROJECT_NS, "name": project_name, "origin": ORIGIN,
                                  "creationDateTime": xml_datetime(None)})
    memos = memos or []
    memos_on: dict[TargetKind, dict[str | None, list[Memo]]] = {}
    for memo in memos:
        memos_on.setdefault(memo.target.kind, {}).setdefault(memo.target.ref, []).append(memo)
    coders = sorted({c.coder for c in codings} | {m.author for m in memos} | {m.updated_by for m in memos})
    users = {coder: derived("user", coder) for coder in coders}
    if users:
        users_element = ET.SubElement(root, "Users")
        for coder, guid in users.items():
            ET.SubElement(users_element, "User", {"guid": guid, "name": coder})
    if codebook.codes:
        coded = {c.code for c in codings}
        codes_element = refi_codes_element(codebook, coded=coded)
        _code_note_refs(codes_element, [m for m in memos if m.target.kind == TargetKind.code], codebook)
        ET.SubElement(root, "CodeBook").append(codes_element)
    structure = QcodeStructure(code_ids={normalize_guid(code_guid(c)): c.id for c in codebook.codes},
                               memo_targets={normalize_guid(note_guid(m)): m.target.label() for m in memos
                                             if m.target.kind == TargetKind.theme})
    turns_by_document: dict[str, list[Turn]] = {}
    for turn in turns or []:
        turns_by_document.setdefault(turn.document, []).append(turn)
    source_guids = {d.name: derived("source", d.name, d.content_hash) for d in documents}
    variables = _variables(root, documents, names)
    _cases(root, documents, variables, source_guids, names)
    files: dict[str, str] = {}
    by_document: dict[str, list[Coding]] = {}
    for coding in codings:
        if coding.code in codebook:
            by_document.setdefault(coding.document, []).append(coding)
    if documents:
        sources = ET.SubElement(root, "Sources")
        for document in documents:
            guid = source_guids[document.name]
            text, offsets = names.text_with_offsets(document.text)
            files[f"{SOURCES_FOLDER}/{guid}.txt"] = text
            source = ET.SubElement(sources, "TextSource", {
                "guid": guid, "name": names.text(document.name) or document.name,
                "plainTextPath": f"internal://{guid}.txt",
                "creationDateTime": xml_datetime(document.ingested_at)})
            for coding in sorted(by_document.get(document.name, []), key=lambda c: (c.start, c.end, c.code, c.coder)):
                start, end = offsets.start(coding.start), offsets.end(coding.end)
                _selection(source, coding, text, start, end, users[coding.coder], codebook,
                           memos_on.get(TargetKind.coding, {}).get(str(coding.decision_id), []))
            _note_refs(source, memos_on.get(TargetKind.document, {}).get(document.name, []))
            _variable_values(source, document, variables, names)
            if document.name in turns_by_document:
                structure.sources[normalize_guid(guid)] = _source_structure(
                    document, sorted(turns_by_document[document.name], key=lambda t: t.number), text, offsets, names)
    _notes(root, memos, users, names)
    _note_refs(root, memos_on.get(TargetKind.project, {}).get(None, []))
    ET.indent(root, space="  ")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n", files, structure


def qdpx_bytes(documents: list[Document], codings: list[Coding], codebook: Codebook, project_name: str,
               names: Pseudonymiser = NO_PSEUDONYMS, turns: list[Turn] | None = None,
               memos: list[Memo] | None = None) -> bytes:
    """The .qdpx archive: project.qde, sources/<guid>.txt (UTF-8) and qcode-structure.json."""
    xml, files, structure = project_xml(documents, codings, codebook, project_name, names, turns, memos)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PROJECT_MEMBER, xml)
        for member, text in files.items():
            archive.writestr(member, text.encode("utf-8"))
        archive.writestr(STRUCTURE_MEMBER, structure.to_json())
    return buffer.getvalue()
