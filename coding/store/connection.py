"""Opening a project file: one DuckDB database, migrated to the code's schema, with clear errors.

The project is meant to be one file. DuckDB first appends committed changes to `PROJECT.duckdb.wal` and folds them
into the file at a checkpoint, so every store checkpoints when it closes, at interpreter exit (`atexit`, which also
runs after the CLI's and Streamlit's SIGTERM/SIGINT handling), and the app after a moment of idleness. A `.wal` found
when opening is either the unsaved changes of a session that did not close (recovered into the file, with a note) or
one that belongs to another version of the file (refused, with the fix).
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

from coding.errors import Problem, ProjectError
from coding.safety.outputs import is_duckdb_file, os_error_problem, output_file
from coding.store.migrate import apply_migrations, current_version, latest_version

DEFAULT_DB = "qcode.duckdb"

_OPEN_STORES: weakref.WeakSet[ProjectStore] = weakref.WeakSet()
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")
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


class ProjectStore:
    """The single owner of a project's DuckDB connection. Repository modules take it as their first argument."""

    def __init__(self, path: Path, conn: duckdb.DuckDBPyConnection, read_only: bool = False):
        self.path = path
        self.conn = conn
        self.read_only = read_only
        self.notes: list[str] = []  # what opening did that the researcher should know (a recovered WAL)
        self._depth = 0
        self._closed = False

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
        self.conn.close()

    def __enter__(self) -> ProjectStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        message = str(error)
        if "lock" in message.lower():
            raise ProjectError(_locked_problem(path, message)) from None
        if "replaying WAL" in message or "WAL does not match" in message:
            raise ProjectError(_foreign_wal_problem(path)) from None
        raise ProjectError(storage_problem(error, path) or Problem(
            f"cannot open the project file: {message.splitlines()[0]}", path=str(path))) from None
    except duckdb.Error as error:
        raise ProjectError(
            Problem(f"not a qcode project file ({str(error).splitlines()[0]})", path=str(path),
                    hint="point --db at a .duckdb file made by 'qcode init'")
        ) from None


def _locked_problem(path: Path, message: str) -> Problem:
    """DuckDB names the program and process id holding the lock: say which one it is."""
    holder = _LOCK_HOLDER.search(message)
    if holder is None:
        return Problem("the project is open in another program (another qcode command or the app)", path=str(path),
                       hint="close the other program, or use the app for this project while it runs")
    program, pid = Path(holder.group("program")).name, holder.group("pid")
    return Problem(f"the project is open in another program ({program}, process id {pid}: another qcode command "
                   "or the app)", path=str(path),
                   hint=f"close that program (if it hangs: kill {pid}), or use the app for this project while it "
                        "runs")


def _foreign_wal_problem(path: Path) -> Problem:
    wal = wal_path(path)
    return Problem(
        f"{wal.name} holds unsaved changes of a session that did not close, and they belong to another version of "
        "this file (the project file was replaced, e.g. restored from a copy, while that log was left beside it)",
        path=str(path),
        hint=f"to open the file as it is now, move the log aside: mv '{wal}' '{wal}.old'; to keep those changes "
             "instead, put back the project file that was there before")


def open_project(path: str | Path = DEFAULT_DB, create: bool = False, read_only: bool = False) -> ProjectStore:
    """Open (or with `create`, make) a project and bring its schema up to date, backing it up first."""
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
    leftover_log = _has_leftover_log(path, read_only)
    conn = _connect(path, read_only=read_only)
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
            conn = _connect(path)
        try:
            apply_migrations(conn)
        except BaseException:
            conn.close()
            raise
    store = ProjectStore(path, conn, read_only=read_only)
    _OPEN_STORES.add(store)
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
