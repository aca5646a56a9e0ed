"""Progress on stderr for long steps: a bar for embedding, and a line per later stage (reduce, cluster, ...) with
its item count and, when it ends, how long it took, so no step over a second or two is silent."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from coding.cli.common import error_console
from coding.embedding.base import ProgressCallback, StageCallback


@contextmanager
def progress_bar(description: str) -> Iterator[ProgressCallback]:
    with Progress(TextColumn(description), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=error_console, transient=True) as progress:
        task = progress.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update


@contextmanager
def stage_lines(what: str) -> Iterator[StageCallback]:
    """`stage(name, count)` prints "what: name (count items)..." and the previous stage's seconds."""
    current: list = []

    def finish() -> None:
        if current:
            name, started = current.pop()
            error_console.print(f"{what}: {name} done in {time.monotonic() - started:.1f} s", markup=False)

    def stage(name: str, count: int) -> None:
        finish()
        error_console.print(f"{what}: {name} ({count} items)...", markup=False)
        current.append((name, time.monotonic()))

    try:
        yield stage
    finally:
        finish()
