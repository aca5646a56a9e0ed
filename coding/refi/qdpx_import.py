"""Importing a REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA, QualCoder or qcode into a qcode project.

Text sources become documents: a source qcode exported comes back with its own turns (see `structure`), others are
parsed into speaker turns where they read as a dialogue and kept as unlabelled text otherwise (see `source_text`).
Each source's selection positions are read in the unit its program counted (see `positions`: NVivo counts UTF-16
code units, some programs count a CR LF line end as one) and converted to characters. The codebook is merged into
(or replaces) the project's, and every coding becomes a decision of an imported coder: the User who made it, else
the file's only User, else "imported". A source whose name is already a document of the project is that document
when the texts agree apart from whitespace (a project that went out and came back), and refused otherwise. A
selection is one coding, also when it spans several turns (its turn is the first; see `coding.codings.spans`): its
ends are moved onto the utterances it covers, so a selection that starts in a speaker label starts at the speech.
A coding that cannot be placed is counted under its reason and reported with its selection; none is dropped
silently.

Everything is checked and prepared first and written in one transaction, so a failed import changes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from coding.codebook.structure import normalize_guid
from coding.errors import Problem, QcodeError
from coding.memos.actions import import_memos
from coding.codings.spans import snap_to_turns
from coding.memos.model import PROJECT, MemoTarget, TargetKind, parse_target
from coding.models import CodingSource, Decision, DecisionAction, Document, Excerpt, SegmenterSettings, Span, Turn
from coding.project_codebook import save_version
from coding.readers.labels import DEFAULT_INTERVIEWER_LABELS, SpeakerRoles
from coding.refi.archive import MAX_TOTAL_BYTES, QdpxError
from coding.refi.codebook_merge import CodebookMode, combine_codebooks
from coding.refi.positions import PositionConverter, PositionReading, detect_reading
from coding.refi.qdpx_read import QdpxProject, QdpxSource, read_qdpx
from coding.refi.source_text import IdentityLayout, SourceLayout, SpanMapper, parse_source_text
from coding.transcripts.segment import segment_turns
from coding.store import ProjectStore
from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store.settings import get_setting
from coding.transcripts.render import render_transcript

DEFAULT_CODER = "imported"
REFUSED_OUTSIDE = "positions outside the source text"
REFUSED_EMPTY = "selection of no text"
REFUSED_NOT_FOUND = "selected text not found in a turn"
REFUSED_NO_CODE = "code missing from the codebook"


@dataclass
class QdpxImportReport:
    path: str
    users: list[str] = field(default_factory=list)
    documents_added: list[str] = field(default_factory=list)
    documents_matched: list[str] = field(default_factory=list)
    codes_added: list[str] = field(default_factory=list)
    codebook_version: int | None = None
    codings: int = 0  # codings recorded (one per coded selection and code)
    coders: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # selections not imported, sources skipped
    batch: str | None = None
    placed: int = 0  # the file's codings (Coding elements) placed on text
    converted: int = 0  # of those, how many had positions converted from another unit
    refused: dict[str, int] = field(default_factory=dict)  # reason -> the file's codings not imported
    position_units: dict[str, str] = field(default_factory=dict)  # document -> unit its positions were read in
    structure_kept: list[str] = field(default_factory=list)  # documents whose turns came from a qcode export
    memos: int = 0  # Notes imported as memos (one per object a Note is attached to)

    def summary(self) -> str:
        """One line: codings placed, converted and refused per reason."""
        converted = f" ({self.converted} converted to characters)" if self.converted else ""
        refused = sum(self.refused.values())
        reasons = "; ".join(f"{reason}: {count}" for reason, count in sorted(self.refused.items()))
        return f"{self.placed} codings placed{converted}, {refused} refused" + (f" ({reasons})" if reasons else "")


class _Mapper(Protocol):
    def map(self, start: int, end: int) -> tuple[int, int] | None: ...


@dataclass
class _Target:
    document: Document
    turns: list[Turn]
    excerpts: list[Excerpt]
    new: bool
    mapper: _Mapper
    from_structure: bool = False

    def __post_init__(self) -> None:
        self._excerpt_ids = {(e.start, e.end): e.id for e in self.excerpts}

    def span(self, start: int, end: int) -> Span | None:
        """The stored span [start, end) as one coding's span, its ends moved onto the utterances it covers; None
        when it covers no utterance text."""
        snapped = snap_to_turns(self.document.text, self.turns, start, end)
        if snapped is None:
            return None
        start, end, turn = snapped
        return Span(document=self.document.name, start=start, end=end, turn=turn.number,
                    excerpt_id=self._excerpt_ids.get((start, end)))


def _visible(text: str) -> str:
    return "".join(text.split())


def _unique_names(sources: list[QdpxSource]) -> dict[str, str]:
    """source guid -> document name, suffixing repeated names (-2, -3, ...)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for source in sources:
        name, number = source.name, 2
        while name in taken:
            name, number = f"{source.name}-{number}", number + 1
        taken.add(name)
        names[source.guid] = name
    return names


