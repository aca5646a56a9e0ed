"""`qcode backup` while the app has the project open: the backup asks for it and waits, the app lets go of it once
idle; a holder that keeps it past the wait (a long job) is named in one line, and no file is written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coding.store import open_project
from coding.store import documents as doc_store
from coding.store.settings import get_setting
from pipelines.ingest import ingest_paths
from tests.conftest import REPO
from tests.reliability.conftest import python, write_interviews

# What the app does (coding.store.shared): some work, then the project stays open (an hour here) unless a waiter
# asks for it. With a second argument, long work holds it open (as a clustering job does).
HOLD_LIKE_THE_APP = """
import sys, threading
from pathlib import Path
from coding.store.settings import set_setting
from coding.store.shared import SharedProject
shared = SharedProject(Path(sys.argv[1]), threading.RLock(), idle_release=3600)
with shared.lock:
    set_setting(shared.store(), "made_by_the_app", "yes")
    shared.touch()
    if len(sys.argv) > 2:
        shared.hold(sys.argv[2])
print("holding", flush=True)
sys.stdin.readline()
shared.close()
"""


def _project(tmp_path: Path, interviews: int) -> tuple[Path, list[str]]:
    """A closed project of `interviews` ingested interviews, and its document names."""
    db = tmp_path / "project.duckdb"
    store = open_project(db, create=True)
    write_interviews(tmp_path / "interviews", interviews)
    ingest_paths(store, [tmp_path / "interviews"])
    names = doc_store.document_names(store)
    store.close()
    return db, names


def _backup_command(target: Path | str, db: Path) -> list[str]:
    return [sys.executable, "-m", "coding.cli.main", "backup", str(target), "--db", str(db)]


def _env(wait: str) -> dict[str, str]:
    return {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1", "QCODE_LOCK_WAIT": wait}


def _qcode_backup(target: Path | str, db: Path, wait: str = "30") -> subprocess.CompletedProcess:
    return subprocess.run(_backup_command(target, db), cwd=REPO, capture_output=True, text=True, timeout=90,
                          env=_env(wait))


def _hold(db: Path, work: str | None = None) -> subprocess.Popen:
    holder = python(HOLD_LIKE_THE_APP, db, *([work] if work else []))
    assert holder.stdout.readline().strip() == "holding", holder.stderr.read()
    return holder


def _stop(holder: subprocess.Popen) -> None:
    holder.kill()
    holder.wait(timeout=30)


def test_backup_waits_for_the_app_to_let_go_of_the_project(tmp_path):
    db, names = _project(tmp_path, 2)
    holder = _hold(db)
    target = tmp_path / "copy.duckdb"
    backup = subprocess.Popen(_backup_command(target, db), cwd=REPO, env=_env("60"), text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        said = backup.stderr.readline()  # it finds the app holding the project and says whom it waits for
        assert said.startswith("waiting for the project (up to 60 s, set by QCODE_LOCK_WAIT): it is open in the app "
                               f"(process id {holder.pid})"), said + backup.stderr.read()
        out, err = backup.communicate(timeout=60)  # the app, idle, lets go when asked
        assert backup.returncode == 0, said + err
        assert f"to {target}" in out and err.strip() == ""  # said once
        assert holder.poll() is None  # the app still runs; it only let go of the file
    finally:
        backup.kill()
        _stop(holder)
    with open_project(target, read_only=True) as copy:
        assert len(names) == 2 and doc_store.document_names(copy) == names
        assert get_setting(copy, "made_by_the_app") == "yes"  # the app's last change is in the copy


def test_backup_while_the_app_runs_a_long_job_names_it_and_writes_nothing(tmp_path):
    db, _ = _project(tmp_path, 1)
    holder = _hold(db, work="Finding themes")
    try:
        target = tmp_path / "copy.duckdb"
        result = _qcode_backup(target, db, wait="1")
    finally:
        _stop(holder)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 2 and lines[0].startswith("waiting for the project"), lines
    assert lines[1] == (
        f"error: {db}: the project is open in another program (the app, process id {holder.pid}, busy with: "
        f"Finding themes) and was not free within 1 s (run the command again when that work has finished, or kill "
        f"{holder.pid} if it hangs; QCODE_LOCK_WAIT=SECONDS sets how long qcode waits for it)")
    assert sorted(os.listdir(tmp_path)) == ["interviews", "project.duckdb", "project.duckdb.in-use",
                                            "project.duckdb.wal"]  # the killed holder's; no backup, no partial


@pytest.fixture
def held(tmp_path):
    db, _ = _project(tmp_path, 1)
    holder = _hold(db)
    try:
        yield db
    finally:
        _stop(holder)


@pytest.mark.parametrize("bad", ["missing-folder/x.duckdb", "{db}", "{db}.wal", "{db}.in-use", "{db}.wanted",
                                 "{folder}"])
def test_a_bad_backup_target_while_the_app_holds_the_project_is_one_line_at_once(held, tmp_path, bad, monkeypatch):
    """Refused before waiting for the project, so a mistyped target costs no wait."""
    monkeypatch.chdir(tmp_path)
    target = bad.format(db=held, folder=tmp_path)
    started = time.monotonic()
    result = _qcode_backup(target, held)
    assert time.monotonic() - started < 20  # not the 30 s wait for a project the app keeps
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and target in lines[0], lines
    assert not Path("missing-folder").exists()


INTERRUPTED_BACKUP = """
import sys, time
import coding.safety.outputs as outputs
def stall(partial, target, overwrite):
    print("copied", flush=True)  # the copy is complete under its temporary name, not yet renamed
    time.sleep(120)
outputs._publish = stall
from coding.cli.main import app
app(["backup", sys.argv[2], "--db", sys.argv[1]])
"""


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM])
def test_an_interrupted_backup_leaves_no_file_under_its_name_and_can_be_rerun(tmp_path, stop):
    db, names = _project(tmp_path, 2)
    target = tmp_path / "backups" / "copy.duckdb"
    target.parent.mkdir()
    child = python(INTERRUPTED_BACKUP, db, target)
    assert child.stdout.readline().strip() == "copied", child.stderr.read()
    child.send_signal(stop)
    child.wait(timeout=30)
    assert not target.exists()  # never a valid-looking, empty project under the asked-for name
    if stop == signal.SIGTERM:  # a SIGTERM lets the backup clean up after itself
        assert list(target.parent.iterdir()) == []
    result = _qcode_backup(target, db)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in target.parent.iterdir()] == ["copy.duckdb"]  # a killed run's temporary file is gone
    with open_project(target, read_only=True) as copy:
        assert doc_store.document_names(copy) == names
