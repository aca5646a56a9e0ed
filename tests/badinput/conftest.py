"""A small ingested project with a codebook (built once, copied per test), a CLI runner and the bad-input checks.

Every case checks the same contract: non-zero exit where nothing could be done, one readable line per problem that
names the file (and line or row), no traceback, and the project's tables unchanged except for the expected rows.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coding.cli.main import app
from coding.store import open_project
from coding.store.snapshot import changed_tables, table_snapshot

INTERVIEW = """Study interview B1

Interviewer: How is AI showing up in your district?

Dr. Rivera: We started a pilot with forty teachers. They use it for lesson plans.
The budget is tight, so the licenses worry me.

Interviewer: What about students?

Dr. Rivera: Cheating is the first thing parents ask about. We rewrote the honor code last spring.
"""

CODEBOOK = """name: Bad input codebook
version: 1
codes:
  - id: CONCERNS
    name: Concerns
  - id: COST
    name: Cost
    parent: CONCERNS
    definition: Money, budgets and licenses.
  - id: PILOTS
    name: Pilots
    definition: Pilots and trials.
"""

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=True)


@pytest.fixture(scope="session")
def project_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("badinput-template")
    (folder / "B1.txt").write_text(INTERVIEW, encoding="utf-8")
    (folder / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    db = folder / "template.duckdb"
    for args in (("init", "--db", db), ("ingest", folder / "B1.txt", "--db", db),
                 ("codebook", "load", folder / "codebook.yaml", "--db", db)):
        result = invoke(*args)
        assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def db(project_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "project.duckdb"
    shutil.copyfile(project_template, target)
    return target


def snapshot(db: Path) -> dict[str, list[tuple]]:
    store = open_project(db, read_only=True)
    try:
        return table_snapshot(store)
    finally:
        store.close()


@dataclass
class Outcome:
    exit_code: int
    output: str
    stderr: str
    changed: set[str]
    before: dict[str, list[tuple]]
    after: dict[str, list[tuple]]

    def problem_lines(self, prefix: str = "") -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith(prefix) and line.strip()]


@pytest.fixture
def run(db: Path) -> Callable[..., Outcome]:
    """Run a qcode command against the project and return its result with the tables before and after."""

    def _run(*args: str | Path) -> Outcome:
        before = snapshot(db)
        result = invoke(*args, "--db", db)
        after = snapshot(db)
        assert "Traceback" not in result.output, result.output
        if result.exception is not None:
            assert isinstance(result.exception, SystemExit), repr(result.exception)
        return Outcome(result.exit_code, result.output, result.stderr, changed_tables(before, after), before, after)

    return _run


def assert_refused(outcome: Outcome, path: Path, where: str | None = None) -> list[str]:
    """Nothing could be done: exit 1, one error line naming the file (and line/row), nothing stored."""
    assert outcome.exit_code == 1, outcome.output
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    assert lines, outcome.output
    errors = [line for line in lines if line.startswith(("error:", "not imported:"))]
    assert errors, outcome.output
    assert any(str(path) in line or path.name in line for line in errors), outcome.output
    if where is not None:
        assert any(where in line for line in errors), outcome.output
    assert outcome.changed == set(), f"tables changed: {outcome.changed}"
    return errors
