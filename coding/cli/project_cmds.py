"""`qcode backup`: a consistent copy of the project file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from coding.cli.common import DbOption, console, default_db, project
from coding.store.backup import backup_project, check_backup_target


def backup(
    target: Annotated[Optional[Path], typer.Argument(help="Backup file (default: PROJECT-backup-TIMESTAMP.duckdb).")] = None,
    db: DbOption = default_db(),
) -> None:
    """Write a consistent copy of the project (one snapshot), also while the app has it open."""
    check_backup_target(db, target)  # a wrong target is refused at once, not after waiting for the app
    with project(db) as store:  # the app lets go of the project between bursts of work: this waits for that
        written = backup_project(store, target)
    console.print(f"backed up {db} to {written}", markup=False)
