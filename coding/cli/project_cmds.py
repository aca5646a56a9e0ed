"""`qcode backup`: a consistent copy of the project file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from coding.cli.common import DbOption, console, default_db, project
from coding.backup_handoff import request_backup
from coding.errors import ProjectError
from coding.store.backup import backup_project


def backup(
    target: Annotated[Optional[Path], typer.Argument(help="Backup file (default: PROJECT-backup-TIMESTAMP.duckdb).")] = None,
    db: DbOption = default_db(),
) -> None:
    """Write a consistent copy of the project (one snapshot), also while the app has it open."""
    try:
        with project(db) as store:
            written = backup_project(store, target)
    except ProjectError as error:
        if not any("open in another program" in p.message for p in error.problems):
            raise
        written = request_backup(db, target)  # the app holds the file: it takes the snapshot for us
    console.print(f"backed up {db} to {written}", markup=False)
