"""`qcode import-codings`, `qcode codings`, `qcode undo`, `qcode redo`: codings and the decision log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from coding.cli.common import DbOption, JsonOption, console, default_db, print_json, project, report_problems
from coding.codings.import_codings import import_codings_into_project
from coding.store import codings as coding_store

CoderOption = Annotated[str, typer.Option("--coder", envvar="QCODE_CODER", help="Coder name the codings belong to.")]


def import_codings(
    file: Annotated[Path, typer.Argument(help="CSV: document,turn,code or document,code,segment.")],
    coder: CoderOption,
    db: DbOption = default_db(),
    create_codes: Annotated[bool, typer.Option(help="Add codes missing from the codebook instead of "
                                                    "reporting their rows.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Import codings made elsewhere, by turn number or by quoted segment; every row is accounted for."""
    with project(db) as store:
        report = import_codings_into_project(store, file, coder, create_codes)
    if json_output:
        print_json({"shape": report.shape, "rows": report.rows, "imported": report.imported,
                    "located": report.located, "created_codes": report.created_codes,
                    "problems": [str(p) for p in report.problems]})
    else:
        report_problems(report.problems, prefix="not imported")
        console.print(report.summary(coder), markup=False)
    if report.rows and not report.imported:
        raise typer.Exit(1)


def codings(
    db: DbOption = default_db(),
    coder: Annotated[Optional[str], typer.Option(help="Only this coder's codings.")] = None,
    document: Annotated[Optional[str], typer.Option(help="Only this document.")] = None,
    json_output: JsonOption = False,
) -> None:
    """List the current codings (derived from the decision log)."""
    with project(db) as store:
        rows = coding_store.current_codings(store, coder=coder, document=document)
    if json_output:
        print_json([r.model_dump(mode="json") for r in rows])
        return
    table = Table("document", "turn", "code", "coder", "source", "text")
    for r in rows:
        table.add_row(r.document, str(r.turn), r.code, r.coder, r.source.value, (r.text or "")[:80])
    console.print(table)


def undo(coder: CoderOption, db: DbOption = default_db()) -> None:
    """Undo the coder's latest decision (a whole import or merge at once). Works across restarts."""
    with project(db) as store:
        undone = coding_store.undo_last(store, coder)
    console.print(f"undid {len(undone)} decision(s)" if undone else "nothing to undo", markup=False)


def redo(coder: CoderOption, db: DbOption = default_db()) -> None:
    """Redo what the coder's latest undo took back."""
    with project(db) as store:
        redone = coding_store.redo_last(store, coder)
    console.print(f"redid {len(redone)} decision(s)" if redone else "nothing to redo", markup=False)
