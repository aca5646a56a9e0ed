"""Reading a .qdpx into plain objects (users, codebook element, text sources with selections and attributes).

Nothing touches the project here, so every problem with the file surfaces before an import writes anything.
Elements are matched by local name in the project namespace, the codebook namespaces (including the older
"urn:QDA-XML:codebook:0:4") or none, so exports that mix namespaces are read; any other root is refused.
"""

from __future__ import annotations

import codecs
from datetime import datetime
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from coding.codebook import parse_refi_xml
from coding.codebook.refi_codes import READABLE_NAMESPACES, XmlElement, child_elements, local_name, split_tag
from coding.codebook.structure import normalize_guid
from coding.errors import Problem
from coding.models import AttributeValue
from coding.refi.archive import MAX_TOTAL_BYTES, SOURCES_FOLDER, QdpxArchive, QdpxError
from coding.refi.structure import QcodeStructure, read_structure

NON_TEXT_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")
_KNOWN_EXTENSIONS = {".txt", ".docx", ".doc", ".rtf", ".pdf", ".odt", ".md", ".vtt", ".srt", ".html", ".htm"}


@dataclass
class QdpxSelection:
    guid: str
    start: int  # as written in the file: see `coding.refi.positions` for the unit
    end: int
    user: str | None  # user GUID (normalised) of the selection
    codings: list[tuple[str, str | None]]  # (code GUID normalised, creating user GUID normalised)
    name: str = ""  # the selected text, as several tools write it (helps tell which unit positions count)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (code GUID, note GUID) of NoteRefs on its codings


@dataclass
class QdpxSource:
    guid: str
    name: str
    text: str  # as in the file (line ends kept): selection offsets point into it
    data: bytes
    member: str | None
    selections: list[QdpxSelection] = field(default_factory=list)
    attributes: dict[str, AttributeValue] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # note GUIDs (normalised) its NoteRefs name


@dataclass
class QdpxNote:
    """A REFI-QDA Note (a memo): where it is referenced from is recorded on the referring objects."""

    guid: str  # normalised
    title: str
    text: str
    user: str | None  # creating user GUID, normalised
    created: datetime | None
    modified: datetime | None
    modifier: str | None = None  # modifying user GUID, normalised


@dataclass
class QdpxProject:
    path: Path
    name: str
    users: dict[str, str]  # normalised GUID -> name
    codes: XmlElement | None  # the <Codes> element
    sources: list[QdpxSource]
    skipped: list[Problem]
    origin: str = ""  # the program that wrote the file ("NVivo for Windows 12.6", "qcode 0.1.0")
    structure: QcodeStructure | None = None  # qcode's own turns and code ids, in a file qcode exported
    notes: list[QdpxNote] = field(default_factory=list)
    project_notes: list[str] = field(default_factory=list)  # note GUIDs referenced by the project itself
    code_notes: list[tuple[str, str]] = field(default_factory=list)  # (code GUID, note GUID), normalised


def _text_of(element: XmlElement | None) -> str:
    return "" if element is None else "".join(element.itertext())


def _first(element: XmlElement, name: str) -> XmlElement | None:
    found = child_elements(element, name)
    return found[0] if found else None


