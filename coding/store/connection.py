"""Opening a project file: one DuckDB database, migrated to the code's schema, with clear errors.

The project is meant to be one file. DuckDB first appends committed changes to `PROJECT.duckdb.wal` and folds them
into the file at a checkpoint, so every store checkpoints when it closes, at interpreter exit (`atexit`, which also
runs after the CLI's and Streamlit's SIGTERM/SIGINT handling), and the app after a moment of idleness. A `.wal` found
when opening is either the unsaved changes of a session that did not close (recovered into the file, with a note) or
one that belongs to another version of the file (refused, with the fix).

DuckDB lets one process write a file at a time. Nobody holds a project longer than its work: a command for its run,
the app for a burst of calls (it lets go after a moment without one, see `coding.store.shared`). An opener that finds
the project held waits for it (`wait` seconds: `QCODE_LOCK_WAIT` for the CLI, 30 by default) and says once whom it
waits for; the holder's note (`coding.store.in_use`) names the program and any long work it is doing.
"""

from __future__ import annotations

import atexit
import math
import os
import re
import shutil
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

from coding.errors import Problem, ProjectError
from coding.safety.outputs import is_duckdb_file, os_error_problem, output_file
from coding.store.in_use import Holder, ask_for, forget_request, lock_holder, remove_note, write_note
from coding.store.migrate import apply_migrations, current_version, latest_version

DEFAULT_DB = "qcode.duckdb"
LOCK_WAIT_VARIABLE = "QCODE_LOCK_WAIT"
DEFAULT_LOCK_WAIT = 30.0  # seconds a command waits for a project another program holds
_LOCK_RETRY_SECONDS = 0.1

_OPEN_STORES: weakref.WeakSet[ProjectStore] = weakref.WeakSet()
_QUOTED_FILE = re.compile(r'file "(?P<file>[^"]+)"')
# A failed CHECKPOINT invalidates the DuckDB database for the rest of the process, so one is only started with room
# for it: the WAL's size several times over plus a margin. Without it the WAL keeps the changes until the next open.
_CHECKPOINT_ROOM_FACTOR = 4
_CHECKPOINT_ROOM_MARGIN = 8 * 1024 * 1024
_STORAGE_FAILURES = {  # DuckDB reports OS errors as text
    "no space left on device": ("no space left on the device",
                                "free some space on that disk and run the command again"),
    "disk quota exceeded": ("the disk quota is exceeded",
                            "free some space within your quota and run the command again"),
    "read-only file system": ("the file system is read-only",
                              "copy the project to a writable disk (qcode backup COPY.duckdb) and work there"),
    "permission denied": ("permission denied", "make the file and its folder writable for you"),
}


def wal_path(path: Path) -> Path:
    """DuckDB's write-ahead log of a project: committed changes not yet folded into the file."""
    return path.with_name(path.name + ".wal")


def interrupted(error: BaseException) -> bool:
    """Ctrl+C, however it arrives: as KeyboardInterrupt, or, when it lands inside a DuckDB statement, as DuckDB's
    own "Query interrupted" error (DuckDB 1.x-2.x raise it as InterruptException or a plain RuntimeError)."""
    if isinstance(error, (KeyboardInterrupt, duckdb.InterruptException)):
        return True
    return isinstance(error, RuntimeError) and str(error).startswith("Query interrupted")


def storage_problem(error: BaseException, path: str | os.PathLike[str] | None = None,
                    outcome: str = "the change was not saved", name_given_path: bool = False) -> Problem | None:
    """A DuckDB failure caused by the disk (full, read-only, no permission) as one located line naming the file
    DuckDB could not write (or `path`); None for any other error."""
    if not isinstance(error, duckdb.Error):
        return None
    text = str(error)
    lowered = text.lower()
    for marker, (message, hint) in _STORAGE_FAILURES.items():
        if marker in lowered:
            named = None if name_given_path else _QUOTED_FILE.search(text)
            where = named.group("file") if named else path
            return Problem(f"{message}; {outcome}", path=str(where) if where is not None else None, hint=hint)
    return None


def room_to_checkpoint(path: Path) -> bool:
    try:
        pending = wal_path(path).stat().st_size
    except FileNotFoundError:
        return True  # nothing to fold in
    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        return False
    return free >= pending * _CHECKPOINT_ROOM_FACTOR + _CHECKPOINT_ROOM_MARGIN


class ProjectInUse(ProjectError):
    """Another process held the project for longer than the opener would wait. `holder` says who."""

    def __init__(self, problem: Problem, holder: Holder):
        super().__init__(problem)
        self.holder = holder


