"""The project's codebook versions: loading a file as a new version, applying an edit, deleting, exporting.

Codings refer to code ids, so a new version that renames codes or rewrites definitions keeps every coding. A new
version that would drop a code still holding codings is refused: merge that code into another first.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from coding.codebook import Codebook, delete_code, load_codebook_yaml, merge_codes, read_qdc, save_codebook_yaml, save_qdc
from coding.errors import CodebookError, Problem
from coding.models import Decision, DecisionAction, Span
from coding.store import ProjectStore
from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store

CODEBOOK_FILE_SETTING = "codebook_file"


def read_codebook_file(path: Path, known: Codebook | None = None) -> Codebook:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return load_codebook_yaml(path)
    if suffix == ".qdc":
        return read_qdc(path, known=known)
    raise CodebookError(Problem(f"unsupported codebook file type '{suffix}'", path=str(path),
                                hint="use a .yaml codebook or a REFI-QDA .qdc file"))


def require_codebook(store: ProjectStore) -> tuple[int, Codebook]:
    current = codebook_store.current_codebook(store)
    if current is None:
        raise CodebookError(Problem("the project has no codebook yet",
                                    hint="load one with 'qcode codebook load codebooks/district-leaders-ai.yaml'"))
    return current


def save_version(store: ProjectStore, codebook: Codebook, source_path: str | None = None, note: str | None = None,
                 created_by: str | None = None) -> int:
    """Store a new version after checking that no code holding codings disappears."""
    counts = coding_store.coding_counts_by_code(store)
    dropped = sorted(code for code, n in counts.items() if n and code not in codebook)
    if dropped:
        raise CodebookError([
            Problem(f"this codebook drops code {code}, which holds {counts[code]} codings", path=source_path,
                    code=code, hint=f"keep it, or merge it first: qcode codebook delete {code} --merge-into OTHER")
            for code in dropped
        ])
    return codebook_store.save_codebook(store, codebook, source_path=source_path, note=note, created_by=created_by)


def load_codebook_file(store: ProjectStore, path: Path, created_by: str | None = None, keep_file: bool = True
                       ) -> tuple[int, Codebook]:
    """Store the file as the next codebook version. A YAML file becomes the file later edits are written back to;
    with `keep_file=False` (an uploaded copy that is about to be deleted) edits stay in the project instead."""
    from coding.store.settings import set_setting

    current = codebook_store.current_codebook(store)
    codebook = read_codebook_file(path, known=current[1] if current else None)
    with store.transaction():
        version = save_version(store, codebook, source_path=str(path) if keep_file else path.name,
                               note=f"loaded from {path.name}", created_by=created_by)
        if not keep_file:
            set_setting(store, CODEBOOK_FILE_SETTING, None)
        elif path.suffix.lower() in (".yaml", ".yml"):
            set_setting(store, CODEBOOK_FILE_SETTING, str(path.resolve()))
    return version, codebook


def loaded_summary(version: int, codebook: Codebook) -> str:
    """What `qcode codebook load` says after storing a file."""
    return (f"codebook '{codebook.name}' stored as project version {version}: {len(codebook.codes)} codes "
            f"({len(codebook.leaves())} leaves)")


def export_codebook(store: ProjectStore, path: Path) -> Path:
    _, codebook = require_codebook(store)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return save_codebook_yaml(codebook, path)
    if suffix == ".qdc":
        return save_qdc(codebook, path)
    raise CodebookError(Problem(f"cannot export a codebook as '{suffix}'", path=str(path),
                                hint="use a .yaml or .qdc file name"))


def apply_edit(store: ProjectStore, edited: Codebook, coder: str | None = None, note: str | None = None,
               write_back: bool = True) -> int:
    """Save an edited codebook as a new version and, when the project has a YAML file, write it back."""
    from coding.store.settings import get_setting

    version = save_version(store, edited, note=note, created_by=coder)
    target = get_setting(store, CODEBOOK_FILE_SETTING)
    if write_back and target and _writable(Path(target)):
        save_codebook_yaml(edited, Path(target))
    return version


def _writable(path: Path) -> bool:
    """Write back only to a codebook file the researcher can edit: a read-only file (shared study material, a
    file marked read-only on purpose) is left alone even for root, who may write anywhere."""
    try:
        return bool(path.stat().st_mode & stat.S_IWUSR) and os.access(path, os.W_OK)
    except FileNotFoundError:
        return path.parent.is_dir()


def delete_code_in_project(store: ProjectStore, code_id: str, merge_into: str | None, coder: str) -> int:
    """Delete a code; with `merge_into` its codings are recoded (as logged decisions) and its examples kept."""
    _, codebook = require_codebook(store)
    if code_id not in codebook:
        raise CodebookError(Problem(f"no code '{code_id}' in the codebook", code=code_id))
    holding = [c for c in coding_store.current_codings(store) if c.code == code_id]
    if merge_into is None:
        if holding:
            raise CodebookError(Problem(
                f"code {code_id} holds {len(holding)} codings and cannot simply be deleted", code=code_id,
                hint=f"merge it into another code: qcode codebook delete {code_id} --merge-into OTHER"))
        edited = delete_code(codebook, code_id, reparent_children=True)
        return apply_edit(store, edited, coder, note=f"deleted {code_id}")
    if merge_into not in codebook:
        raise CodebookError(Problem(f"no code '{merge_into}' to merge into", code=merge_into))
    edited = merge_codes(codebook, code_id, merge_into)
    batch = coding_store.new_batch_id()
    with store.transaction():
        coding_store.record(store, [
            Decision(coder=c.coder, action=DecisionAction.recode, code=merge_into, from_code=code_id, batch=batch,
                     span=Span(document=c.document, start=c.start, end=c.end, turn=c.turn, excerpt_id=c.excerpt_id),
                     source=c.source, note=f"{coder} merged {code_id} into {merge_into}")
            for c in holding
        ])
        return apply_edit(store, edited, coder, note=f"merged {code_id} into {merge_into}")
