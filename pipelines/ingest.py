"""Ingest flow: find transcript files -> read turns -> render stored text -> segment -> store, file by file.

Each file is stored in its own transaction, so a failure leaves no partial rows, and good files in the same call
are still ingested.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from coding.errors import Problem, ProjectError, QcodeError
from coding.transcripts.metadata import read_metadata
from coding.models import (AttributeValue, Decision, DecisionAction, Document, DroppedText, SegmenterSettings,
                           Span)
from coding.codings.reanchor import Placement, reanchor
from coding.readers import reader_for, supported_extensions
from coding.readers.labels import DEFAULT_INTERVIEWER_LABELS, SpeakerRoles
from coding.transcripts.segment import segment_turns
from coding.store import ProjectStore
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store.settings import get_setting, set_setting
from coding.transcripts.render import render_transcript

_SKIPPED_NAMES = {"readme", "license", "changelog"}

# A long interview transcribed as text is well under 1 MB; a file this big is a wrong file or a concatenated corpus,
# and reading it would hold the project for minutes. Word files get more room for embedded images.
MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024
MAX_DOCX_BYTES = 200 * 1024 * 1024


@dataclass
class FileOutcome:
    path: Path
    document: str
    status: str  # added | updated | unchanged | failed
    version: int | None = None
    turns: int = 0
    excerpts: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # text of the file that is in no turn, one per place
    reanchored: int = 0  # codings moved to their text in the new version
    unplaced: list[Placement] = field(default_factory=list)  # codings whose text is gone (listed, in the log)

    def summary(self) -> str:
        """"S01: added (12 turns, 30 excerpts)", as `qcode ingest` prints it; a failed file says so."""
        if self.status == "failed":
            return f"{self.document}: not ingested"
        detail = f"{self.turns} turns, {self.excerpts} excerpts" if self.status != "unchanged" else "no change"
        label = {"added": "added", "updated": f"updated to version {self.version}", "unchanged": "unchanged"}
        return f"{self.document}: {label[self.status]} ({detail})"

    def unplaced_problems(self) -> list[Problem]:
        """One warning per coding of the previous version whose text is gone from this one."""
        return [Problem(f"coding {p.coding.code} by {p.coding.coder} (turn {p.coding.turn}) could not be placed: its "
                        f"text is no longer in the transcript: \"{p.quote[:80]}\"", path=str(self.path),
                        hint="recode it by hand; the decision log keeps the quote") for p in self.unplaced]


@dataclass
class IngestReport:
    files: list[FileOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # paths given that hold no transcript
    metadata_problems: list[Problem] = field(default_factory=list)  # an unusable metadata file (transcripts go on)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ingested_any(self) -> bool:
        return any(f.status in ("added", "updated", "unchanged") for f in self.files)

    @property
    def transcripts_failed(self) -> bool:
        """A transcript the user asked for was not ingested (a path with none, or a file that failed)."""
        return bool(self.problems) or any(f.status == "failed" for f in self.files)

    @property
    def all_problems(self) -> list[Problem]:
        return self.problems + self.metadata_problems + [p for f in self.files for p in f.problems]


def find_transcripts(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Files to read, in a stable order: explicit files as given, folders scanned for supported extensions."""
    found: list[Path] = []
    problems: list[Problem] = []
    extensions = set(supported_extensions())
    for path in paths:
        try:
            if not path.exists():
                problems.append(Problem("no such file or folder", path=str(path), hint="check the path"))
            elif path.is_dir():
                files = sorted(
                    p for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in extensions and p.stem.lower() not in _SKIPPED_NAMES
                    and not p.name.startswith((".", "~$"))
                )
                if not files:
                    problems.append(Problem(f"no transcripts ({', '.join(sorted(extensions))}) in this folder",
                                            path=str(path)))
                found.extend(files)
            else:
                found.append(path)
        except OSError as error:  # a name too long for the file system, a folder we may not list
            problems.append(Problem(f"cannot read this path: {error.strerror or error}", path=str(path),
                                    hint="check the path"))
    return found, problems


