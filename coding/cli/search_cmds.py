"""`qcode search`: text and semantic search over the project's transcripts, and coding every hit at once."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from coding.cli.common import DbOption, JsonOption, console, default_db, error_console, print_json, project
from coding.errors import Problem, QcodeError
from coding.models import SpeakerRole
from coding.search import DEFAULT_LIMIT, SearchFilters, SearchResults, code_hits, parse_where
from pipelines.embed import project_embedder
from pipelines.search import search_like, search_text

TEXT_LIMIT = 100  # hits a text search lists by default; the total is always counted


def search(
    text: Annotated[Optional[str], typer.Argument(help="Words or a phrase (case-insensitive), a pattern with "
                                                       "--regex, or a sentence with --semantic.")] = None,
    regex: Annotated[bool, typer.Option("--regex", help="TEXT is a Python regular expression.")] = False,
    case_sensitive: Annotated[bool, typer.Option("--case-sensitive", help="Match upper and lower case exactly.")
                              ] = False,
    semantic: Annotated[bool, typer.Option("--semantic", help="Excerpts most like the sentence TEXT "
                                                              "(needs 'qcode embed').")] = False,
    like: Annotated[Optional[str], typer.Option("--like", metavar="EXCERPT_ID",
                                                help="Excerpts most like this excerpt (semantic).")] = None,
    where: Annotated[Optional[list[str]], typer.Option(
        "--where", metavar="ATTR=VALUE", help="Only documents with this attribute value; repeat it (same attribute:"
                                              " any of the values; different attributes: all).")] = None,
    role: Annotated[Optional[SpeakerRole], typer.Option("--role", help="Only turns of this speaker role.")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help=f"Show at most N hits (text search: "
                                                 f"{TEXT_LIMIT}, or all with --code; semantic: {DEFAULT_LIMIT}).")
                     ] = None,
    code: Annotated[Optional[str], typer.Option("--code", help="Code every hit shown with this code id (one "
                                                               "decision batch: 'qcode undo' takes it back).")] = None,
    coder: Annotated[Optional[str], typer.Option("--coder", envvar="QCODE_CODER",
                                                 help="Coder the --code decisions belong to.")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Code the hits without asking.")] = False,
    model: Annotated[Optional[str], typer.Option("--model", help="Embedding model for semantic search "
                                                                 "(default: the project's).")] = None,
    db: DbOption = default_db(),
    json_output: JsonOption = False,
) -> None:
    """Find words, phrases or patterns in every transcript, or passages like a sentence or an excerpt.

    qcode search "professional development" --where district_type=rural --role respondent
    qcode search "teach(er|ing)s?" --regex --limit 20
    qcode search "teachers save time on lesson plans" --semantic
    qcode search --like S01:8:1
    qcode search "honor code" --code INTEGRITY --coder ana
    """
    filters = SearchFilters(where=parse_where(where or []), role=role)
    _check_options(text, regex, semantic, like, code, coder, yes, json_output)
    with project(db) as store:
        if semantic or like:
            results = search_like(store, project_embedder(store, model), sentence=None if like else text,
                                  excerpt_id=like, filters=filters, limit=limit or DEFAULT_LIMIT)
        else:
            # Coding all hits means all of them, unless a --limit says otherwise; a listing shows the first ones.
            shown = limit if limit is not None or code is not None else TEXT_LIMIT
            results = search_text(store, text or "", regex, case_sensitive, filters, shown)
        if not json_output:
            _print_hits(results)
        coded = None
        if code is not None:
            coded = _code_all(store, results, code, coder or "", yes)
    if json_output:
        print_json({**results.model_dump(mode="json"), **({"coded": coded} if coded is not None else {})})


def _check_options(text, regex, semantic, like, code, coder, yes, json_output) -> None:
    if like and text:
        raise QcodeError(Problem("give either TEXT or --like EXCERPT_ID, not both",
                                 hint="--like finds excerpts like a stored one; TEXT --semantic like a sentence"))
    if not like and text is None:
        raise QcodeError(Problem("nothing to search for", hint="give TEXT, or --like EXCERPT_ID"))
    if regex and (semantic or like):
        raise QcodeError(Problem("--regex is for text search", hint="drop --regex, or --semantic/--like"))
    if code is not None and not coder:
        raise QcodeError(Problem("--code needs --coder NAME", hint="or set QCODE_CODER"))
    if code is not None and json_output and not yes:
        raise QcodeError(Problem("--code with --json cannot ask for confirmation",
                                 hint="add --yes after checking the hits with the same search"))


def _code_all(store, results: SearchResults, code: str, coder: str, yes: bool) -> dict:
    hits = results.hits
    if results.total > len(hits):
        error_console.print(f"note: only the {len(hits)} hits shown are coded, not all {results.total}; "
                            "drop --limit to code them all", markup=False)
    if hits and not yes and not typer.confirm(f"Code these {_hits(len(hits))} as {code} for {coder}?", default=False,
                                              err=True):
        error_console.print("nothing coded", markup=False)
        raise typer.Exit(1)
    done = code_hits(store, hits, code, coder, note=f"search: {results.query}")
    already = f"; {_hits(done.already)} already had it" if done.already else ""
    if done.batch is None:
        error_console.print(f"no hits: nothing coded{already}" if not hits else f"nothing new to code{already}",
                            markup=False)
    else:
        error_console.print(f"coded {_hits(done.coded)} as {code} for {coder} (batch {done.batch}; "
                            f"'qcode undo --coder {coder}' takes it back){already}", markup=False)
    return {"code": code, "coder": coder, "hits": done.coded, "already": done.already, "batch": done.batch}


def _print_hits(results: SearchResults) -> None:
    semantic = results.mode == "semantic"
    table = Table("document", "turn", "speaker", *(["score"] if semantic else []), "hit", show_lines=False)
    for hit in results.hits:
        # Text objects, not markup: transcripts hold brackets that rich would read as styles.
        shown = Text.assemble(" ".join(hit.before.split()) + " ", (" ".join(hit.text.split()), "bold reverse"),
                              " " + " ".join(hit.after.split())) if not semantic else Text(hit.text)
        table.add_row(Text(hit.document), str(hit.turn), Text(f"{hit.speaker} ({hit.role.value})"),
                      *([f"{hit.score:.3f}"] if semantic else []), shown)
    console.print(table)
    if semantic:
        skipped = f"; {results.unembedded} excerpts have no vector yet ('qcode embed')" if results.unembedded else ""
        console.print(f"{len(results.hits)} excerpts most like \"{results.query}\" ({results.model_id}){skipped}",
                      markup=False)
    else:
        more = f", showing {len(results.hits)}" if results.total > len(results.hits) else ""
        console.print(f"{_hits(results.total)} for \"{results.query}\"{more}", markup=False)


def _hits(count: int) -> str:
    return f"{count} hit" if count == 1 else f"{count} hits"
