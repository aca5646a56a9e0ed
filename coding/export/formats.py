"""Every export format behind one call: `export_bytes(store, fmt, options)` for the app's downloads and
`write_export(store, path, ...)` for the CLI.

Formats: csv, xlsx (coded-excerpt rows), docx (quote bank), md and html (report), qdpx (REFI-QDA project), qdc
(REFI-QDA codebook). Options filter codings by coder and source, pseudonymise names and choose the citation style.
"""

from __future__ import annotations

from pathlib import Path

from coding.analysis.data import AnalysisData, load_analysis
from coding.analysis.frequencies import code_frequencies
from coding.codebook import write_qdc
from coding.errors import NotFound, Problem, QcodeError
from coding.export.citation import citation_template
from coding.export.pseudonyms import NO_PSEUDONYMS, Pseudonymiser, build_pseudonymiser, read_pseudonyms
from coding.export.quotebank import quote_bank_docx
from coding.export.report import report_blocks, report_html, report_markdown
from coding.export.rows import coded_excerpt_rows, rows_frame
from coding.export.tabular import csv_bytes, xlsx_bytes
from coding.memos.model import Memo, TargetKind
from coding.models import Frozen
from coding.readers.labels import DEFAULT_INTERVIEWER_LABELS
from coding.refi.qdpx_export import qdpx_bytes
from coding.safety.outputs import check_output_path, write_output
from coding.store import ProjectStore
from coding.store.exports import all_documents, document_titles
from coding.store.llm_answers import latest_llm_run
from coding.store.memos import current_memos
from coding.store.settings import get_setting
from coding.store.themes import latest_theme_run

EXPORT_FORMATS = ("csv", "xlsx", "docx", "md", "html", "qdpx", "qdc")
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown",
    "html": "text/html",
    "qdpx": "application/zip",
    "qdc": "application/xml",
}
PSEUDONYMS_FILE = "pseudonyms.csv"


class ExportOptions(Frozen):
    coders: tuple[str, ...] | None = None  # None: every coder
    sources: tuple[str, ...] | None = None  # human, accepted-suggestion, imported; None: all
    decision_ids: tuple[int, ...] | None = None  # only these codings (a selection from a code's quotes); None: all
    pseudonymise: bool = False
    pseudonyms_file: Path | None = None  # name,pseudonym rows; implies pseudonymise
    citation: str | None = None  # a preset name or a template (coding.export.citation)
    n_boot: int = 1000  # bootstrap resamples for the report's alpha intervals
    seed: int = 0


def format_for(path: Path, fmt: str | None = None) -> str:
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen == "markdown":
        chosen = "md"
    if chosen not in EXPORT_FORMATS:
        raise QcodeError(Problem(f"unknown export format '{chosen or path.name}'", path=str(path),
                                 hint=f"use --format with one of: {', '.join(EXPORT_FORMATS)}"))
    return chosen


def pseudonyms_file(store: ProjectStore, options: ExportOptions) -> Path | None:
    """The mapping file to use: the one given, else pseudonyms.csv beside the project when pseudonymising."""
    if options.pseudonyms_file is not None:
        return options.pseudonyms_file
    beside = store.path.parent / PSEUDONYMS_FILE
    return beside if options.pseudonymise and beside.exists() else None


def pseudonymiser_for(store: ProjectStore, data: AnalysisData, options: ExportOptions) -> Pseudonymiser:
    mapping_file = pseudonyms_file(store, options)
    if not options.pseudonymise and mapping_file is None:
        return NO_PSEUDONYMS
    mapping = read_pseudonyms(mapping_file) if mapping_file else {}
    generic = get_setting(store, "interviewer_labels", list(DEFAULT_INTERVIEWER_LABELS))
    return build_pseudonymiser(data.turns, mapping, generic)


def describe(data: AnalysisData, names: Pseudonymiser) -> str:
    documents = len({c.document for c in data.codings})
    text = f"{len(data.codings)} codings from {documents} documents ({data.filter.describe()})"
    return text + ("; names pseudonymised" if names.active else "")


