"""`qcode memo add|list|show|edit|delete|undo|redo`: memos on the project, a document, a code, a coding or a theme."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from coding.cli.common import DbOption, JsonOption, QcodeGroup, console, default_db, print_json, project
from coding.errors import Problem, QcodeError
from coding.memos import actions
from coding.memos.model import TARGET_FORMS, Memo, MemoEvent, parse_target

app = typer.Typer(cls=QcodeGroup, help="Memos: titled Markdown notes on the project, a document, a code, a coding "
                                       "or a theme. Every change is logged and can be undone.", no_args_is_help=True)

CoderOption = Annotated[str, typer.Option("--coder", envvar="QCODE_CODER", help="Who writes or changes the memo.")]
OnOption = Annotated[Optional[str], typer.Option("--on", help=f"What the memo is about: {TARGET_FORMS}.")]
TitleOption = Annotated[Optional[str], typer.Option("--title", help="A short title.")]
TextOption = Annotated[Optional[str], typer.Option("--text", help="The memo's text (Markdown).")]
FileOption = Annotated[Optional[Path], typer.Option("--file", help="Read the memo's text from a UTF-8 file.")]
MemoId = Annotated[int, typer.Argument(help="The memo's id (qcode memo list).")]


def _text(text: str | None, file: Path | None) -> str | None:
    if text is not None and file is not None:
        raise QcodeError(Problem("give the memo's text with --text or --file, not both"))
    if file is None:
        return text
    try:
        return file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise QcodeError(Problem("file not found", path=str(file), hint="check the path given to --file")) from None
    except UnicodeDecodeError as error:
        raise QcodeError(Problem(f"not UTF-8 text (byte {error.start})", path=str(file),
                                 hint="save the file as UTF-8")) from None
    except OSError as error:
        raise QcodeError(Problem(f"cannot read the file: {error.strerror}", path=str(file))) from None


def _json(memo: Memo) -> dict:
    data = memo.model_dump(mode="json")
    data["target"] = memo.target.label()
    return data


def _print_memo(memo: Memo) -> None:
    edited = "" if memo.updated_at == memo.created_at else f", edited {memo.updated_at} by {memo.updated_by}"
    console.print(f"memo {memo.id} on {memo.target.label()}: {memo.title}", markup=False)
    console.print(f"by {memo.author}, {memo.created_at}{edited}", markup=False)
    if memo.text:
        console.print("", markup=False)
        console.print(memo.text, markup=False, highlight=False)


def add(on: OnOption = "project", title: TitleOption = None, text: TextOption = None, file: FileOption = None,
        coder: CoderOption = ..., db: DbOption = default_db(), json_output: JsonOption = False) -> None:
    """Write a memo on the project (default) or on a document, code, coding or theme."""
    body = _text(text, file)
    target = parse_target(on or "project")
    with project(db) as store:
        memo = actions.add_memo(store, target, title or "", body or "", coder)
    if json_output:
        print_json(_json(memo))
    else:
        console.print(f"memo {memo.id} added on {memo.target.label()}", markup=False)


def list_memos(on: OnOption = None, db: DbOption = default_db(), json_output: JsonOption = False,
               coder: Annotated[Optional[str], typer.Option(help="Whose coding coding:DOC:TURN:CODE names, when "
                                                                 "several coders gave it.")] = None) -> None:
    """List the memos (all, or those on one target)."""
    target = parse_target(on) if on else None
    with project(db) as store:
        if target is not None:
            target = actions.resolve_target(store, target, coder)
        found = actions.memos(store, target)
    if json_output:
        print_json([_json(m) for m in found])
        return
    table = Table("id", "on", "title", "author", "updated", "text")
    for memo in found:
        table.add_row(str(memo.id), memo.target.label(), memo.title, memo.author, str(memo.updated_at),
                      " ".join(memo.text.split())[:60])
    console.print(table)


def show(memo_id: MemoId, db: DbOption = default_db(), json_output: JsonOption = False) -> None:
    """One memo in full."""
    with project(db) as store:
        memo = actions.require_memo(store, memo_id)
    if json_output:
        print_json(_json(memo))
    else:
        _print_memo(memo)


def edit(memo_id: MemoId, coder: CoderOption, on: OnOption = None, title: TitleOption = None,
         text: TextOption = None, file: FileOption = None, db: DbOption = default_db(),
         json_output: JsonOption = False) -> None:
    """Change a memo's title, text or target (the earlier version stays in the log)."""
    body = _text(text, file)
    target = parse_target(on) if on else None
    with project(db) as store:
        memo = actions.edit_memo(store, memo_id, coder, title=title, text=body, target=target)
    if json_output:
        print_json(_json(memo))
    else:
        console.print(f"memo {memo.id} edited", markup=False)


def delete(memo_id: MemoId, coder: CoderOption, db: DbOption = default_db()) -> None:
    """Delete a memo (`qcode memo undo` brings it back)."""
    with project(db) as store:
        memo = actions.delete_memo(store, memo_id, coder)
    console.print(f"memo {memo.id} ('{memo.title}') deleted; qcode memo undo --coder {coder} brings it back",
                  markup=False)


def _step(event: MemoEvent) -> str:
    return f"{event.action.value} of memo {event.memo_id}"


def undo(coder: CoderOption, db: DbOption = default_db()) -> None:
    """Take back the coder's latest memo add, edit or delete. Works across restarts."""
    with project(db) as store:
        undone = actions.undo_memo_step(store, coder)
    console.print(f"undid the {_step(undone)}" if undone else "no memo change to undo", markup=False)


def redo(coder: CoderOption, db: DbOption = default_db()) -> None:
    """Restore what the coder's latest memo undo took back."""
    with project(db) as store:
        redone = actions.redo_memo_step(store, coder)
    console.print(f"redid the {_step(redone)}" if redone else "no memo undo to redo", markup=False)


app.command()(add)
app.command("list")(list_memos)
app.command()(show)
app.command()(edit)
app.command()(delete)
app.command()(undo)
app.command()(redo)