def interviewer_roles(store: ProjectStore, extra: list[str]) -> SpeakerRoles:
    labels = get_setting(store, "interviewer_labels", list(DEFAULT_INTERVIEWER_LABELS))
    names = sorted(set(get_setting(store, "interviewer_names", [])) | set(extra))
    if extra:
        set_setting(store, "interviewer_names", names)
    return SpeakerRoles(labels, names)


def project_segmenter_settings(store: ProjectStore, include_interviewer: bool = False) -> SegmenterSettings:
    """How this project cuts turns into excerpts: its spaCy pipeline (set at `qcode init`)."""
    return SegmenterSettings(spacy_model=get_setting(store, "spacy_model", "blank:en"),
                             include_interviewer=include_interviewer)


def ingest_paths(
    store: ProjectStore,
    paths: list[Path],
    metadata: Path | None = None,
    interviewers: list[str] | None = None,
    settings: SegmenterSettings | None = None,
    sources: dict[Path, str] | None = None,
) -> IngestReport:
    """Ingest every transcript under `paths`. `sources` names where a file came from when its path will not last
    (an upload's temporary copy): it is stored as the document's source instead of the path."""
    settings = settings or SegmenterSettings()
    report = IngestReport()
    files, report.problems = find_transcripts(paths)
    roles = interviewer_roles(store, interviewers or [])
    attributes = _load_metadata(paths, metadata, report)
    seen: dict[str, Path] = {}
    for path in files:
        document = path.stem
        if document in seen:
            report.files.append(FileOutcome(path, document, "failed", problems=[Problem(
                f"another file in this ingest ({seen[document].name}) is also document {document}",
                path=str(path), hint="rename one of them: documents are named by file name without extension")]))
            continue
        seen[document] = path
        source = (sources or {}).get(path, str(path))
        report.files.append(_ingest_file_isolated(store, path, document, roles, settings, attributes.get(document),
                                                  source))
    _report_metadata_coverage(store, attributes, metadata is not None or bool(attributes), report)
    return report


def _load_metadata(paths: list[Path], metadata: Path | None, report: IngestReport) -> dict[str, dict]:
    if metadata is None:
        beside = [p / "metadata.csv" for p in paths if _is_file_in_folder(p, "metadata.csv")]
        metadata = beside[0] if beside else None
    if metadata is None:
        return {}
    try:
        attributes, warnings = read_metadata(metadata)
    except QcodeError as error:
        report.metadata_problems.extend(error.problems)
        return {}
    report.warnings.extend(warnings)
    return attributes


def _is_file_in_folder(folder: Path, name: str) -> bool:
    try:
        return folder.is_dir() and (folder / name).exists()
    except OSError:  # the path was reported by find_transcripts already
        return False


def _ingest_file_isolated(store, path, document, roles, settings, csv_attributes, source) -> FileOutcome:
    """One file's outcome; a failure nobody foresaw (a bug, memory) is that file's error line, and the rest of the
    folder is still ingested. The file's rows are written in one transaction, so nothing of it is left behind."""
    try:
        return _ingest_file(store, path, document, roles, settings, csv_attributes, source)
    except ProjectError:
        raise  # the project itself cannot take writes (disk full, closed): every later file would fail the same way
    except Exception as error:  # noqa: BLE001 - deliberately broad: one file must never stop the others
        detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return FileOutcome(path, document, "failed", problems=[Problem(
            f"could not be ingested ({detail[:300]})", path=str(path),
            hint="nothing of this file was stored; this is a qcode bug, please report it with the file if you can")])


