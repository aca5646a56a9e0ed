"""The project stays one file: every command and the app fold DuckDB's write-ahead log (PROJECT.duckdb.wal) into the
project file on close, at exit (also after SIGTERM or Ctrl+C) and, in the app, after a moment of idleness; a log
left by a killed session is recovered with a note; a log that belongs to another version of the file is refused
with the fix."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coding.cli.main import app
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store import open_project
from coding.store.connection import wal_path
from tests.conftest import REPO
from tests.reliability.conftest import CODEBOOK, python, write_interviews

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
runner = CliRunner()


def qcode(*args: str | Path):
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


@pytest.fixture
def project(tmp_path) -> Path:
    db = tmp_path / "project.duckdb"
    write_interviews(tmp_path / "interviews", 3)
    (tmp_path / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    for args in (("init",), ("ingest", tmp_path / "interviews"), ("codebook", "load", tmp_path / "codebook.yaml")):
        assert qcode(*args, "--db", db).exit_code == 0
    return db


def _decisions_in_file_alone(db: Path, tmp_path: Path) -> int:
    """Copy only the .duckdb file, as a researcher copying 'the one project file' would, and count its decisions."""
    copy = tmp_path / "copied-alone" / db.name
    copy.parent.mkdir(exist_ok=True)
    shutil.copyfile(db, copy)
    with open_project(copy, read_only=True) as store:
        return len(coding_store.all_decisions(store))


DECIDE_AND_WAIT = """
import sys
from pathlib import Path
from coding.review import code_excerpt
from coding.store import open_project
from coding.store import documents as doc_store
store = open_project(Path(sys.argv[1]))
for excerpt in doc_store.get_excerpts(store)[:5]:
    code_excerpt(store, "ana", excerpt.id, "COST")
print("decided", flush=True)
sys.stdin.readline()
"""


def _kill_after_deciding(db: Path) -> None:
    child = python(DECIDE_AND_WAIT, db)
    assert child.stdout.readline().strip() == "decided", child.stderr.read()
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert wal_path(db).exists() and wal_path(db).stat().st_size > 0  # the decisions are only in the log


def test_every_command_leaves_the_project_as_one_file(project, tmp_path):
    assert not wal_path(project).exists()
    csv = tmp_path / "codings.csv"
    csv.write_text("document,turn,code\nR000,2,COST\nR001,4,PILOTS\n", encoding="utf-8")
    for args in (("import-codings", csv, "--coder", "ana"), ("undo", "--coder", "ana"), ("redo", "--coder", "ana"),
                 ("config", "embedding_model", "hash"), ("backup", tmp_path / "b.duckdb"),
                 ("export", tmp_path / "out.csv")):
        result = qcode(*args, "--db", project)
        assert result.exit_code == 0, (args, result.output)
        assert not wal_path(project).exists(), args
    assert _decisions_in_file_alone(project, tmp_path) == 3 * 2  # an import of two, its undo and its redo


def test_closing_a_store_checkpoints_even_while_a_cursor_is_open(project, tmp_path):
    store = open_project(project)
    cursor = store.conn.cursor()  # as the app's background jobs hold one
    try:
        excerpt = doc_store.get_excerpts(store)[0]
        from coding.review import code_excerpt

        code_excerpt(store, "ana", excerpt.id, "COST")
        assert wal_path(project).exists()
        store.close()
        assert not wal_path(project).exists()
        assert _decisions_in_file_alone(project, tmp_path) == 1
    finally:
        cursor.close()


def test_a_killed_sessions_changes_are_recovered_with_a_note(project, tmp_path):
    _kill_after_deciding(project)
    assert _decisions_in_file_alone(project, tmp_path) == 0  # what copying the file alone would have lost
    result = qcode("codings", "--db", project)
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "recovered" in notes[0] and "project.duckdb.wal" in notes[0], result.stderr
    assert not wal_path(project).exists()
    assert _decisions_in_file_alone(project, tmp_path) == 5
    assert "note:" not in qcode("codings", "--db", project).stderr  # said once, when it happened


@pytest.mark.parametrize("replacement", ["qcode backup", "another project"])
def test_a_log_left_beside_a_replaced_project_file_is_refused_with_the_fix(project, tmp_path, replacement):
    older = tmp_path / "older.duckdb"
    if replacement == "qcode backup":
        assert qcode("backup", older, "--db", project).exit_code == 0
    else:
        assert qcode("init", "--db", older).exit_code == 0
    _kill_after_deciding(project)
    log = wal_path(project).read_bytes()
    shutil.copyfile(older, project)  # "restoring a backup" over a project with a leftover log
    restored = project.read_bytes()
    for args in (("transcripts",), ("backup", tmp_path / "again.duckdb"), ("export", tmp_path / "x.csv")):
        result = qcode(*args, "--db", project)
        assert result.exit_code == 1, result.output
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith(f"error: {project}: project.duckdb.wal holds unsaved"), lines
        assert f"mv '{wal_path(project)}'" in lines[0]
        assert project.read_bytes() == restored and wal_path(project).read_bytes() == log  # nothing touched
    wal_path(project).rename(tmp_path / "set-aside.wal")  # the fix the message gives
    assert qcode("transcripts", "--db", project).exit_code == 0


SIGTERM_DURING_INGEST = """
import sys, time
from coding.store import documents as doc_store
save = doc_store.save_document
def slow_save(store, document, *args, **kwargs):
    save(store, document, *args, **kwargs)
    print("saving", document.name, flush=True)
    time.sleep(0.3)  # inside the document's transaction
