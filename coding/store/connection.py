"""Opening a project file: one DuckDB database, migrated to the code's schema, with clear errors."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

from coding.errors import Problem, ProjectError
from coding.store.migrate import apply_migrations, current_version, latest_version

DEFAULT_DB = "qcode.duckdb"


class ProjectStore:
    """The single owner of a project's DuckDB connection. Repository modules take it as their first argument."""

    def __init__(self, path: Path, conn: duckdb.DuckDBPyConnection):
        self.path = path
        self.conn = conn
        self._depth = 0

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
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    def close(self) -> None:
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
            raise ProjectError(
                Problem(
                    "the project is open in another program (another qcode command or the app)",
                    path=str(path),
                    hint="close the other program, or use the app for this project while it runs",
                )
            ) from None
        raise ProjectError(Problem(f"cannot open the project file: {message.splitlines()[0]}", path=str(path))) from None
    except duckdb.Error as error:
        raise ProjectError(
            Problem(f"not a qcode project file ({str(error).splitlines()[0]})", path=str(path),
                    hint="point --db at a .duckdb file made by 'qcode init'")
        ) from None


def open_project(path: str | Path = DEFAULT_DB, create: bool = False, read_only: bool = False) -> ProjectStore:
    """Open (or with `create`, make) a project and bring its schema up to date, backing it up first."""
    path = Path(path)
    if not path.exists() and not create:
        raise ProjectError(
            Problem("no project here", path=str(path), hint="run 'qcode init' first, or pass --db / set QCODE_DB")
        )
    if path.exists() and path.is_dir():
        raise ProjectError(Problem("is a folder, not a project file", path=str(path)))
    path.parent.mkdir(parents=True, exist_ok=True)
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
    return ProjectStore(path, conn)


def _has_foreign_tables(conn: duckdb.DuckDBPyConnection) -> bool:
    return bool(conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name <> 'schema_migrations'"
    ).fetchone()[0])


def backup_path(path: Path, version: int) -> Path:
    """Copy the closed project file aside before a migration touches it."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.bak-schema{version}-{stamp}")
    shutil.copy2(path, target)
    return target