def _ingest_file(store, path, document, roles, settings, csv_attributes, source) -> FileOutcome:
    try:
        too_big = _size_problem(path)
        if too_big:
            return FileOutcome(path, document, "failed", problems=[too_big])
        data = path.read_bytes()
    except OSError as error:
        return FileOutcome(path, document, "failed", problems=[Problem(f"cannot read the file: {error.strerror}",
                                                                        path=str(path))])
    content_hash = hashlib.sha256(data).hexdigest()
    current = doc_store.get_document(store, document)
    if current is not None and current.content_hash == content_hash:
        merged = {**current.attributes, **(csv_attributes or {})}
        if merged != current.attributes:
            doc_store.set_attributes(store, document, merged)
        turns = len(doc_store.get_turns(store, document))
        return FileOutcome(path, document, "unchanged", current.version, turns=turns)
    try:
        reader = reader_for(path)
        parsed = reader.read(path, data)
        text, turns = render_transcript(document, parsed, roles)
        excerpts = segment_turns(turns, settings)
    except QcodeError as error:
        return FileOutcome(path, document, "failed", problems=error.problems)
    attributes: dict[str, AttributeValue] = {**parsed.attributes, **(csv_attributes or {})}
    version = 1 if current is None else current.version + 1
    stored = Document(
        name=document, version=version, source_path=source, format=reader.name, content_hash=content_hash,
        text=text, title=parsed.title, attributes=attributes,
    )
    with store.transaction():
        placements = _reanchor_codings(store, current, stored, turns, excerpts) if current else []
        doc_store.save_document(store, stored, turns, excerpts, settings)
    status = "added" if current is None else "updated"
    return FileOutcome(path, document, status, version, turns=len(turns), excerpts=len(excerpts),
                       warnings=[_not_stored_warning(path, dropped) for dropped in parsed.dropped],
                       reanchored=sum(1 for p in placements if p.span is not None),
                       unplaced=[p for p in placements if p.span is None])


def _not_stored_warning(path: Path, dropped: DroppedText) -> Problem:
    return Problem(f"{dropped.characters} characters in no turn, not stored: {dropped.what}", path=str(path),
                   line=dropped.line, hint=dropped.hint or "if it is speech, start it with a speaker label "
                                                           "('Name: ...') and ingest the file again")


def _size_problem(path: Path) -> Problem | None:
    limit = MAX_DOCX_BYTES if path.suffix.lower() == ".docx" else MAX_TRANSCRIPT_BYTES
    size = path.stat().st_size
    if size <= limit:
        return None
    return Problem(f"the file is {size / 1024 / 1024:.1f} MB; qcode reads transcripts up to {limit // 1024 // 1024} MB",
                   path=str(path), hint="check it is one interview, or split it into one file per interview")


def _reanchor_codings(store, current: Document, new: Document, turns, excerpts) -> list[Placement]:
    """Move every coding of the old version to where its text is in the new one, as logged decisions; codings
    whose text is gone are taken off with the quote kept in the decision's note, and reported."""
    codings = coding_store.current_codings(store, document=current.name)
    placements = reanchor(current.text, new.text, codings, turns, excerpts)
    batch = coding_store.new_batch_id()
    decisions = []
    for placement in placements:
        c = placement.coding
        old_span = Span(document=c.document, start=c.start, end=c.end, turn=c.turn, excerpt_id=c.excerpt_id)
        if placement.span == old_span:
            continue
        note = (f"re-anchored to version {new.version}" if placement.span else
                f"text not found in version {new.version}: {placement.quote[:200]}")
        decisions.append(Decision(coder=c.coder, action=DecisionAction.uncode, span=old_span, code=c.code,
                                  source=c.source, batch=batch, note=note))
        if placement.span is not None:
            decisions.append(Decision(coder=c.coder, action=DecisionAction.code, span=placement.span, code=c.code,
                                      source=c.source, batch=batch, note=note))
    coding_store.record(store, decisions)
    return placements


def _report_metadata_coverage(store, attributes: dict, had_metadata: bool, report: IngestReport) -> None:
    if not had_metadata:
        return
    known = set(doc_store.document_names(store))
    for name in sorted(set(attributes) - known):
        report.warnings.append(Problem(f"metadata names document {name}, which is not in the project"))
    ingested = {f.document for f in report.files if f.status != "failed"}
    for name in sorted(ingested - set(attributes)):
        report.warnings.append(Problem(f"document {name} has no row in the metadata file"))