def _prepare_document(store: ProjectStore, project: QdpxProject, source: QdpxSource, name: str,
                      roles: SpeakerRoles, settings: SegmenterSettings) -> _Target:
    existing = doc_store.get_document(store, name)
    if existing is not None:
        turns, excerpts = doc_store.get_turns(store, name), doc_store.get_excerpts(store, name)
        if existing.text == source.text:
            return _Target(existing, turns, excerpts, False, IdentityLayout(len(source.text)))
        parsed = parse_source_text(source.text, roles)
        rendered, rendered_turns = render_transcript(name, parsed.transcript, roles)
        if rendered == existing.text:  # imported from this source before: map exactly, as on the first import
            return _Target(existing, turns, excerpts, False, SourceLayout(parsed, rendered_turns))
        if _visible(existing.text) not in (_visible(source.text), _visible(rendered)):
            raise QdpxError(Problem(
                f"source '{source.name}' would be document {name}, which the project already holds with "
                f"different text", path=str(project.path),
                hint="import into a new project (qcode init --db other.duckdb), or rename the source"))
        return _Target(existing, turns, excerpts, False, SpanMapper(source.text, existing.text))
    source_path = f"{project.path}!{source.member or source.guid}"
    content_hash = hashlib.sha256(source.data).hexdigest()
    carried = project.structure.sources.get(normalize_guid(source.guid)) if project.structure else None
    turns = carried.turns_for(name, source.text) if carried else None
    if carried is not None and turns is not None:
        document = Document(name=name, source_path=source_path, format="qdpx", content_hash=content_hash,
                            text=source.text, title=carried.title, attributes=source.attributes)
        return _Target(document, turns, segment_turns(turns, settings), True, IdentityLayout(len(source.text)),
                       from_structure=True)
    parsed = parse_source_text(source.text, roles)
    text, turns = render_transcript(name, parsed.transcript, roles)
    document = Document(name=name, source_path=source_path, format="qdpx", content_hash=content_hash, text=text,
                        title=parsed.transcript.title, attributes=source.attributes)
    return _Target(document, turns, segment_turns(turns, settings), True, SourceLayout(parsed, turns))


def _coder(project: QdpxProject, user: str | None, override: str | None) -> str:
    if override:
        return override
    if user and project.users.get(user):
        return project.users[user]
    named = [n for n in project.users.values() if n]
    return named[0] if len(named) == 1 else DEFAULT_CODER


def _refuse(report: QdpxImportReport, reason: str, count: int, problem: Problem) -> None:
    report.refused[reason] = report.refused.get(reason, 0) + count
    report.problems.append(problem)


def _decisions(project: QdpxProject, source: QdpxSource, target: _Target, guid_to_id: dict[str, str],
               coder: str | None, batch: str, report: QdpxImportReport,
               keys: list[tuple[str, str]]) -> list[Decision]:
    """The codings of a source as decisions; `keys` gets (selection GUID, code GUID) for each, in the same order."""
    decisions = []
    where = f"source '{source.name}'"
    selections = [s for s in source.selections if s.codings]
    reading = (PositionReading() if target.from_structure else
               detect_reading(source.text, [(s.start, s.end, s.name) for s in selections], project.origin))
    if selections:
        report.position_units[target.document.name] = reading.describe()
    converter = PositionConverter(source.text, reading)
    for selection in selections:
        label = f"{where}, selection {selection.guid}"
        count = len(selection.codings)
        start, end = converter.to_index(selection.start), converter.to_index(selection.end)
        if start is None or end is None:
            _refuse(report, REFUSED_OUTSIDE, count, Problem(
                f"{label} has positions {selection.start}-{selection.end} outside its text (0-{converter.length} "
                f"in {reading.describe()}); not imported", path=str(project.path)))
            continue
        if start >= end:
            _refuse(report, REFUSED_EMPTY, count, Problem(
                f"{label} selects no text (positions {selection.start}-{selection.end}); not imported",
                path=str(project.path)))
            continue
        mapped = target.mapper.map(start, end)
        span = target.span(*mapped) if mapped else None
        if span is None:
            preview = " ".join(source.text[start:end].split())[:60]
            _refuse(report, REFUSED_NOT_FOUND, count, Problem(
                f"{label}: \"{preview}\" was not found in a turn of document {target.document.name}; not imported",
                path=str(project.path)))
            continue
        for code_guid, user in selection.codings:
            code = guid_to_id.get(code_guid)
            if code is None:
                _refuse(report, REFUSED_NO_CODE, 1, Problem(
                    f"{label} is coded with a code ({code_guid}) missing from the codebook; not imported",
                    path=str(project.path)))
                continue
            report.placed += 1
            report.converted += not reading.standard
            who = _coder(project, user or selection.user, coder)
            decisions.append(Decision(coder=who, action=DecisionAction.code, span=span, code=code, batch=batch,
                                      source=CodingSource.imported, note=f"{project.path.name}: {selection.guid}"))
            keys.append((selection.guid, code_guid))
    return decisions


