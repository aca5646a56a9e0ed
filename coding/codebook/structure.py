"""Whole-codebook checks: duplicate ids, parents that do not exist, parent chains that loop, reused GUIDs.

They work on plain (id, parent, guid) entries rather than on models so the YAML loader can run them on a file whose
other fields are still broken and report every problem of the file at once, each at its own line.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """What the checks need from one code entry; fields that are missing or of the wrong type are None."""

    index: int  # position in the codebook's list of codes, 0-based
    id: str | None
    parent: str | None = None
    guid: str | None = None


@dataclass(frozen=True)
class StructureIssue:
    index: int  # the entry to blame
    code: str
    field: str  # the key to point at: "id", "parent" or "guid"
    message: str
    hint: str


def entry_position(index: int) -> str:
    """How a message refers to another entry when there are no line numbers (codebooks built in code)."""
    return f"code entry {index + 1}"


def did_you_mean(word: str, candidates: Sequence[str]) -> str | None:
    """The closest candidate, ignoring case, for 'did you mean ...?' hints."""
    by_upper = {c.upper(): c for c in candidates}
    matches = difflib.get_close_matches(word.upper(), list(by_upper), n=1, cutoff=0.6)
    return by_upper[matches[0]] if matches else None


def find_structure_issues(
    entries: Sequence[Entry], position: Callable[[int], str] = entry_position
) -> list[StructureIssue]:
    """Every structural problem, in entry order. `position(index)` names another entry inside a message."""
    issues: list[StructureIssue] = []
    first_index: dict[str, int] = {}
    for entry in entries:
        if entry.id is None:
            continue
        if entry.id in first_index:
            issues.append(
                StructureIssue(
                    entry.index,
                    entry.id,
                    "id",
                    f"id '{entry.id}' is already used by the code at {position(first_index[entry.id])}",
                    "give each code its own id; codings refer to codes by id",
                )
            )
        else:
            first_index[entry.id] = entry.index
    issues.extend(_unknown_parents(entries, list(first_index)))
    issues.extend(_cycles(entries, first_index))
    issues.extend(_reused_guids(entries, position))
    return sorted(issues, key=lambda issue: issue.index)


def _unknown_parents(entries: Sequence[Entry], ids: list[str]) -> list[StructureIssue]:
    issues = []
    known = set(ids)
    for entry in entries:
        if entry.id is None or entry.parent is None or entry.parent in known:
            continue
        guess = did_you_mean(entry.parent, ids)
        hint = (
            f"did you mean {guess}?"
            if guess
            else f"add a code with id '{entry.parent}', or correct or remove the parent"
        )
        issues.append(
            StructureIssue(
                entry.index,
                entry.id,
                "parent",
                f"parent '{entry.parent}' is not a code in this codebook",
                hint,
            )
        )
    return issues


def _cycles(entries: Sequence[Entry], first_index: dict[str, int]) -> list[StructureIssue]:
    """One issue per loop, blamed on the loop's first code in file order. Linear: each code is walked once."""
    parent_of = {e.id: e.parent for e in entries if e.id is not None and e.index == first_index[e.id]}
    done: set[str] = set()
    issues = []
    for start in parent_of:
        chain: list[str] = []
        position: dict[str, int] = {}
        current: str | None = start
        while current is not None and current in parent_of and current not in done and current not in position:
            position[current] = len(chain)
            chain.append(current)
            current = parent_of[current]
        done.update(chain)
        if current is None or current not in position:
            continue  # reached a top-level code, an unknown parent, or a part already checked
        loop = chain[position[current] :]
        first = min(range(len(loop)), key=lambda k: first_index[loop[k]])
        loop = loop[first:] + loop[:first]  # start at the code that comes first in the file
        blamed = loop[0]
        if len(loop) == 1:
            message = f"code '{blamed}' is its own parent"
            hint = "remove the parent line or name a different code"
        else:
            message = f"parent chain loops back to '{blamed}': {' -> '.join([*loop, blamed])}"
            hint = "change the parent of one of these codes so the chain ends at a top-level code"
        issues.append(StructureIssue(first_index[blamed], blamed, "parent", message, hint))
    return issues


def _reused_guids(entries: Sequence[Entry], position: Callable[[int], str]) -> list[StructureIssue]:
    issues = []
    first: dict[str, int] = {}
    for entry in entries:
        if entry.id is None or entry.guid is None:
            continue
        key = normalize_guid(entry.guid)
        if key in first:
            issues.append(
                StructureIssue(
                    entry.index,
                    entry.id,
                    "guid",
                    f"guid '{entry.guid}' is already used by the code at {position(first[key])}",
                    "remove one of the guid lines; qcode derives a guid from the id when none is given",
                )
            )
        else:
            first[key] = entry.index
    return issues


def normalize_guid(guid: str) -> str:
    """GUIDs compare without braces and case: {ABC-...} and abc-... are the same code."""
    return guid.strip().strip("{}").lower()