doc_store.save_document = slow_save
from coding.cli.main import app
app(["ingest", sys.argv[2], "--db", sys.argv[1]])
"""


def test_sigterm_stops_a_command_with_whole_documents_and_no_log(tmp_path):
    db = tmp_path / "project.duckdb"
    assert qcode("init", "--db", db).exit_code == 0
    write_interviews(tmp_path / "interviews", 40)
    child = python(SIGTERM_DURING_INGEST, db, tmp_path / "interviews")
    seen = 0
    while seen < 3:
        line = child.stdout.readline()
        assert line, child.stderr.read()
        seen += line.startswith("saving")
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=60) == 128 + signal.SIGTERM, child.stderr.read()
    assert not wal_path(db).exists()
    with open_project(db, read_only=True) as store:
        names = doc_store.document_names(store)
        assert 2 <= len(names) < 40
        assert all(len(doc_store.get_turns(store, name)) == 12 for name in names)


APP_SESSION = """
import signal, sys
from coding.review import code_excerpt
from coding.store import documents as doc_store
from coding.ui import state
if sys.argv[2] == "stop-like-streamlit":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # what Streamlit's handler ends in: a normal exit
store = state.project()
for excerpt in state.query(doc_store.get_excerpts)[:3]:
    state.act(code_excerpt, "ana", excerpt.id, "COST")
print("decided", flush=True)
sys.stdin.readline()
"""


def _app_session(db: Path, mode: str) -> subprocess.Popen:
    # Stopped at once, the app must checkpoint on its way out; a long idle release keeps the project open till then.
    idle = {"QCODE_APP_IDLE_RELEASE": "600"} if mode == "stop-like-streamlit" else {}
    child = subprocess.Popen([sys.executable, "-c", APP_SESSION, str(db), mode], cwd=REPO, text=True,
                             env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "QCODE_DB": str(db),
                                  "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1", **idle},
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout.readline().strip() == "decided", child.stderr.read()
    return child


def test_the_app_checkpoints_when_idle_so_a_later_kill_loses_nothing(project, tmp_path):
    child = _app_session(project, "idle")
    try:
        deadline = time.monotonic() + 20
        while wal_path(project).exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not wal_path(project).exists(), "the app did not checkpoint while idle"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert _decisions_in_file_alone(project, tmp_path) == 3


def test_the_app_checkpoints_on_exit_after_sigterm(project, tmp_path):
    child = _app_session(project, "stop-like-streamlit")
    assert wal_path(project).exists()  # within the idle delay: the decisions are still only in the log
    child.send_signal(signal.SIGTERM)
    assert child.wait(timeout=30) == 0, child.stderr.read()
    assert not wal_path(project).exists()
    assert _decisions_in_file_alone(project, tmp_path) == 3


FORWARDING_PARENT = """
import sys
from coding.cli.app_cmds import run_until_stopped
from coding.cli.common import _exit_on_terminate
server = [sys.executable, "-c", (
    "import signal, sys, time\\n"
    "def stop(*_):\\n"
    "    open(sys.argv[1], 'w').write('stopped by SIGTERM')\\n"
    "    sys.exit(0)\\n"
    "signal.signal(signal.SIGTERM, stop)\\n"
    "print('serving', flush=True)\\n"
    "time.sleep(60)\\n"), sys.argv[1]]
with _exit_on_terminate():
    sys.exit(run_until_stopped(server))
"""


def test_qcode_app_stops_its_server_with_sigterm_not_sigkill(tmp_path):
    """`qcode app` waits for the server to close the project; subprocess.call used to SIGKILL it on Ctrl+C."""
    marker = tmp_path / "server-stopped"
    parent = python(FORWARDING_PARENT, marker)
    assert parent.stdout.readline().strip() == "serving", parent.stderr.read()
    parent.send_signal(signal.SIGTERM)
    assert parent.wait(timeout=30) == 0, parent.stderr.read()
    assert marker.read_text() == "stopped by SIGTERM"
