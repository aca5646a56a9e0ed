"""`qcode export` (csv, xlsx, docx, md, html, qdpx, qdc) and `qcode import-qdpx` (a REFI-QDA project)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from coding.cli.common import DbOption, JsonOption, console, default_db, print_json, project, report_problems
from coding.export.citation import CITATION_PRESETS, DEFAULT_CITATION
from coding.export.formats import EXPORT_FORMATS, ExportOptions, pseudonyms_file, write_export
from coding.refi.qdpx_import import import_qdpx as run_import


def export(
    out: Annotated[Path, typer.Argument(help="File to write, e.g. codings.xlsx or project.qdpx.")],
    fmt: Annotated[Optional[str], typer.Option(
        "--format", help=f"One of {', '.join(EXPORT_FORMATS)}; default from OUT's extension.")] = None,
    db: DbOption = default_db(),
    coder: Annotated[Optional[list[str]], typer.Option("--coder", help="Only this coder's codings "
                                                                       "(repeatable; default all).")] = None,
    source: Annotated[Optional[list[str]], typer.Option(
        "--source", help="Only codings from this source: human, accepted-suggestion, imported.")] = None,
    pseudonymise: Annotated[bool, typer.Option(
        "--pseudonymise", help="Replace speaker names (Respondent 1..n) and names from pseudonyms.csv "
                               "beside the project.")] = False,
    pseudonyms: Annotated[Optional[Path], typer.Option(
        "--pseudonyms", help="CSV of name,pseudonym rows (implies --pseudonymise).")] = None,
    citation: Annotated[str, typer.Option(
        help=f"Quote attribution in docx: a preset ({', '.join(CITATION_PRESETS)}) or a template such as "
             "'{role}, {region}; {document}, turn {turn}'.")] = DEFAULT_CITATION,
) -> None:
    """Export codings, a quote bank, a methods report, or a REFI-QDA project/codebook."""
    options = ExportOptions(coders=tuple(coder) if coder else None, sources=tuple(source) if source else None,
                            pseudonymise=pseudonymise or pseudonyms is not None, pseudonyms_file=pseudonyms,
                            citation=citation)
    with project(db) as store:
        mapping = pseudonyms_file(store, options)
        written = write_export(store, out, fmt, options)
    names = f" (pseudonyms from {mapping})" if mapping else (" (speakers pseudonymised)" if pseudonymise else "")
    console.print(f"wrote {written}{names}", markup=False)


def import_qdpx(
    file: Annotated[Path, typer.Argument(help="REFI-QDA project (.qdpx) from NVivo, ATLAS.ti, MAXQDA, ...")],
    db: DbOption = default_db(),
    codebook: Annotated[str, typer.Option(help="merge: add new codes to the project codebook; replace: use "
                                               "the file's codebook.")] = "merge",
    coder: Annotated[Optional[str], typer.Option(help="Record every coding under this coder instead of the "
                                                      "file's users.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Import a REFI-QDA project: its text sources, codebook and codings (all or nothing)."""
    with project(db) as store:
        report = run_import(store, file, codebook_mode=codebook, coder=coder)  # type: ignore[arg-type]
    if json_output:
        print_json({**{k: v for k, v in vars(report).items() if k != "problems"},
                    "problems": [str(p) for p in report.problems]})
        return
    report_problems(report.problems, prefix="not imported")
    if report.users:
        console.print(f"users in the file: {', '.join(report.users)}", markup=False)
    added = f"; codes added: {', '.join(report.codes_added)}" if report.codes_added else ""
    console.print(
        f"{len(report.documents_added)} documents added, {len(report.documents_matched)} matched existing ones; "
        f"{report.codings} codings by {', '.join(report.coders) or 'nobody'}{added}", markup=False)
    for document, unit in report.position_units.items():
        console.print(f"{document}: positions read as {unit}", markup=False)
    console.print(f"the file's codings: {report.summary()}", markup=False)
    if report.memos:
        console.print(f"{report.memos} memos imported (qcode memo list)", markup=False)
