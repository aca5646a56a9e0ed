"""Options and output helpers shared by every CLI command."""

from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from rich.console import Console

from coding.errors import Problem, QcodeError
from coding.store import DEFAULT_DB, ProjectStore, open_project
from coding.store.connection import LOCK_WAIT_VARIABLE, interrupted, lock_wait, storage_problem
from coding.store.in_use import Holder

DbOption = Annotated[
    Path,
    typer.Option("--db", envvar="QCODE_DB", help="Project file (default ./qcode.duckdb, or $QCODE_DB).",
                 show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]

console = Console(soft_wrap=True)
error_console = Console(stderr=True, highlight=False, soft_wrap=True)


def default_db() -> Path:
    return Path(DEFAULT_DB)


@contextmanager
def project(db: Path, create: bool = False) -> Iterator[ProjectStore]:
    """The project for one command. While another program (the app, another command) holds it, the command waits
    for it ($QCODE_LOCK_WAIT seconds, 30 by default) and says once whom it waits for."""
    wait = lock_wait()

    def say_waiting(holder: Holder) -> None:
        error_console.print(f"waiting for the project (up to {wait:g} s, set by {LOCK_WAIT_VARIABLE}): it is open in "
                            f"{holder.describe()}", markup=False)

    store = open_project(db, create=create, wait=wait, on_wait=say_waiting, holder=command_name())
    for note in store.notes:
        error_console.print(f"note: {note}", markup=False)
    try:
        yield store
    finally:
        store.close()


_RUNNING: list[str] = []  # the words of the command being run ("codebook", "load"), pushed by each group


def command_name() -> str:
    """"qcode suggest", "qcode codebook load": the command running, as a researcher typed it."""
    return " ".join(["qcode", *_RUNNING])


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n")


def report_problems(problems: list[Problem], prefix: str = "error") -> None:
    for problem in problems:
        error_console.print(f"{prefix}: {problem}", markup=False)


class QcodeGroup(typer.core.TyperGroup):
    """Turns a user's mistake (`QcodeError`) into one line per problem and exit status 1: no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        chosen = getattr(ctx, "_protected_args", None) or []  # the subcommand's name, before click resolves it
        _RUNNING.extend(chosen[:1])
        try:
            with _exit_on_terminate():
                return super().invoke(ctx)
        except QcodeError as error:
            report_problems(error.problems)
            raise typer.Exit(1) from None
        except Exception as error:
            if interrupted(error):  # Ctrl+C inside a DuckDB statement: end as any Ctrl+C does, without a traceback
                raise KeyboardInterrupt from None
            problem = storage_problem(error)  # a full or read-only disk under DuckDB: one line, not a traceback
            if problem is None:
                raise
            report_problems([problem])
            raise typer.Exit(1) from None
        finally:
            del _RUNNING[len(_RUNNING) - len(chosen[:1]):]


@contextmanager
def _exit_on_terminate() -> Iterator[None]:
    """SIGTERM (and SIGHUP, a closed terminal) end a command like Ctrl+C does: by an exception, so that open
    transactions roll back and the project is checkpointed and closed on the way out, leaving no WAL behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None]
    previous = {s: signal.getsignal(s) for s in wanted}

    def stop(number: int, frame: object) -> None:
        raise SystemExit(128 + number)

    for number in wanted:
        signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
