"""Who holds a project: a small note beside the file (`PROJECT.duckdb.in-use`) that the process holding it writes.

DuckDB allows one writing process per file and names only the holder's executable and process id when it refuses a
second one ("python3.11, PID 4242"). A researcher waiting for the project needs to know which program that is (the
app, `qcode suggest`) and whether it is busy with long work, so each writer leaves this note while it holds the file
and removes it before letting go. The note is believed only when its process id is the one DuckDB names, so a note
left by a killed process never misleads.

A process waiting for the project also leaves a mark, `PROJECT.duckdb.wanted`: the app, which otherwise keeps the
project between a researcher's key presses (reopening costs every press a cold start), lets go of it as soon as it
is idle when it sees the mark, and removes it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


def in_use_path(project: Path) -> Path:
    return project.with_name(project.name + ".in-use")


def wanted_path(project: Path) -> Path:
    return project.with_name(project.name + ".wanted")


def ask_for(project: Path) -> None:
    """A waiter's request that the holder let go of the project when it can (best effort)."""
    try:
        wanted_path(project).touch(exist_ok=True)
    except OSError:
        pass


def is_wanted(project: Path) -> bool:
    return wanted_path(project).exists()


def forget_request(project: Path) -> None:
    try:
        wanted_path(project).unlink(missing_ok=True)
    except OSError:
        pass


@dataclass(frozen=True)
class Holder:
    """The process holding a project, as far as it can be told."""

    program: str | None  # "the app", "qcode suggest"; DuckDB's executable name when no note says more
    pid: int | None
    doing: str | None = None  # long work the holder is busy with ("Computing suggestions")
    known: bool = False  # named by its own note (a qcode program), not guessed from DuckDB's message

    def describe(self) -> str:
        """"the app (process id 42), which is busy with: Finding themes", "qcode suggest (process id 7)"."""
        if self.program is None:
            return "another program"
        text = f"{self.program} (process id {self.pid})" if self.pid is not None else self.program
        return text + (f", which is busy with: {self.doing}" if self.doing else "")


def write_note(project: Path, program: str, doing: str | None = None) -> None:
    """Say that this process holds `project`; written whole (a reader never sees half a note). Best effort: a
    folder that refuses the note must not stop anyone from working."""
    note = in_use_path(project)
    partial = note.with_name(f"{note.name}.{os.getpid()}.tmp")
    try:
        partial.write_text(json.dumps({"pid": os.getpid(), "program": program, "doing": doing}), encoding="utf-8")
        partial.replace(note)
    except OSError:
        partial.unlink(missing_ok=True)


def remove_note(project: Path) -> None:
    """Remove this process's note (never another process's)."""
    note = in_use_path(project)
    found = _read_note(note)
    if found is not None and found.get("pid") == os.getpid():
        try:
            note.unlink(missing_ok=True)
        except OSError:
            pass


def lock_holder(project: Path, duckdb_message: str) -> Holder:
    """The holder named in DuckDB's lock error, described by its note when the note is that process's."""
    named = _LOCK_HOLDER.search(duckdb_message)
    if named is None:
        return Holder(program=None, pid=None)
    pid = int(named.group("pid"))
    note = _read_note(in_use_path(project))
    if note is not None and note.get("pid") == pid and isinstance(note.get("program"), str):
        doing = note.get("doing") if isinstance(note.get("doing"), str) else None
        return Holder(program=note["program"], pid=pid, doing=doing, known=True)
    return Holder(program=Path(named.group("program")).name, pid=pid)


def _read_note(note: Path) -> dict | None:
    try:
        found = json.loads(note.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None