def exported_memos(store: ProjectStore, data: AnalysisData) -> list[Memo]:
    """The memos whose object is in the export: a memo on a coding left out by the coder or source filter, or on a
    code no longer in the codebook, would otherwise come back as a memo on nothing."""
    codings = {str(c.decision_id) for c in data.codings}
    kept = []
    for memo in current_memos(store):
        if memo.target.kind == TargetKind.coding and memo.target.ref not in codings:
            continue
        if memo.target.kind == TargetKind.code and memo.target.ref not in data.codebook:
            continue
        kept.append(memo)
    return kept


def pseudonymised_memo(memo: Memo, names: Pseudonymiser) -> Memo:
    """Names in a memo's title, text and document target replaced as in the rest of the export."""
    target = memo.target
    if target.kind == TargetKind.document:
        target = target.model_copy(update={"ref": names.text(target.ref) or target.ref})
    return memo.model_copy(update={"title": names.text(memo.title) or memo.title, "text": names.text(memo.text) or "",
                                   "target": target})


def selected_codings(data: AnalysisData, decision_ids: tuple[int, ...] | None) -> AnalysisData:
    """`data` with only the codings whose decision ids are given; an id that is no coding the filters keep is an
    error, so a stale selection (a coding undone since it was ticked) never silently drops a quote."""
    if decision_ids is None:
        return data
    if not decision_ids:
        raise QcodeError(Problem("no codings selected", hint="tick the quotes to put in the quote bank"))
    kept = {c.decision_id for c in data.codings}
    missing = [i for i in dict.fromkeys(decision_ids) if i not in kept]
    if missing:
        raise NotFound(Problem(f"no current coding has decision id {missing[0]}"
                               + (f" (nor {len(missing) - 1} more of the selection)" if len(missing) > 1 else ""),
                               hint="the coding was undone or recoded since it was chosen, or the coder or source "
                                    "filter leaves it out; choose the quotes again"))
    chosen = set(decision_ids)
    return data.model_copy(update={"codings": [c for c in data.codings if c.decision_id in chosen]})


def export_bytes(store: ProjectStore, fmt: str, options: ExportOptions | None = None) -> bytes:
    """The export as bytes (what the app offers as a download)."""
    options = options or ExportOptions()
    fmt = format_for(Path(f"export.{fmt}"), fmt)
    data = selected_codings(load_analysis(store, coders=options.coders, sources=options.sources),
                            options.decision_ids)
    names = pseudonymiser_for(store, data, options)
    if fmt == "qdc":
        codes = tuple(c.model_copy(update={"definition": names.text(c.definition) or ""}) for c in data.codebook.codes)
        return write_qdc(data.codebook.model_copy(update={"codes": codes}))
    if fmt == "qdpx":
        return qdpx_bytes(all_documents(store), data.codings, data.codebook, data.codebook.name, names, data.turns,
                          exported_memos(store, data))
    memos = [pseudonymised_memo(m, names) for m in exported_memos(store, data)]
    if fmt in ("md", "html"):
        blocks = report_blocks(data, store.path.name, latest_theme_run(store), names, options.n_boot, options.seed,
                               llm_run=latest_llm_run(store), memos=memos)
        return (report_markdown(blocks) if fmt == "md" else report_html(blocks)).encode("utf-8")
    rows = coded_excerpt_rows(data, names, document_titles(store))
    if fmt == "docx":
        template = citation_template(options.citation, data.attribute_names())
        # A selection's bank holds the codes it quotes, not every code of the codebook saying "No coded quotes".
        return quote_bank_docx(rows, data.codebook, template, describe(data, names), memos,
                               only_quoted=options.decision_ids is not None)
    frame = rows_frame(rows, data.attribute_names())
    if fmt == "csv":
        return csv_bytes(frame)
    # The workbook's Memos sheet is the project's whole memo record, whatever the codings filter leaves out.
    every_memo = [pseudonymised_memo(m, names) for m in current_memos(store)]
    return xlsx_bytes(frame, data.codebook, code_frequencies(data), every_memo)


def write_export(store: ProjectStore, path: Path, fmt: str | None = None,
                 options: ExportOptions | None = None) -> Path:
    """Write the export to `path` (format from `fmt` or the file extension); nothing is written on error, and never
    onto the project's own files (`coding.safety.outputs`)."""
    chosen = format_for(path, fmt)
    check_output_path(path, store.path)  # before the work: a wrong name fails at once
    return write_output(path, export_bytes(store, chosen, options), store.path)