def decode_source(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # REFI says UTF-8; older Windows exports say otherwise


def _typed(value_element: XmlElement) -> AttributeValue:
    kind = local_name(value_element)
    raw = _text_of(value_element).strip()
    try:
        if kind == "BooleanValue":
            return raw.lower() in ("true", "1")
        if kind == "IntegerValue":
            return int(raw)
        if kind == "FloatValue":
            return float(raw)
    except ValueError:
        return raw
    return raw or None


def _variable_values(holder: XmlElement, variables: dict[str, str]) -> dict[str, AttributeValue]:
    values: dict[str, AttributeValue] = {}
    for value in child_elements(holder, "VariableValue"):
        ref = _first(value, "VariableRef")
        name = variables.get(normalize_guid(ref.get("targetGUID") or "")) if ref is not None else None
        typed = [child for child in value if local_name(child) not in (None, "VariableRef")]
        if name and typed:
            values[name] = _typed(typed[0])
    return values


def document_name(raw: str | None, fallback: str) -> str:
    name = (raw or "").strip()
    if PurePosixPath(name).suffix.casefold() in _KNOWN_EXTENSIONS:
        name = name[: -len(PurePosixPath(name).suffix)]
    for bad in (":", "/", "\\"):
        name = name.replace(bad, "-")
    return name.strip() or fallback


def _int(value: str | None, what: str, where: str, path: Path) -> int:
    try:
        return int((value or "").strip())
    except ValueError:
        raise QdpxError(Problem(f"{where} has a {what} that is not a whole number: {value!r}", path=str(path),
                                hint="export the project again")) from None


def _source_text(archive: QdpxArchive, element: XmlElement, label: str) -> tuple[bytes, str | None]:
    content = _first(element, "PlainTextContent")
    if content is not None:
        return _text_of(content).encode("utf-8"), None
    target = (element.get("plainTextPath") or "").strip()
    if not target:
        raise QdpxError(Problem(f"{label} has no plain text (neither PlainTextContent nor plainTextPath)",
                                path=str(archive.path), hint="export the project again with its sources"))
    if not target.lower().startswith("internal://"):
        raise QdpxError(Problem(f"{label} refers to a file outside the archive ({target})", path=str(archive.path),
                                hint="export the project again with the sources included in the .qdpx"))
    member = archive.find(f"{SOURCES_FOLDER}/{target[len('internal://'):]}")  # any case: "Sources/" too
    if member is None:
        missing = f"{SOURCES_FOLDER}/{target[len('internal://'):]}"
        raise QdpxError(Problem(f"{label}: its text {missing} is missing from the archive",
                                path=str(archive.path), hint="the export is incomplete; export the project again"))
    return archive.read(member), member


def _selections(element: XmlElement, label: str, path: Path) -> list[QdpxSelection]:
    found = []
    for selection in child_elements(element, "PlainTextSelection"):
        guid = selection.get("guid") or ""
        where = f"{label}, selection {guid or '(no guid)'}"
        codings = []
        notes = []
        for coding in child_elements(selection, "Coding"):
            ref = _first(coding, "CodeRef")
            if ref is not None and ref.get("targetGUID"):
                user = coding.get("creatingUser")
                code = normalize_guid(ref.get("targetGUID"))
                codings.append((code, normalize_guid(user) if user else None))
                notes += [(code, note) for note in note_refs(coding)]
        # A note on the selection is about the coded quote: it goes with each of the selection's codings.
        notes += [(code, note) for note in note_refs(selection) for code, _ in codings]
        user = selection.get("creatingUser")
        found.append(QdpxSelection(guid=guid, start=_int(selection.get("startPosition"), "startPosition", where, path),
                                   end=_int(selection.get("endPosition"), "endPosition", where, path),
                                   user=normalize_guid(user) if user else None, codings=codings,
                                   name=selection.get("name") or "", notes=notes))
    return found


def note_refs(element: XmlElement) -> list[str]:
    """The normalised note GUIDs of an element's own NoteRef children."""
    return [normalize_guid(ref.get("targetGUID")) for ref in child_elements(element, "NoteRef")
            if ref.get("targetGUID")]


def _code_notes(codes: XmlElement | None) -> list[tuple[str, str]]:
    found = []
    for code in (codes.iter() if codes is not None else []):
        if local_name(code) == "Code" and code.get("guid"):
            found += [(normalize_guid(code.get("guid")), note) for note in note_refs(code)]
    return found


def _datetime(value: str | None) -> datetime | None:
    """A REFI dateTime as qcode stores times: naive local time (a UTC "Z" time is converted), to the second."""
    try:
        parsed = datetime.fromisoformat((value or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone().replace(tzinfo=None)
    return parsed.replace(microsecond=0)


def _notes(root: XmlElement) -> list[QdpxNote]:
    notes = []
    for group in child_elements(root, "Notes"):
        for note in child_elements(group, "Note"):
            user, modifier = note.get("creatingUser"), note.get("modifyingUser")
            notes.append(QdpxNote(guid=normalize_guid(note.get("guid") or ""), title=(note.get("name") or "").strip(),
                                  text=_text_of(_first(note, "PlainTextContent")),
                                  user=normalize_guid(user) if user else None,
                                  created=_datetime(note.get("creationDateTime")),
                                  modified=_datetime(note.get("modifiedDateTime")),
                                  modifier=normalize_guid(modifier) if modifier else None))
    return notes


def _not_carried(root: XmlElement, path: Path) -> list[Problem]:
    """What the file holds that qcode has no place for yet, said rather than dropped in silence."""
    problems = []
    sets = [s for group in child_elements(root, "Sets") for s in child_elements(group, "Set")]
    if sets:
        names = ", ".join(f"'{(s.get('name') or '').strip() or s.get('guid')}'" for s in sets[:5])
        more = f" and {len(sets) - 5} more" if len(sets) > 5 else ""
        problems.append(Problem(f"{len(sets)} sets ({names}{more}) were not imported: qcode has no code or document "
                                f"groups", path=str(path), hint="recreate a code group as a parent code if needed"))
    return problems


def read_qdpx(path: Path, max_total_bytes: int = MAX_TOTAL_BYTES) -> QdpxProject:
    with QdpxArchive(path, max_total_bytes) as archive:
        member = archive.project_member()
        root = parse_refi_xml(archive.read(member), f"{path} ({member})")
        parts = split_tag(root.tag) or ("", "")
        if parts[1] != "Project" or parts[0] not in READABLE_NAMESPACES:
            shown = f"{{{parts[0]}}}{parts[1]}" if parts[0] else parts[1]
            raise QdpxError(Problem(f"{member} is not a REFI-QDA project: its root element is <{shown}>",
                                    path=str(path),
                                    hint='a project starts with <Project xmlns="urn:QDA-XML:project:1.0">'))
        users = {normalize_guid(u.get("guid") or ""): (u.get("name") or "").strip()
                 for users in child_elements(root, "Users") for u in child_elements(users, "User")}
        codebook = _first(root, "CodeBook")
        codes = _first(codebook, "Codes") if codebook is not None else None
        variables = {normalize_guid(v.get("guid") or ""): (v.get("name") or "").strip()
                     for group in child_elements(root, "Variables") for v in child_elements(group, "Variable")}
        case_values: dict[str, dict[str, AttributeValue]] = {}
        for cases in child_elements(root, "Cases"):
            for case in child_elements(cases, "Case"):
                values = _variable_values(case, variables)
                for ref in child_elements(case, "SourceRef"):
                    case_values.setdefault(normalize_guid(ref.get("targetGUID") or ""), {}).update(values)
        sources: list[QdpxSource] = []
        skipped: list[Problem] = []
        for group in child_elements(root, "Sources"):
            for element in group:
                kind = local_name(element)
                label = f"source '{element.get('name') or element.get('guid')}'"
                if kind in NON_TEXT_SOURCES:
                    skipped.append(Problem(f"{label} is a {kind}; qcode imports text sources only", path=str(path)))
                    continue
                if kind != "TextSource":
                    continue
                data, text_member = _source_text(archive, element, label)
                guid = element.get("guid") or f"source-{len(sources) + 1}"
                # Every project variable is an attribute; a source without a value for it has None (missing).
                attributes = {**dict.fromkeys(v for v in variables.values() if v),
                              **case_values.get(normalize_guid(guid), {}), **_variable_values(element, variables)}
                sources.append(QdpxSource(guid=guid, name=document_name(element.get("name"), guid),
                                          text=decode_source(data), data=data, member=text_member,
                                          selections=_selections(element, label, path), attributes=attributes,
                                          notes=note_refs(element)))
        skipped += _not_carried(root, path)
        return QdpxProject(path=path, name=(root.get("name") or path.stem).strip() or path.stem, users=users,
                           codes=codes, sources=sources, skipped=skipped, origin=(root.get("origin") or "").strip(),
                           structure=read_structure(archive), notes=_notes(root), project_notes=note_refs(root),
                           code_notes=_code_notes(codes))
