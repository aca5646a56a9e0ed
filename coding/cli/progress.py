"""Progress on stderr for long steps: a bar for embedding, and a line per later stage (reduce, cluster, ...) with
its item count and, when it ends, how long it took, so no step over a second or two is silent. A stage that counts
its work (suggest's learn: codes, score: excerpts) moves the bar too (`pipeline_progress`)."""

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


@contextmanager
def pipeline_progress(what: str, embedding: str) -> Iterator[tuple[ProgressCallback, StageCallback]]:
    """(progress, stage) for a pipeline: one bar that follows the embedding (described as `embedding`), then each
    stage by name ("suggest: learn 7/12"); every stage also gets its lines from `stage_lines`."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=error_console, transient=True) as bar, stage_lines(what) as lines:
        task = bar.add_task(embedding, total=None)

        def stage(name: str, count: int) -> None:
            lines(name, count)
            bar.update(task, description=f"{what}: {name}", completed=0, total=None, refresh=True)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, refresh=True)  # at most once per batch or code

        yield progress, stage
