"""Codebook edits as pure functions: each takes a `Codebook` and returns a new one, or raises `CodebookError`
naming the code. Ids never change (codings refer to them); renaming changes a code's `name`.

Moving a code carries its descendants with it, and a moved or added code is placed after its new parent's last
descendant, so the saved file keeps each branch together and the code becomes the last child.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from coding.codebook.messages import problems_from_validation_error
from coding.codebook.model import Code, Codebook
from coding.codebook.structure import did_you_mean
from coding.errors import CodebookError, Problem


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()  # "leave as it is" for update_code, so that None can mean "clear the colour"


def _require(codebook: Codebook, code_id: str, role: str = "code") -> Code:
    found = codebook.get(code_id)
    if found is None:
        guess = did_you_mean(code_id, codebook.ids())
        raise CodebookError(
            Problem(
                f"{role} '{code_id}' is not a code in this codebook",
                code=code_id,
                hint=f"did you mean {guess}?" if guess else "check the id",
            )
        )
    return found


def _rebuild(codebook: Codebook, codes: Iterable[Code]) -> Codebook:
    """A new codebook with these codes; whole-codebook checks run again as a safety net."""
    return Codebook(name=codebook.name, version=codebook.version, codes=tuple(codes))


def _insert_after_branch(codes: Sequence[Code], moving: Sequence[Code], parent: str | None) -> list[Code]:
    """`codes` without `moving`, then `moving` placed after the last code of `parent`'s branch (or at the end)."""
    moving_ids = {c.id for c in moving}
    rest = [c for c in codes if c.id not in moving_ids]
    position = len(rest)
    if parent is not None:
        branch = {parent}
        changed = True  # a file may list children before their parent: grow the branch until it stops changing
        while changed:
            changed = False
            for code in rest:
                if code.parent in branch and code.id not in branch:
                    branch.add(code.id)
                    changed = True
        last = max(i for i, c in enumerate(rest) if c.id in branch)
        position = last + 1
    return [*rest[:position], *moving, *rest[position:]]


def add_code(codebook: Codebook, code: Code) -> Codebook:
    """Add `code`, as the last child of its parent (or the last top-level code)."""
    if code.id in codebook:
        raise CodebookError(
            Problem(f"id '{code.id}' is already used by a code", code=code.id, hint="choose another id")
        )
    if code.parent is not None:
        _require(codebook, code.parent, role="parent")
    return _rebuild(codebook, _insert_after_branch(codebook.codes, [code], code.parent))


def update_code(
    codebook: Codebook,
    code_id: str,
    *,
    name: str = UNSET,
    definition: str = UNSET,
    include: Sequence[str] = UNSET,
    exclude: Sequence[str] = UNSET,
    examples: Sequence[str] = UNSET,
    counterexamples: Sequence[str] = UNSET,
    color: str | None = UNSET,
) -> Codebook:
    """Change a code's name (a rename: the id stays), definition, rules, examples or colour (None clears it)."""
    current = _require(codebook, code_id)
    changes = {
        key: tuple(value) if isinstance(value, (list, tuple)) else value
        for key, value in {
            "name": name,
            "definition": definition,
            "include": include,
            "exclude": exclude,
            "examples": examples,
            "counterexamples": counterexamples,
            "color": color,
        }.items()
        if value is not UNSET
    }
    try:
        updated = Code.model_validate({**current.model_dump(), **changes})
    except ValidationError as error:
        raise CodebookError(problems_from_validation_error(error, code_id=code_id)) from None
    return _rebuild(codebook, (updated if c.id == code_id else c for c in codebook.codes))


def move_code(codebook: Codebook, code_id: str, new_parent: str | None) -> Codebook:
    """Give a code a new parent (None: make it top-level); its descendants come along. Refuses loops."""
    code = _require(codebook, code_id)
    if new_parent is not None:
        _require(codebook, new_parent, role="new parent")
        if new_parent == code_id:
            raise CodebookError(
                Problem(f"cannot move '{code_id}' under itself", code=code_id, hint="choose another parent")
            )
        if new_parent in {d.id for d in codebook.descendants(code_id)}:
            raise CodebookError(
                Problem(
                    f"cannot move '{code_id}' under '{new_parent}': '{new_parent}' is inside '{code_id}', "
                    "so the hierarchy would loop",
                    code=code_id,
                    hint=f"move '{new_parent}' out of '{code_id}' first, or choose another parent",
                )
            )
    moved = code.model_copy(update={"parent": new_parent})
    branch = [moved, *codebook.descendants(code_id)]
    return _rebuild(codebook, _insert_after_branch(codebook.codes, branch, new_parent))


def delete_code(codebook: Codebook, code_id: str, *, reparent_children: bool = False) -> Codebook:
    """Remove a code. A code with children is refused unless `reparent_children`, which hands them to its parent."""
    code = _require(codebook, code_id)
    children = codebook.children(code_id)
    if children and not reparent_children:
        where = f"'{code.parent}'" if code.parent else "the top level"
        raise CodebookError(
            Problem(
                f"'{code_id}' has {len(children)} child code(s): {', '.join(c.id for c in children)}",
                code=code_id,
                hint=f"move or delete them first, or delete with reparent_children=True to move them up to {where}",
            )
        )
    remaining = []
    for other in codebook.codes:
        if other.id == code_id:
            continue
        if other.parent == code_id:
            other = other.model_copy(update={"parent": code.parent})
        remaining.append(other)
    return _rebuild(codebook, remaining)


def _append_new(existing: tuple[str, ...], extra: tuple[str, ...]) -> tuple[str, ...]:
    return existing + tuple(item for item in dict.fromkeys(extra) if item not in existing)


def merge_codes(codebook: Codebook, source: str, target: str) -> Codebook:
    """Fold `source` into `target`: its include rules and examples are appended to the target's (without
    repeats), its children move to the target, and it is removed. Codings of `source` must be moved by the caller."""
    source_code = _require(codebook, source, role="source")
    target_code = _require(codebook, target, role="target")
    if source == target:
        raise CodebookError(Problem(f"cannot merge '{source}' into itself", code=source, hint="choose another code"))
    if target in {d.id for d in codebook.descendants(source)}:
        raise CodebookError(
            Problem(
                f"cannot merge '{source}' into '{target}': '{target}' is inside '{source}'",
                code=source,
                hint=f"move '{target}' out of '{source}' first",
            )
        )
    merged_target = target_code.model_copy(
        update={
            "include": _append_new(target_code.include, source_code.include),
            "examples": _append_new(target_code.examples, source_code.examples),
        }
    )
    codes = []
    for code in codebook.codes:
        if code.id == source:
            continue
        if code.id == target:
            code = merged_target
        if code.parent == source:
            code = code.model_copy(update={"parent": target})
        codes.append(code)
    return _rebuild(codebook, codes)
