"""A consistent copy of a project taken through its open connection (a snapshot of one transaction)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from coding.errors import Problem, ProjectError
from coding.store.connection import ProjectStore


def default_backup_path(store: ProjectStore) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return store.path.with_name(f"{store.path.stem}-backup-{stamp}.duckdb")


def backup_project(store: ProjectStore, target: Path | None = None) -> Path:
    target = Path(target) if target else default_backup_path(store)
    if target.exists():
        raise ProjectError(Problem("the backup file already exists", path=str(target), hint="choose a new name"))
    if target.resolve() == store.path.resolve():
        raise ProjectError(Problem("cannot back a project up onto itself", path=str(target)))
    source = store.conn.execute("SELECT current_database()").fetchone()[0]
    alias = "qcode_backup_target"
    store.conn.execute(f"ATTACH '{_quoted(target)}' AS {alias}")
    try:
        store.conn.execute(f'COPY FROM DATABASE "{source}" TO {alias}')
    except BaseException:
        store.conn.execute(f"DETACH {alias}")
        target.unlink(missing_ok=True)
        raise
    store.conn.execute(f"DETACH {alias}")
    return target


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
