"""`qcode backup` while another process (the app) holds the project: the holder takes the snapshot for it."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coding.store import open_project
from coding.store import documents as doc_store
from pipelines.ingest import ingest_paths
from tests.conftest import REPO
from tests.reliability.conftest import python, write_interviews

HOLD_LIKE_THE_APP = """
import sys, threading
from pathlib import Path
from coding.backup_handoff import serve_backup_requests
from coding.store import open_project
store = open_project(Path(sys.argv[1]))
serve_backup_requests(store, lock=threading.RLock)
print("holding", flush=True)
sys.stdin.readline()
store.close()
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


def test_backup_runs_while_the_app_holds_the_project(tmp_path):
    db, names = _project(tmp_path, 2)
    holder = python(HOLD_LIKE_THE_APP, db)
    try:
        assert holder.stdout.readline().strip() == "holding", holder.stderr.read()
        target = tmp_path / "copy.duckdb"
        result = subprocess.run(
            [sys.executable, "-m", "coding.cli.main", "backup", str(target), "--db", str(db)], cwd=REPO,
            capture_output=True, text=True, timeout=90,
            env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"})
        assert result.returncode == 0, result.stderr
        assert f"to {target}" in result.stdout
    finally:
        holder.kill()
        holder.wait(timeout=30)
    copy = open_project(target)
    try:
        assert len(names) == 2 and doc_store.document_names(copy) == names
    finally:
        copy.close()


def _qcode_backup(target: Path | str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "coding.cli.main", "backup", str(target), "--db", str(db)], cwd=REPO,
        capture_output=True, text=True, timeout=90,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"})


@pytest.fixture
def held(tmp_path):
    db, _ = _project(tmp_path, 1)
    holder = python(HOLD_LIKE_THE_APP, db)
    try:
        assert holder.stdout.readline().strip() == "holding", holder.stderr.read()
        yield db
    finally:
        holder.kill()
        holder.wait(timeout=30)


@pytest.mark.parametrize("bad", ["missing-folder/x.duckdb", "{db}", "{db}.wal", "{folder}"])
def test_a_bad_backup_target_while_the_app_holds_the_project_is_one_line_at_once(held, tmp_path, bad, monkeypatch):
    """Refused before the request reaches the app, so the app's watcher keeps serving: the next backup works."""
    monkeypatch.chdir(tmp_path)
    target = bad.format(db=held, folder=tmp_path)
    started = time.monotonic()
    result = _qcode_backup(target, held)
    assert time.monotonic() - started < 20  # not the 30 s wait for an answer that never comes
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and target in lines[0], lines
    good = tmp_path / "good.duckdb"
    result = _qcode_backup(good, held)
    assert result.returncode == 0, result.stderr
    assert not Path("missing-folder").exists()


def test_the_apps_watcher_answers_a_failing_backup_and_keeps_serving(tmp_path, monkeypatch):
    """A backup that fails inside the app (here a bug, simulated) is answered with its error at once, and the
    watcher thread survives it: it used to die, and every later backup waited 30 s for a wrong message."""
    import threading

    import coding.backup_handoff as handoff
    from coding.errors import ProjectError

    db = tmp_path / "project.duckdb"
    store = open_project(db, create=True)
    stop = threading.Event()
    real_backup = handoff.backup_project
    failures = iter([RuntimeError("simulated bug"), OSError(28, "No space left on device")])

    def failing_once(*args, **kwargs):
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real_backup(*args, **kwargs)

    monkeypatch.setattr(handoff, "backup_project", failing_once)
    thread = handoff.serve_backup_requests(store, stop=stop)
    try:
        for _ in range(2):
            started = time.monotonic()
            with pytest.raises(ProjectError, match="the app could not back up the project"):
                handoff.request_backup(db, tmp_path / "first.duckdb", timeout=20)
            assert time.monotonic() - started < 10
        assert thread.is_alive()
        assert handoff.request_backup(db, tmp_path / "second.duckdb", timeout=20) == tmp_path / "second.duckdb"
    finally:
        stop.set()
        thread.join(timeout=5)
        store.close()
    assert not (tmp_path / "first.duckdb").exists()
    with open_project(tmp_path / "second.duckdb", read_only=True):
        pass


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
