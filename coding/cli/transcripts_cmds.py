"""`qcode init`, `ingest`, `transcripts`, `show`: the project and its transcripts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from coding.cli.common import DbOption, JsonOption, console, default_db, print_json, project, report_problems
from coding.errors import NotFound, Problem
from coding.store import documents as doc_store
from coding.store.settings import set_setting
from pipelines.ingest import ingest_paths, project_segmenter_settings


def init(
    db: DbOption = default_db(),
    spacy_model: Annotated[str, typer.Option(help="spaCy pipeline for sentences: 'blank:en' or an installed one.")] = "blank:en",
) -> None:
    """Create a project file (or open and migrate an existing one)."""
    existed = db.exists()
    with project(db, create=True) as store:
        if not existed:
            set_setting(store, "spacy_model", spacy_model)
    console.print(f"{'Opened' if existed else 'Created'} project {db}", markup=False)


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Transcript files or folders (.txt .md .vtt .srt .docx).")],
    db: DbOption = default_db(),
    metadata: Annotated[Optional[Path], typer.Option(help="CSV with a 'document' column and attribute columns.")] = None,
    interviewer: Annotated[Optional[list[str]], typer.Option(help="A speaker label to treat as interviewer (repeatable).")] = None,
    include_interviewer: Annotated[bool, typer.Option(help="Also cut interviewer turns into excerpts.")] = False,
) -> None:
    """Read transcripts into speaker turns and excerpts; re-ingesting an unchanged file does nothing."""
    with project(db) as store:
        report = ingest_paths(store, paths, metadata, interviewer or [],
                              project_segmenter_settings(store, include_interviewer))
    for outcome in report.files:
        if outcome.status == "failed":
            continue
        console.print(outcome.summary(), markup=False)
        report_problems(outcome.warnings, prefix="warning")
        if outcome.reanchored:
            console.print(f"  {outcome.reanchored} codings kept on their text in the new version", markup=False)
        report_problems(outcome.unplaced_problems(), prefix="warning")
    report_problems(report.warnings, prefix="warning")
    report_problems(report.all_problems)
    ok = sum(1 for f in report.files if f.status != "failed")
    console.print(f"{ok} of {len(report.files)} files ingested", markup=False)
    if report.transcripts_failed or not report.ingested_any:  # scripts must see a transcript was not ingested
        raise typer.Exit(1)


def transcripts(db: DbOption = default_db(), json_output: JsonOption = False) -> None:
    """List documents with speakers, turns, excerpts, words and attributes."""
    with project(db) as store:
        rows = doc_store.summaries(store)
    if json_output:
        print_json([row.model_dump() for row in rows])
        return
    table = Table("document", "speakers", "turns", "respondent", "excerpts", "words", "attributes")
    for row in rows:
        attributes = ", ".join(f"{k}={v}" for k, v in row.attributes.items() if v is not None)
        table.add_row(row.document, ", ".join(row.speakers), str(row.turns), str(row.respondent_turns),
                      str(row.excerpts), str(row.words), attributes)
    console.print(table)


def show(
    document: Annotated[str, typer.Argument(help="Document name, e.g. D07.")],
    turn: Annotated[Optional[int], typer.Option(help="Show only this turn (with its excerpts).")] = None,
    db: DbOption = default_db(),
    json_output: JsonOption = False,
) -> None:
    """Print a transcript turn by turn, numbered as codings address them ("D07, turn 12")."""
    with project(db) as store:
        doc = doc_store.get_document(store, document)
        if doc is None:
            names = doc_store.document_names(store)
            raise NotFound(Problem(f"no document named {document}",
                                   hint=f"documents are: {', '.join(names[:20]) or 'none yet (run qcode ingest)'}"))
        turns = doc_store.get_turns(store, document)
        excerpts = doc_store.get_excerpts(store, document)
    if turn is not None:
        if not 1 <= turn <= len(turns):
            raise NotFound(Problem(f"{document} has turns 1..{len(turns)}, not {turn}"))
        turns = [turns[turn - 1]]
    if json_output:
        print_json([{**t.model_dump(mode="json"), "excerpts": [e.model_dump() for e in excerpts if e.turn == t.number]}
                    for t in turns])
        return
    if turn is None and doc.title:
        console.print(doc.title, markup=False, style="bold")
    for t in turns:
        stamp = f"[{_clock(t.start_time)}] " if t.start_time is not None else ""
        role = " (interviewer)" if t.role.value == "interviewer" else ""
        console.print(f"{t.number:>4}  {stamp}{t.speaker}{role}: {t.text}", markup=False, highlight=False)
        if turn is not None:
            for e in (e for e in excerpts if e.turn == t.number):
                console.print(f"      excerpt {e.id} [{e.start}:{e.end}] {e.text}", markup=False, highlight=False)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"
