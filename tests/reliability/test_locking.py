"""A project held by another process for longer than a `qcode` command waits for it ($QCODE_LOCK_WAIT): one line
saying whom it waits for, then one clear error line, exit 1, no traceback.

tests/foundation/test_migrations.py proves `open_project` raises the ProjectError; this proves what a researcher
sees from the command line, in a real second process."""

from __future__ import annotations

import subprocess
import sys

import pytest

from coding.store import open_project
from tests.conftest import REPO
from tests.reliability.conftest import python, write_interviews

HOLD = """
import sys
from pathlib import Path
from coding.store import open_project
store = open_project(Path(sys.argv[1]))
print("holding", flush=True)
sys.stdin.readline()
store.close()
"""


@pytest.fixture
def holder(tmp_path):
    db = tmp_path / "project.duckdb"
    open_project(db, create=True).close()
    holder = python(HOLD, db)
    try:
        assert holder.stdout.readline().strip() == "holding", holder.stderr.read()
        yield holder, db
    finally:
        holder.kill()
        holder.wait(timeout=30)


def _qcode(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "coding.cli.main", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=60, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin",
                                                      "HF_HUB_OFFLINE": "1", "QCODE_LOCK_WAIT": "1"})


@pytest.mark.parametrize("command", [["transcripts"], ["ingest", "INTERVIEWS"], ["codebook", "show"],
                                     ["export", "OUT"], ["report", "frequencies"], ["undo", "--coder", "ana"]])
def test_a_second_command_on_a_project_in_use_prints_one_clear_line(holder, tmp_path, command):
    """The lines name the program holding the project and its process id (DuckDB reports both)."""
    process, held_project = holder
    folder = tmp_path / "interviews"
    write_interviews(folder, 1)
    args = [{"INTERVIEWS": str(folder), "OUT": str(tmp_path / "out.csv")}.get(part, part) for part in command]
    result = _qcode(*args, "--db", str(held_project))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 2, result.stderr
    assert lines[0].startswith("waiting for the project (up to 1 s, set by QCODE_LOCK_WAIT): it is open in python")
    assert f"process id {process.pid}" in lines[0]
    assert lines[1].startswith(f"error: {held_project}: the project is open in another program")
    assert "was not free within 1 s" in lines[1]
    assert f"process id {process.pid}" in lines[1] and f"kill {process.pid}" in lines[1]
    assert not (tmp_path / "out.csv").exists()
