"""Memo objects and their targets (`project`, `document:D07`, `code:COST`, `coding:123`, `theme:RUN:ID`)."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from coding.errors import Problem, QcodeError
from coding.models import Frozen

TARGET_FORMS = "project, document:NAME, code:ID, coding:DECISION_ID, coding:DOCUMENT:TURN:CODE or theme:RUN:THEME"


class TargetKind(str, Enum):
    project = "project"
    document = "document"
    code = "code"
    coding = "coding"
    theme = "theme"


class MemoAction(str, Enum):
    add = "add"
    edit = "edit"
    delete = "delete"
    undo = "undo"
    redo = "redo"


class MemoTarget(Frozen):
    kind: TargetKind
    # None for the project; D07; COST; a coding's decision id (or "DOC:TURN:CODE" until resolved); "RUN:THEME"
    ref: str | None = None

    def label(self) -> str:
        return self.kind.value if self.ref is None else f"{self.kind.value}:{self.ref}"

    @property
    def theme_key(self) -> tuple[int, int]:
        run, theme = self.ref.split(":")
        return int(run), int(theme)


PROJECT = MemoTarget(kind=TargetKind.project)


def parse_target(value: str) -> MemoTarget:
    """`project`, `document:D07`, `code:COST`, `coding:123` or `theme:4:2` as a target; the shape only (whether the
    object exists is `coding.memos.actions.resolve_target`'s job)."""
    kind, _, ref = value.strip().partition(":")
    kind = kind.strip().lower()
    ref = ref.strip()
    wrong = QcodeError(Problem(f"'{value}' is not a memo target", hint=f"use --on with {TARGET_FORMS}"))
    if kind not in TargetKind.__members__:
        raise wrong
    if kind == TargetKind.project.value:
        if ref:
            raise wrong
        return PROJECT
    if not ref:
        raise wrong
    if kind == TargetKind.coding.value and not ref.isdigit():
        parts = ref.rsplit(":", 2)
        if len(parts) != 3 or not parts[1].strip().isdigit() or not parts[0].strip() or not parts[2].strip():
            raise QcodeError(Problem(f"'{value}': a coding is named by its decision id or as coding:DOCUMENT:TURN:CODE",
                                     hint="qcode codings --json lists each coding's decision_id, document and turn"))
        ref = ":".join([parts[0].strip(), str(int(parts[1])), parts[2].strip()])
    if kind == TargetKind.theme.value:
        parts = ref.split(":")
        if len(parts) != 2 or not all(p.strip().lstrip("-").isdigit() for p in parts):
            raise QcodeError(Problem(f"'{value}': a theme is named by its run and theme number, theme:RUN:THEME",
                                     hint="qcode themes lists the run and its themes"))
        ref = ":".join(str(int(p)) for p in parts)
    return MemoTarget(kind=TargetKind(kind), ref=ref)


class Memo(Frozen):
    id: int
    target: MemoTarget
    title: str
    text: str
    author: str
    created_at: datetime
    updated_at: datetime
    updated_by: str


class MemoEvent(Frozen):
    """One row of the memo log."""

    id: int | None = None
    at: datetime | None = None
    coder: str
    action: MemoAction
    memo_id: int | None = None
    target: MemoTarget | None = None
    title: str | None = None
    text: str | None = None
    author: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None  # add from an import: when the memo was last changed there
    undoes: int | None = None  # undo/redo: the event taken back or restored
    note: str | None = None
