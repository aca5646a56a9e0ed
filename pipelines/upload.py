"""Importing uploaded files (the app's Import page) through the same functions the CLI calls on paths.

The uploaded bytes are written under their own names into a private temporary folder (mode 0700, deleted
afterwards) and handed to `ingest_paths`, `import_codings_into_project` or `load_codebook_file`, so the checks,
messages and all-or-nothing rules are the CLI's: each transcript is stored whole or not at all and the others
still go in; a codings file that cannot be read changes nothing, and a row with a problem is reported and left
out; a codebook is stored whole or not at all. Problems name the uploaded file, never the temporary folder.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from coding.codebook import Codebook
from coding.codings.import_codings import ImportReport, import_codings_into_project
from coding.errors import Problem, QcodeError
from coding.project_codebook import load_codebook_file
from coding.readers import supported_extensions
from coding.store import ProjectStore
from pipelines.ingest import IngestReport, ingest_paths, project_segmenter_settings

CODINGS_EXTENSIONS = (".csv",)
METADATA_EXTENSIONS = (".csv",)
CODEBOOK_EXTENSIONS = (".yaml", ".yml", ".qdc")


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the name it had on the researcher's machine, and its bytes."""

    name: str
    data: bytes


def name_problems(uploads: Sequence[Upload], extensions: Sequence[str], what: str) -> list[Problem]:
    """Why some of these names cannot be used as they are: a name becomes a document id or a file name in the
    private folder, so it must be one plain file name, unique among the uploads, with an accepted extension."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for upload in uploads:
        name = upload.name
        shown = name or "(no name)"
        if not name.strip() or name in (".", "..") or any(c in name for c in "/\\") or "\0" in name:
            problems.append(Problem(f"'{shown}' is not a plain file name", path=shown,
                                    hint=f"upload the {what} under its own name, without folders"))
            continue
        if any(ord(c) < 32 for c in name):
            problems.append(Problem("the file name holds control characters", path=ascii(name),
                                    hint="rename the file and upload it again"))
            continue
        suffix = Path(name).suffix.lower()
        if suffix not in extensions:
            problems.append(Problem(f"not a {what} file type ('{suffix or 'no extension'}')", path=name,
                                    hint=f"upload {', '.join(extensions)} files"))
            continue
        folded = name.casefold()  # two names one file system would store as one file
        if folded in seen:
            problems.append(Problem(f"uploaded twice (also as {seen[folded]})", path=name,
                                    hint="upload each file once, or rename one of them"))
            continue
        seen[folded] = name
    return problems


@contextmanager
def saved_uploads(groups: dict[str, Sequence[Upload]]) -> Iterator[dict[str, list[Path]]]:
    """Each group's uploads written under their own names in its own subfolder of a private temporary folder;
    the paths per group. The folder and its files are deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="qcode-upload-") as folder:  # created 0700: only this user reads it
        paths: dict[str, list[Path]] = {}
        for group, uploads in groups.items():
            target = Path(folder) / group
            target.mkdir()
            paths[group] = []
            for upload in uploads:
                path = target / upload.name
                with open(path, "xb") as out:  # never over another upload, never through a link
                    out.write(upload.data)
                paths[group].append(path)
        yield paths


def _check(uploads: Sequence[Upload], extensions: Sequence[str], what: str) -> None:
    problems = name_problems(uploads, extensions, what)
    if problems:
        raise QcodeError(problems)


def _shown_as_uploaded(problem: Problem, folders: Sequence[Path]) -> Problem:
    """The problem with the temporary folder taken out of its path and text: it names the file as uploaded."""
    def strip(text: str | None) -> str | None:
        if text is None:
            return None
        for folder in folders:
            text = text.replace(f"{folder}{os.sep}", "")
        return text

    return dataclasses.replace(problem, path=strip(problem.path), message=strip(problem.message) or "",
                               hint=strip(problem.hint))


def _shown(problems: list[Problem], folders: Sequence[Path]) -> list[Problem]:
    return [_shown_as_uploaded(p, folders) for p in problems]


def ingest_uploads(store: ProjectStore, transcripts: Sequence[Upload], metadata: Upload | None = None,
                   interviewers: Sequence[str] = (), include_interviewer: bool = False) -> IngestReport:
    """`qcode ingest FILES --metadata CSV` on uploaded files: each transcript is added, updated, unchanged or
    failed on its own (a failed one stores nothing); documents are named by file name without extension, and
    their source is "upload:NAME" (the temporary copy does not last)."""
    if not transcripts:
        raise QcodeError(Problem("no transcript uploaded", hint=f"choose {', '.join(supported_extensions())} files"))
    _check(transcripts, supported_extensions(), "transcript")
    if metadata is not None:
        _check([metadata], METADATA_EXTENSIONS, "metadata")
    groups = {"transcripts": transcripts, "metadata": [metadata] if metadata else []}
    with saved_uploads(groups) as paths:
        folders = [p.parent for p in paths["transcripts"][:1] + paths["metadata"][:1]]
        metadata_path = paths["metadata"][0] if paths["metadata"] else None
        report = ingest_paths(store, paths["transcripts"], metadata_path, list(interviewers),
                              project_segmenter_settings(store, include_interviewer),
                              sources={path: f"upload:{path.name}" for path in paths["transcripts"]})
    report.problems = _shown(report.problems, folders)
    report.metadata_problems = _shown(report.metadata_problems, folders)
    report.warnings = _shown(report.warnings, folders)
    for outcome in report.files:
        outcome.path = Path(outcome.path.name)
        outcome.problems = _shown(outcome.problems, folders)
        outcome.warnings = _shown(outcome.warnings, folders)
    return report


def import_codings_upload(store: ProjectStore, upload: Upload, coder: str, create_codes: bool = False
                          ) -> ImportReport:
    """`qcode import-codings FILE --coder CODER [--create-codes]` on an uploaded CSV."""
    if not coder.strip():
        raise QcodeError(Problem("no coder name", hint="say whose codings these are"))
    _check([upload], CODINGS_EXTENSIONS, "codings")
    with saved_uploads({"codings": [upload]}) as paths:
        path = paths["codings"][0]
        try:
            report = import_codings_into_project(store, path, coder.strip(), create_codes)
        except QcodeError as error:
            raise type(error)(_shown(error.problems, [path.parent])) from None
    report.problems = _shown(report.problems, [path.parent])
    return report


def load_codebook_upload(store: ProjectStore, upload: Upload, coder: str | None = None) -> tuple[int, Codebook]:
    """`qcode codebook load FILE` on an uploaded .yaml or .qdc; later edits stay in the project (the upload is
    not a file they could be written back to)."""
    _check([upload], CODEBOOK_EXTENSIONS, "codebook")
    with saved_uploads({"codebook": [upload]}) as paths:
        path = paths["codebook"][0]
        try:
            return load_codebook_file(store, path, created_by=coder, keep_file=False)
        except QcodeError as error:
            raise type(error)(_shown(error.problems, [path.parent])) from None
