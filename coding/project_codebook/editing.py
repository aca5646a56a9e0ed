"""Codebook edits made in the project: each one validates, saves a new codebook version and writes the YAML file
back (see `coding.project_codebook.versions.apply_edit`). Mistakes raise `CodebookError` naming the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from coding.codebook import Code, Codebook, add_code, code_id_from_name, move_code, unique_code_id, update_code
from coding.codebook.messages import problems_from_validation_error
from coding.errors import CodebookError, Problem
from coding.project_codebook.versions import CODEBOOK_FILE_SETTING, apply_edit, load_codebook_file, require_codebook
from coding.store import ProjectStore
from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store
from coding.store.settings import get_setting


def codebook_with_counts(store: ProjectStore) -> tuple[int, Codebook, dict[str, int], str | None]:
    """(project version, codebook, codings per code, the YAML file edits are written to)."""
    version, codebook = require_codebook(store)
    return version, codebook, coding_store.coding_counts_by_code(store), get_setting(store, CODEBOOK_FILE_SETTING)


def applicable_codes(store: ProjectStore, codebook: Codebook) -> list[tuple[str, str]]:
    """(id, "ID  name") of the codes a coder can apply, in tree order: every leaf, and every parent that holds
    codings of its own, so that adding a child to a code never hides it (and strands its codings) in a picker."""
    held = coding_store.coding_counts_by_code(store)
    return [(c.id, f"{c.id}  {c.name}") for c in codebook.depth_first()
            if codebook.is_leaf(c.id) or held.get(c.id, 0)]


def add_code_to_project(store: ProjectStore, coder: str | None, name: str, code_id: str = "",
                        parent: str | None = None, definition: str = "", color: str | None = None) -> str:
    """Add a code (its id made from the name when not given); returns the id."""
    _, codebook = require_codebook(store)
    code_id = code_id.strip() or unique_code_id(code_id_from_name(name), codebook.ids())
    fields: dict[str, Any] = {"id": code_id, "name": name.strip(), "parent": parent or None,
                              "definition": definition.strip(), "color": color or None}
    try:
        code = Code.model_validate(fields)
    except ValidationError as error:
        raise CodebookError(problems_from_validation_error(error, code_id=code_id)) from None
    apply_edit(store, add_code(codebook, code), coder, note=f"added {code_id}")
    return code_id


def update_code_in_project(store: ProjectStore, coder: str | None, code_id: str, **changes: Any) -> int:
    """Change a code's name, definition, rules, examples or colour; returns the new codebook version."""
    _, codebook = require_codebook(store)
    return apply_edit(store, update_code(codebook, code_id, **changes), coder, note=f"edited {code_id}")


def move_code_in_project(store: ProjectStore, coder: str | None, code_id: str, new_parent: str | None) -> int:
    _, codebook = require_codebook(store)
    where = new_parent or "the top level"
    return apply_edit(store, move_code(codebook, code_id, new_parent), coder, note=f"moved {code_id} under {where}")


def load_codebook_into_project(store: ProjectStore, coder: str | None, path: str) -> int:
    """Load a .yaml or .qdc file as the project's next codebook version; returns that version."""
    version, _ = load_codebook_file(store, Path(path).expanduser(), created_by=coder)
    return version


_UNDO_NOTE = "undo of version "


def _versions_in_force(store: ProjectStore) -> list[dict]:
    """The codebook versions an undo can go back through, oldest first: each undo version cancels the one it undid
    (so a second undo goes one edit further back instead of redoing the first)."""
    stack: list[dict] = []
    for row in codebook_store.codebook_history(store):
        note = row["note"] or ""
        if note.startswith(_UNDO_NOTE) and stack:
            stack.pop()
        else:
            stack.append(row)
    return stack


def undoable_codebook_edit(store: ProjectStore) -> dict | None:
    """The latest codebook version an undo would take back (version, note, ...), or None if there is none."""
    stack = _versions_in_force(store)
    return stack[-1] if len(stack) > 1 else None


def undo_codebook_edit(store: ProjectStore, coder: str | None, expected: int | None = None) -> int | None:
    """Take back the latest codebook edit still in force: the codebook before it becomes the next version (and is
    written back to the YAML file). A merge recoded codings, so it is refused here rather than half undone.

    `expected`: the version the screen offered to undo (`undoable_codebook_edit` when it was drawn). When the latest
    edit in force is no longer that one, nothing is undone and None is returned: a double click, or a replayed
    request, must not take back a second edit."""
    stack = _versions_in_force(store)
    if expected is not None and (len(stack) < 2 or stack[-1]["version"] != expected):
        return None
    if len(stack) < 2:
        raise CodebookError(Problem("no codebook edit to undo", hint="the first codebook version cannot be undone"))
    latest, before = stack[-1], stack[-2]
    note = latest["note"] or ""
    if note.startswith("merged "):
        raise CodebookError(Problem(
            f"version {latest['version']} {note} and recoded its codings, which an undo here cannot take back",
            hint="add the code again and recode its excerpts, or load the codebook file from before the merge"))
    codebook = codebook_store.codebook_version(store, before["version"])
    assert codebook is not None
    return apply_edit(store, codebook, coder, note=f"{_UNDO_NOTE}{latest['version']} ({note or 'no note'})")