def lock_wait() -> float:
    """Seconds a command waits for a project that another program holds: $QCODE_LOCK_WAIT, else 30."""
    raw = os.environ.get(LOCK_WAIT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_LOCK_WAIT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise ProjectError(Problem(f"{LOCK_WAIT_VARIABLE} must be a number of seconds (0 or more), not {raw!r}",
                                   hint=f"for example: export {LOCK_WAIT_VARIABLE}=120"))
    return seconds


class ProjectStore:
    """The single owner of a project's DuckDB connection. Repository modules take it as their first argument."""

    def __init__(self, path: Path, conn: duckdb.DuckDBPyConnection, read_only: bool = False,
                 holder: str | None = None):
        self.path = path
        self.conn = conn
        self.read_only = read_only
        self.holder = holder  # the program holding the project through this store, named in its in-use note
        self.notes: list[str] = []  # what opening did that the researcher should know (a recovered WAL)
        self._depth = 0
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    def busy_with(self, work: str | None) -> None:
        """Tell anyone waiting for the project what long work holds it (None: none any more)."""
        if self.holder and not self._closed:
            write_note(self.path, self.holder, work)

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: nested uses join the outermost transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN TRANSACTION")
        self._depth = 1
        try:
            yield self.conn
        except BaseException as error:
            try:
                self.conn.execute("ROLLBACK")
            except duckdb.Error:
                pass  # a failed COMMIT or a full disk has ended the transaction already
            problem = storage_problem(error, self.path) if isinstance(error, duckdb.Error) else None
            if problem is not None:
                raise ProjectError(problem) from None
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except duckdb.Error as error:
                problem = storage_problem(error, self.path)
                if problem is None:
                    raise
                raise ProjectError(problem) from None
        finally:
            self._depth = 0

    def checkpoint(self) -> bool:
        """Fold the write-ahead log into the project file, so that the file alone holds every change. False when
        it could not happen now (another transaction is running, the disk is full); the log keeps the changes."""
        if self._closed or self.read_only or not room_to_checkpoint(self.path):
            return False
        try:
            self.conn.execute("CHECKPOINT")
        except duckdb.Error:
            return False
        return True

    def close(self) -> None:
        if self._closed:
            return
        self.checkpoint()
        self._closed = True
        _OPEN_STORES.discard(self)
        if self.holder:
            remove_note(self.path)  # before the lock goes: the next holder writes its own
        self.conn.close()

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _connect(path: Path, read_only: bool = False, wait: float = 0.0,
             on_wait: Callable[[Holder], None] | None = None) -> duckdb.DuckDBPyConnection:
    """Connect, retrying for up to `wait` seconds while another process holds the file; `on_wait(holder)` is called
    once, when the waiting starts."""
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            connection = _connect_once(path, read_only)
        except _Locked as locked:
            holder = lock_holder(path, locked.message)
            left = deadline - time.monotonic()
            if left <= 0:
                if told:
                    forget_request(path)
                raise ProjectInUse(_locked_problem(path, holder, wait), holder) from None
            ask_for(path)  # renewed on every try: the holder removes it when it lets go
            if not told and on_wait is not None:
                on_wait(holder)
            told = True
            time.sleep(min(_LOCK_RETRY_SECONDS, left))
        else:
            if told:
                forget_request(path)
            return connection


class _Locked(Exception):
    def __init__(self, message: str):
        self.message = message


def _connect_once(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        message = str(error)
        if "lock" in message.lower():
            raise _Locked(message) from None
        if "replaying WAL" in message or "WAL does not match" in message:
            raise ProjectError(_foreign_wal_problem(path)) from None
        raise ProjectError(storage_problem(error, path) or Problem(
            f"cannot open the project file: {message.splitlines()[0]}", path=str(path))) from None
    except duckdb.Error as error:
        raise ProjectError(
            Problem(f"not a qcode project file ({str(error).splitlines()[0]})", path=str(path),
                    hint="point --db at a .duckdb file made by 'qcode init'")
        ) from None


def _locked_problem(path: Path, holder: Holder, waited: float) -> Problem:
    """Who holds the project (DuckDB names the process; its in-use note names the qcode program), how long we
    waited, and what to do."""
    if holder.program is None:
        who = "another qcode command or the app"
    else:
        who = f"{holder.program}, process id {holder.pid}"
        who += f", busy with: {holder.doing}" if holder.doing else ""
        who += "" if holder.known else ": another qcode command or the app"
    waited_text = f" and was not free within {waited:g} s" if waited > 0 else ""
    if holder.doing:
        todo = "run the command again when that work has finished"
    else:
        todo = "run the command again when it has finished" if holder.known else "close that program"
    if holder.pid is not None:
        todo += f", or kill {holder.pid} if it hangs"
    return Problem(f"the project is open in another program ({who}){waited_text}", path=str(path),
                   hint=f"{todo}; {LOCK_WAIT_VARIABLE}=SECONDS sets how long qcode waits for it")


def _foreign_wal_problem(path: Path) -> Problem:
    wal = wal_path(path)
    return Problem(
        f"{wal.name} holds unsaved changes of a session that did not close, and they belong to another version of "
        "this file (the project file was replaced, e.g. restored from a copy, while that log was left beside it)",
        path=str(path),
        hint=f"to open the file as it is now, move the log aside: mv '{wal}' '{wal}.old'; to keep those changes "
             "instead, put back the project file that was there before")


def open_project(path: str | Path = DEFAULT_DB, create: bool = False, read_only: bool = False, wait: float = 0.0,
                 on_wait: Callable[[Holder], None] | None = None, holder: str | None = None) -> ProjectStore:
    """Open (or with `create`, make) a project and bring its schema up to date, backing it up first.

    While another process holds the file, retry for up to `wait` seconds (`on_wait(holder)` is told once), then
    raise `ProjectInUse` naming the holder. `holder` names this program in the project's in-use note."""
    path = Path(path)
    if path.name.casefold().endswith(".wal") and is_duckdb_file(path.with_name(path.name[:-4])):
        raise ProjectError(Problem(f"this is the write-ahead log of {path.name[:-4]}, not a project", path=str(path),
                                   hint=f"use --db {path.with_name(path.name[:-4])}"))
    if not path.exists() and not create:
        raise ProjectError(
            Problem("no project here", path=str(path), hint="run 'qcode init' first, or pass --db / set QCODE_DB")
        )
    if path.exists() and path.is_dir():
        raise ProjectError(Problem("is a folder, not a project file", path=str(path)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ProjectError(os_error_problem(error, path, "cannot create the project")) from None
    conn = _connect(path, read_only=read_only, wait=wait, on_wait=on_wait)
    leftover_log = _has_leftover_log(path, read_only)  # looked at once the lock is ours: no writer is running
    found = current_version(conn)
    latest = latest_version()
    if found > latest:
        conn.close()
        raise ProjectError(
            Problem(
                f"the project was written by a newer qcode (schema {found}, this qcode knows {latest})",
                path=str(path),
                hint="upgrade qcode",
            )
        )
    if found == 0 and _has_foreign_tables(conn):
        conn.close()
        raise ProjectError(
            Problem("this DuckDB file holds other data and is not a qcode project", path=str(path),
                    hint="choose a new file name for the project (qcode init --db NEW.duckdb)")
        )
    if found < latest:
        if read_only:
            conn.close()
            raise ProjectError(Problem("the project needs a migration; open it once without read-only", path=str(path)))
        if found > 0:
            conn.execute("CHECKPOINT")
            conn.close()
            backup_path(path, found)
            conn = _connect(path, wait=wait, on_wait=on_wait)
        try:
            apply_migrations(conn)
        except BaseException:
            conn.close()
            raise
    store = ProjectStore(path, conn, read_only=read_only, holder=None if read_only else holder)
    _OPEN_STORES.add(store)
    if store.holder:
        write_note(path, store.holder)
    if leftover_log:
        store.notes.append(_recovery_note(store))
    return store


def _recovery_note(store: ProjectStore) -> str:
    wal = wal_path(store.path).name
    if store.checkpoint():  # the project is one file again
        return (f"recovered the changes that a session which did not close had left in {wal}; they are now saved "
                "in the project file (if you had just replaced the file with an older copy on purpose, close qcode "
                "and copy it in again)")
    return (f"recovered the changes left in {wal}, but the disk has no room to fold them into the project file: "
            f"keep {wal} beside it and free some space")


def _has_leftover_log(path: Path, read_only: bool) -> bool:
    """A non-empty WAL beside a project that no store of this process holds: the unsaved changes of a session that
    ended without closing (a kill, a crash, a full disk at the final checkpoint). Another process holding the project
    is found by the lock when connecting."""
    if read_only or not path.is_file():
        return False
    wal = wal_path(path)
    try:
        if wal.stat().st_size == 0:
            return False
    except OSError:
        return False
    here = os.path.realpath(path)
    return not any(os.path.realpath(store.path) == here for store in list(_OPEN_STORES))


@atexit.register
def _close_open_stores() -> None:
    """At interpreter exit (also after a SIGTERM or Ctrl+C handled by the CLI or Streamlit) every project still open
    is checkpointed and closed, so the session's changes are in the project file, not in a WAL left beside it."""
    for store in list(_OPEN_STORES):
        try:
            store.close()
        except Exception:  # exiting anyway: DuckDB replays the WAL on the next open
            pass


def _has_foreign_tables(conn: duckdb.DuckDBPyConnection) -> bool:
    return bool(conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name <> 'schema_migrations'"
    ).fetchone()[0])


def backup_path(path: Path, version: int) -> Path:
    """Copy the closed project file aside before a migration touches it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.bak-schema{version}-{stamp}")
    with output_file(target, overwrite=False) as partial:  # whole or absent, also on a full disk
        shutil.copy2(path, partial)
    return target
