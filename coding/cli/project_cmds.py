"""`qcode backup`: a consistent copy of the project file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from coding.cli.common import DbOption, console, default_db, project
from coding.store.backup import backup_project


def backup(
    target: Annotated[Optional[Path], typer.Argument(help="Backup file (default: PROJECT-backup-TIMESTAMP.duckdb).")] = None,
    db: DbOption = default_db(),
) -> None:
    """Write a consistent copy of the project (one snapshot; safe while nothing else holds the file)."""
    with project(db) as store:
        written = backup_project(store, target)
    console.print(f"backed up {db} to {written}", markup=False)
