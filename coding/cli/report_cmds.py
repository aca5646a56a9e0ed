"""`qcode report ...`: code frequencies, co-occurrence, code-by-document and code-by-coder matrices, agreement."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import pandas as pd
import typer
from rich.table import Table

from coding.analysis import (
    agreement_table,
    agreement_view,
    by_attribute_table,
    code_document_matrix,
    code_frequencies,
    codes_by_coder,
    cooccurrence,
    cooccurrence_matrix,
    cooccurrence_units,
    frequencies_by_attribute,
    load_analysis,
    n_of_total,
    side_by_side,
)
from coding.cli.common import DbOption, JsonOption, QcodeGroup, console, default_db, print_json, project
from coding.export.tabular import csv_bytes
from coding.safety.outputs import write_output

app = typer.Typer(cls=QcodeGroup, help="Analysis tables: frequencies, co-occurrence, matrices, agreement.",
                  no_args_is_help=True)

CodersOption = Annotated[Optional[list[str]], typer.Option("--coder", help="Only this coder's codings "
                                                           "(repeatable; default: all coders).")]
SourcesOption = Annotated[Optional[list[str]], typer.Option(
    "--source", help="Only codings from this source: human, accepted-suggestion, imported (repeatable).")]
CsvOption = Annotated[Optional[Path], typer.Option("--csv", help="Also write the table to this CSV file.")]
RollupOption = Annotated[bool, typer.Option("--rollup/--no-rollup", help="Parent codes count their children.")]


_WRAPPED = {"name", "text", "name_a", "name_b"}
_UNBROKEN = {"code", "unit_id", "path"}
_TEXT_LIMIT = 160  # the table is for reading at a terminal; --json and --csv keep the whole text


def show_frame(frame: pd.DataFrame, json_output: bool, csv_path: Path | None, title: str | None = None) -> None:
    """Print a table (or its JSON records) and optionally save it as CSV (whole or not at all, never over a
    database: `coding.safety.outputs`)."""
    if csv_path is not None:
        write_output(csv_path, csv_bytes(frame))
    if json_output:
        print_json(frame.astype(object).where(frame.notna(), None).to_dict(orient="records"))
        return
    table = Table(title=title)
    for column in frame.columns:
        table.add_column(str(column), no_wrap=str(column) in _UNBROKEN, ratio=3 if str(column) in _WRAPPED else None)
    for row in frame.itertuples(index=False):
        table.add_row(*[_shown(v) for v in row])
    console.print(table)


def _shown(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value)
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…"


@app.command()
def frequencies(
    db: DbOption = default_db(),
    by: Annotated[Optional[str], typer.Option(help="A document attribute to break counts down by, "
                                                   "e.g. district_type.")] = None,
    unit: Annotated[str, typer.Option(help="With --by: count excerpt, turn or document (cases).")] = "document",
    coder: CodersOption = None,
    source: SourcesOption = None,
    rollup: RollupOption = True,
    json_output: JsonOption = False,
    csv_path: CsvOption = None,
) -> None:
    """How many excerpts, turns and documents carry each code; with --by, "n of N (p%)" per attribute value."""
    with project(db) as store:
        data = load_analysis(store, coders=coder, sources=source)
    if by is None:
        frame = code_frequencies(data, rollup=rollup)
        if not json_output:
            frame = frame.assign(code=["  " * d + c for d, c in zip(frame["depth"], frame["code"])],
                                 documents=[n_of_total(n, t) for n, t in
                                            zip(frame["documents"], frame["documents_total"])])
            frame = frame[["code", "name", "codings", "excerpts", "turns", "documents"]]
        show_frame(frame, json_output, csv_path)
        return
    long = frequencies_by_attribute(data, by, unit=unit, rollup=rollup)  # type: ignore[arg-type]
    show_frame(long if json_output else by_attribute_table(long), json_output, csv_path,
               title=f"{unit}s carrying each code, by {by}")


@app.command("cooccurrence")
def cooccurrence_cmd(
    db: DbOption = default_db(),
    unit: Annotated[str, typer.Option(help="Co-occurrence within an excerpt or a turn.")] = "excerpt",
    measure: Annotated[str, typer.Option(help="Cell value: both (count) or jaccard.")] = "both",
    cell: Annotated[Optional[str], typer.Option(help="CODE_A,CODE_B: list the units behind this cell.")] = None,
    coder: CodersOption = None,
    source: SourcesOption = None,
    rollup: RollupOption = False,
    json_output: JsonOption = False,
    csv_path: CsvOption = None,
) -> None:
    """Code co-occurrence as a matrix (counts or Jaccard), or the units behind one cell with --cell."""
    with project(db) as store:
        data = load_analysis(store, coders=coder, sources=source)
    if cell:
        code_a, _, code_b = cell.partition(",")
        units = cooccurrence_units(data, code_a.strip(), code_b.strip(), unit=unit,  # type: ignore[arg-type]
                                   rollup=rollup)
        show_frame(units, json_output, csv_path, title=f"{unit}s carrying {code_a} and {code_b}")
        return
    long = cooccurrence(data, unit=unit, rollup=rollup)  # type: ignore[arg-type]
    if json_output:
        show_frame(long, True, csv_path)
        return
    if measure not in ("both", "jaccard"):
        raise typer.BadParameter("use both or jaccard", param_hint="--measure")
    show_frame(cooccurrence_matrix(long, measure).reset_index(), False, csv_path,  # type: ignore[arg-type]
               title=f"co-occurrence within {unit}s ({measure})")


@app.command()
def matrix(
    db: DbOption = default_db(),
    unit: Annotated[str, typer.Option(help="Count excerpts, turns, or documents (0/1) per cell.")] = "turn",
    by_coder: Annotated[bool, typer.Option("--by-coder", help="Codes by coder instead of by document.")] = False,
    coder: CodersOption = None,
    source: SourcesOption = None,
    rollup: RollupOption = False,
    json_output: JsonOption = False,
    csv_path: CsvOption = None,
) -> None:
    """Code-by-document matrix (or codes by coder with --by-coder)."""
    with project(db) as store:
        data = load_analysis(store, coders=coder, sources=source)
    build = codes_by_coder if by_coder else code_document_matrix
    frame = build(data, unit=unit, rollup=rollup)  # type: ignore[arg-type]
    show_frame(frame if json_output or csv_path else frame.drop(columns="name"), json_output, csv_path)


@app.command()
def agreement(
    db: DbOption = default_db(),
    coder: Annotated[Optional[list[str]], typer.Option(
        "--coder", help="Coders to compare (repeat; default all). The first is the reference.")] = None,
    unit: Annotated[str, typer.Option(help="Compare respondent turns or excerpts.")] = "turn",
    source: SourcesOption = None,
    boot: Annotated[int, typer.Option(help="Bootstrap resamples for alpha's interval.")] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed of the bootstrap.")] = 0,
    disagreements: Annotated[bool, typer.Option("--disagreements", help="List the units the coders disagree "
                                                                        "on, codes side by side.")] = False,
    json_output: JsonOption = False,
    csv_path: CsvOption = None,
) -> None:
    """Cohen's kappa and Krippendorff's alpha (with a bootstrap interval) per code, over common documents."""
    with project(db) as store:
        data = load_analysis(store, sources=source)
    view = agreement_view(data, coder, unit=unit, n_boot=boot, seed=seed)  # type: ignore[arg-type]
    if json_output and not disagreements:
        print_json(view.model_dump(mode="json", exclude={"unit_codes"}))
        return
    frame = side_by_side(view) if disagreements else agreement_table(view)
    show_frame(frame, json_output, csv_path)
    if not json_output:
        ci = view.overall_alpha_ci
        console.print(
            f"{' vs '.join(view.coders)}: {view.n_units} respondent {view.unit}s in {len(view.documents)} common "
            f"documents; alpha {view.report.overall_alpha:.3f} ({view.level:.0%} CI {ci.low:.3f} to {ci.high:.3f}), "
            f"mean kappa {view.report.mean_kappa:.3f}; {len(view.disagreements)} disagreements", markup=False)