def _memos(project: QdpxProject, names: dict[str, str], guid_to_id: dict[str, str],
           coding_ids: dict[tuple[str, str], int], coder: str | None, report: QdpxImportReport) -> list[tuple]:
    """Each Note as a memo on every object that refers to it; a Note no object refers to is about the project.
    A Note on a coding that was not imported is kept on the project, and the report says so."""
    targets: dict[str, list[MemoTarget]] = {}

    def attach(note: str, target: MemoTarget) -> None:
        targets.setdefault(note, []).append(target)

    for note in project.project_notes:
        attach(note, PROJECT)
    for source in project.sources:
        for note in source.notes:
            attach(note, MemoTarget(kind=TargetKind.document, ref=names[source.guid]))
        for selection in source.selections:
            for code, note in selection.notes:
                decision_id = coding_ids.get((selection.guid, code))
                if decision_id is not None:
                    attach(note, MemoTarget(kind=TargetKind.coding, ref=str(decision_id)))
                else:
                    attach(note, PROJECT)
                    report.problems.append(Problem(
                        f"note {note} is on a coding of source '{source.name}', selection {selection.guid}, that was "
                        f"not imported; kept as a project memo", path=str(project.path)))
    for code, note in project.code_notes:
        if code in guid_to_id:
            attach(note, MemoTarget(kind=TargetKind.code, ref=guid_to_id[code]))
    carried = project.structure.memo_targets if project.structure else {}
    incoming = []
    for note in project.notes:
        found = targets.get(note.guid) or []
        if not found and note.guid in carried:
            try:
                found = [parse_target(carried[note.guid])]
            except QcodeError:
                found = []
        author = _coder(project, note.user, coder)
        editor = _coder(project, note.modifier, coder) if note.modifier else author
        created = note.created or note.modified or datetime.now().replace(microsecond=0)
        title = note.title or (note.text.strip().splitlines() or ["Untitled note"])[0][:80]
        for target in dict.fromkeys(found or [PROJECT]):
            incoming.append((target, title, note.text, author, editor, created, note.modified))
    return incoming


def import_qdpx(store: ProjectStore, path: Path, codebook_mode: CodebookMode = "merge", coder: str | None = None,
                max_total_bytes: int = MAX_TOTAL_BYTES) -> QdpxImportReport:
    """Import the project at `path` (see module doc). Raises `QcodeError` (nothing written) for a bad file."""
    project = read_qdpx(path, max_total_bytes)
    report = QdpxImportReport(path=str(path), users=[n for n in project.users.values() if n],
                              problems=list(project.skipped))
    current = codebook_store.current_codebook(store)
    codebook, guid_to_id = current[1] if current else None, {}
    if project.codes is not None:
        carried_ids = project.structure.code_ids if project.structure else None
        codebook, guid_to_id = combine_codebooks(project.codes, codebook, codebook_mode, project.name, str(path),
                                                 carried_ids)
    if codebook is not None:
        report.codes_added = [c.id for c in codebook.codes if current is None or c.id not in current[1]]
    roles = SpeakerRoles(get_setting(store, "interviewer_labels", list(DEFAULT_INTERVIEWER_LABELS)),
                         get_setting(store, "interviewer_names", []))
    settings = SegmenterSettings(spacy_model=get_setting(store, "spacy_model", "blank:en"))
    names = _unique_names(project.sources)
    batch = coding_store.new_batch_id()
    targets: list[_Target] = []
    decisions: list[Decision] = []
    keys: list[tuple[str, str]] = []
    for source in project.sources:
        target = _prepare_document(store, project, source, names[source.guid], roles, settings)
        targets.append(target)
        decisions += _decisions(project, source, target, guid_to_id, coder, batch, report, keys)
    with store.transaction():
        if codebook is not None and (current is None or codebook != current[1]):
            report.codebook_version = save_version(store, codebook, source_path=str(path),
                                                   note=f"imported from {path.name} ({codebook_mode})")
        for target in targets:
            if target.new:
                doc_store.save_document(store, target.document, target.turns, target.excerpts, settings)
        if decisions:
            coding_store.record(store, decisions)
            report.batch = batch
        # A memo names the coding in force for its span, which is an earlier decision when the project already had
        # it (the same file imported twice).
        in_force = {(c.coder, c.document, c.start, c.end, c.code): c.decision_id
                    for c in coding_store.current_codings(store)} if any(s.notes for t in project.sources
                                                                         for s in t.selections) else {}
        coding_ids: dict[tuple[str, str], int] = {}
        for key, d in zip(keys, decisions):
            found = in_force.get((d.coder, d.span.document, d.span.start, d.span.end, d.code))
            if found is not None:
                coding_ids.setdefault(key, found)
        incoming = _memos(project, names, guid_to_id, coding_ids, coder, report)
        report.memos = import_memos(store, incoming, note=f"imported from {path.name}")
    report.documents_added = [t.document.name for t in targets if t.new]
    report.documents_matched = [t.document.name for t in targets if not t.new]
    report.structure_kept = [t.document.name for t in targets if t.from_structure]
    report.codings = len(decisions)
    report.coders = sorted({d.coder for d in decisions})
    return report
