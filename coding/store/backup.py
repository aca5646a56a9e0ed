"""A consistent copy of a project taken through its open connection (a snapshot of one transaction).

The copy is built under a temporary name in the target's folder and renamed when complete, so a backup that is
killed or runs out of disk never leaves a file under the asked-for name (one that would open as a valid, empty
project and block a rerun).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from coding.errors import Problem, ProjectError
from coding.safety.outputs import check_output_path, output_file
from coding.store.connection import ProjectStore, storage_problem


_NOT_WRITTEN = "no backup was written"


def default_backup_path(store: ProjectStore) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return store.path.with_name(f"{store.path.stem}-backup-{stamp}.duckdb")


def check_backup_target(project: Path, target: Path | None) -> None:
    """Refuse a target that cannot be written before any work starts (also before asking the app for it)."""
    if target is None:
        return
    check_output_path(target, project, overwrite=False)
    if not target.parent.is_dir():
        raise ProjectError(Problem("the folder of the backup file does not exist", path=str(target),
                                   hint=f"create {target.parent} first, or correct the path"))


def backup_project(store: ProjectStore, target: Path | None = None) -> Path:
    target = Path(target) if target else default_backup_path(store)
    check_backup_target(store.path, target)
    source = store.conn.execute("SELECT current_database()").fetchone()[0]
    alias = "qcode_backup_target"
    with output_file(target, store.path, overwrite=False, create_folders=False) as partial:
        try:
            store.conn.execute(f"ATTACH '{_quoted(partial)}' AS {alias}")
        except duckdb.Error as error:
            raise ProjectError(storage_problem(error, target, _NOT_WRITTEN, name_given_path=True) or Problem(
                f"cannot create the backup file: {str(error).splitlines()[0]}", path=str(target))) from None
        try:
            store.conn.execute(f'COPY FROM DATABASE "{source}" TO {alias}')
        except duckdb.Error as error:
            _detach(store, alias, target)
            raise ProjectError(storage_problem(error, target, _NOT_WRITTEN, name_given_path=True) or Problem(
                f"the backup failed: {str(error).splitlines()[0]}", path=str(target))) from None
        except BaseException:
            _detach(store, alias, target)
            raise
        _detach(store, alias, target, strict=True)
    return target


def _detach(store: ProjectStore, alias: str, target: Path, strict: bool = False) -> None:
    """DETACH writes the copy's last pages: a failure there (disk full) fails the backup."""
    try:
        store.conn.execute(f"DETACH {alias}")
    except duckdb.Error as error:
        if strict:
            raise ProjectError(storage_problem(error, target, _NOT_WRITTEN, name_given_path=True) or Problem(
                f"the backup failed: {str(error).splitlines()[0]}", path=str(target))) from None


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
