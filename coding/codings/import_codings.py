"""Importing codings from a CSV: by turn (`document,turn,code`) or by quote (`document,code,segment`).

Every row either becomes a coding or is reported with its row number and the reason; nothing is silently dropped.
All accepted rows are recorded as one batch of decisions (one transaction, undone together).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from coding.codebook import Code, Codebook, add_code
from coding.errors import ImportProblem, Problem
from coding.codings.locate import QuoteLocator
from coding.transcripts.metadata import duplicate_column_problems, read_csv_records
from coding.models import CodingSource, Decision, DecisionAction, Excerpt, Span, Turn
from coding.store import ProjectStore
from coding.store import codings as coding_store
from coding.store import documents as doc_store

QUOTE_COLUMNS = ("segment", "quote", "text", "coded segment")


@dataclass
class ImportReport:
    shape: str  # turn | quote
    rows: int = 0
    imported: int = 0
    located: int = 0  # quote rows found in their transcript
    problems: list[Problem] = field(default_factory=list)
    created_codes: list[str] = field(default_factory=list)
    batch: str | None = None

    def summary(self, coder: str) -> str:
        """"2 of 3 rows imported for ana (by turn)", as `qcode import-codings` prints it."""
        located = f"; {self.located} of {self.rows} quotes located" if self.shape == "quote" else ""
        created = f"; created codes {', '.join(self.created_codes)}" if self.created_codes else ""
        return f"{self.imported} of {self.rows} rows imported for {coder} (by {self.shape}){located}{created}"


def read_rows(path: Path) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    records = read_csv_records(path, ImportProblem, "file", hint="check the path of the codings CSV")
    fieldnames = records[0] if records else []
    duplicates = duplicate_column_problems(fieldnames, path)
    if duplicates:
        raise ImportProblem(duplicates)
    header = [h.strip().lower() for h in fieldnames]
    quote_column = next((c for c in QUOTE_COLUMNS if c in header), None)
    if {"document", "turn", "code"} <= set(header):
        shape = "turn"
    elif {"document", "code"} <= set(header) and quote_column:
        shape = "quote"
    else:
        raise ImportProblem(Problem(
            f"unrecognised columns: {', '.join(header) or '(none)'}", path=str(path), row=1,
            hint="use 'document,turn,code' (one row per turn and code) or 'document,code,segment' (coded quotes)"))
    rows = []
    for number, record in enumerate(records[1:], start=2):
        row = dict(zip(header, record))  # cells past the header are ignored; missing cells are empty
        cleaned = {k: (v or "").strip() if k != quote_column else (v or "") for k, v in row.items() if k}
        if quote_column and quote_column != "segment":
            cleaned["segment"] = cleaned.pop(quote_column, "")
        if any(cleaned.values()):
            rows.append((number, cleaned))
    return shape, rows


def import_codings(store: ProjectStore, path: Path, coder: str, codebook: Codebook, create_codes: bool = False
                   ) -> tuple[ImportReport, Codebook]:
    """Record the CSV's codings for `coder`; returns the report and the codebook (with any codes it created)."""
    shape, rows = read_rows(path)
    report = ImportReport(shape=shape, rows=len(rows))
    documents: dict[str, tuple[str, list[Turn], list[Excerpt], QuoteLocator]] = {}
    decisions: list[Decision] = []
    batch = coding_store.new_batch_id()
    for number, row in rows:
        problem = _check_row(store, row, codebook, create_codes, documents, path, number)
        if problem:
            report.problems.append(problem)
            continue
        code = row["code"]
        if code not in codebook:
            codebook = add_code(codebook, Code(id=code, name=code.replace("_", " ").title(),
                                               definition="Created by an import; define it in the codebook."))
            report.created_codes.append(code)
        text, turns, excerpts, locator = documents[row["document"]]
        span = _span_for_row(shape, row, turns, excerpts, locator, path, number, report)
        if isinstance(span, Problem):
            report.problems.append(span)
            continue
        decisions.append(Decision(coder=coder, action=DecisionAction.code, span=span, code=code,
                                  source=CodingSource.imported, batch=batch, note=f"{path.name} row {number}"))
    if decisions:
        coding_store.record(store, decisions)
        report.batch = batch
    report.imported = len(decisions)
    return report, codebook


def import_codings_into_project(store: ProjectStore, path: Path, coder: str, create_codes: bool = False
                                ) -> ImportReport:
    """`qcode import-codings`: the CSV's codings for `coder` against the project's codebook, and the codes it
    created (with `create_codes`) as a new codebook version, in one transaction. Rows with a problem are reported
    and left out; a file that cannot be read changes nothing."""
    from coding.project_codebook import apply_edit, require_codebook

    _, codebook = require_codebook(store)
    with store.transaction():
        report, updated = import_codings(store, path, coder, codebook, create_codes)
        if report.created_codes:
            apply_edit(store, updated, coder, note=f"codes created by importing {path.name}", write_back=False)
    return report


def _check_row(store, row, codebook, create_codes, documents, path, number) -> Problem | None:
    document, code = row.get("document", ""), row.get("code", "")
    if not document or not code:
        return Problem("row needs both a document and a code", path=str(path), row=number)
    if document not in documents:
        stored = doc_store.get_document(store, document)
        if stored is None:
            return Problem(f"unknown document '{document}'", path=str(path), row=number,
                           hint="ingest it first, or fix the name (file name without extension)")
        documents[document] = (stored.text, doc_store.get_turns(store, document),
                               doc_store.get_excerpts(store, document), QuoteLocator(stored.text))
    if code not in codebook and not create_codes:
        return Problem(f"unknown code '{code}'", path=str(path), row=number, code=code,
                       hint="add it to the codebook, or import with --create-codes")
    return None


def _span_for_row(shape, row, turns, excerpts, locator, path, number, report) -> Span | Problem:
    if shape == "turn":
        try:
            turn_number = int(row["turn"])
        except ValueError:
            return Problem(f"turn '{row['turn']}' is not a number", path=str(path), row=number)
        if not 1 <= turn_number <= len(turns):
            return Problem(f"{row['document']} has turns 1..{len(turns)}, not {turn_number}", path=str(path),
                           row=number, hint="turns count every speaker turn, interviewer turns included")
        turn = turns[turn_number - 1]
        return Span(document=turn.document, start=turn.start, end=turn.end, turn=turn.number,
                    excerpt_id=_exact_excerpt(excerpts, turn.start, turn.end))
    found = locator.locate(row.get("segment", ""))
    if found is None:
        preview = " ".join(row.get("segment", "").split())[:60]
        return Problem(f"quote not found in {row['document']}: \"{preview}...\"", path=str(path), row=number,
                       hint="check the document name, or that the quote is from this transcript")
    report.located += 1
    start, end = found
    turn = next((t for t in turns if t.start <= start < t.end + 2), None) or turns[-1]
    return Span(document=turn.document, start=start, end=end, turn=turn.number,
                excerpt_id=_exact_excerpt(excerpts, start, end))


def _exact_excerpt(excerpts: list[Excerpt], start: int, end: int) -> str | None:
    return next((e.id for e in excerpts if e.start == start and e.end == end), None)
