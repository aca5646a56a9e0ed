"""`qcode agreement`: inter-coder agreement per code (Cohen's kappa, Krippendorff's alpha, F1)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from coding.cli.common import DbOption, JsonOption, console, default_db, print_json, project
from coding.reliability import project_agreement

UnitOption = Annotated[str, typer.Option("--unit", help="turn (respondent turns) or excerpt.")]


def agreement(
    coders: Annotated[str, typer.Option("--coders", help="Comma-separated coders; 'suggested' = the machine, "
                                                      "'llm' = the local LLM coder.")],
    unit: UnitOption = "turn",
    db: DbOption = default_db(),
    json_output: JsonOption = False,
) -> None:
    """Per-code agreement between coders; the first coder is the reference for precision/recall/F1."""
    names = [c.strip() for c in coders.split(",") if c.strip()]
    with project(db) as store:
        report = project_agreement(store, names, unit)
    if json_output:
        print_json(report.model_dump())
        return
    print_agreement_table(report, f"{' vs '.join(names)} by {unit}")


def print_agreement_table(report, title: str) -> None:
    table = Table("code", "kappa", "alpha", "% agree", "precision", "recall", "F1", "support", title=title)
    for code, row in report.codes.items():
        table.add_row(code, f"{row.kappa:.2f}", f"{row.alpha:.2f}", f"{row.percent_agreement:.0%}",
                      f"{row.precision:.2f}", f"{row.recall:.2f}", f"{row.f1:.2f}", str(row.support))
    console.print(table)
    console.print(f"mean kappa {report.mean_kappa:.3f}  overall alpha {report.overall_alpha:.3f}  "
                  f"macro F1 {report.macro_f1:.3f}  micro F1 {report.micro_f1:.3f}", markup=False)
