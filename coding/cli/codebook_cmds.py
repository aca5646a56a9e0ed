"""`qcode codebook ...`: load, show, export, delete (with merge) and the JSON Schema."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.tree import Tree

from coding.cli.common import DbOption, JsonOption, QcodeGroup, console, default_db, print_json, project
from coding.codebook import write_codebook_json_schema
from coding.project_codebook import (delete_code_in_project, export_codebook, load_codebook_file, loaded_summary,
                                     require_codebook)
from coding.store import codings as coding_store

app = typer.Typer(cls=QcodeGroup, help="The project's codebook: load, show, export, delete codes.",
                  no_args_is_help=True)

CoderOption = Annotated[str, typer.Option("--coder", envvar="QCODE_CODER", help="Who makes the change.")]


@app.command()
def load(
    file: Annotated[Path, typer.Argument(help="Codebook .yaml or REFI-QDA .qdc file.")],
    db: DbOption = default_db(),
    coder: CoderOption = "researcher",
) -> None:
    """Store FILE as a new codebook version (codings keep pointing at code ids)."""
    with project(db) as store:
        version, codebook = load_codebook_file(store, file, created_by=coder)
    console.print(loaded_summary(version, codebook), markup=False)


@app.command()
def show(db: DbOption = default_db(), json_output: JsonOption = False) -> None:
    """The code tree with definitions and coding counts."""
    with project(db) as store:
        version, codebook = require_codebook(store)
        counts = coding_store.coding_counts_by_code(store)
    if json_output:
        print_json({"version": version, "codebook": codebook.model_dump(mode="json"),
                    "counts": {c.id: counts.get(c.id, 0) for c in codebook.codes}})
        return
    tree = Tree(f"{codebook.name} (project version {version})")
    nodes = {}
    for code in codebook.depth_first():
        parent = nodes.get(code.parent, tree)
        label = f"{code.id}  {code.name}  [{counts.get(code.id, 0)} codings]"
        nodes[code.id] = parent.add(label)
    console.print(tree)


@app.command()
def export(
    file: Annotated[Path, typer.Argument(help="Target .yaml or .qdc file.")],
    db: DbOption = default_db(),
) -> None:
    """Write the current codebook as YAML or as a REFI-QDA codebook (.qdc) with its hierarchy."""
    with project(db) as store:
        written = export_codebook(store, file)
    console.print(f"wrote {written}", markup=False)


@app.command()
def delete(
    code: Annotated[str, typer.Argument(help="Code id to delete.")],
    merge_into: Annotated[Optional[str], typer.Option("--merge-into", help="Move its codings to this code.")] = None,
    db: DbOption = default_db(),
    coder: CoderOption = "researcher",
) -> None:
    """Delete a code. One that holds codings needs --merge-into OTHER, which recodes them (undoable)."""
    with project(db) as store:
        version = delete_code_in_project(store, code, merge_into, coder)
    what = f"merged into {merge_into}" if merge_into else "deleted"
    console.print(f"{code} {what}; codebook is now project version {version}", markup=False)


@app.command()
def schema(
    file: Annotated[Path, typer.Argument(help="Where to write the JSON Schema.")] = Path("codebook.schema.json"),
) -> None:
    """Write the JSON Schema of the codebook format (for editors that validate YAML)."""
    console.print(f"wrote {write_codebook_json_schema(file)}", markup=False)
