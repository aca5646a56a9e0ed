"""`qcode backup` while another process (the app) holds the project: the holder takes the snapshot for it."""

from __future__ import annotations

import subprocess
import sys

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


def test_backup_runs_while_the_app_holds_the_project(tmp_path):
    db = tmp_path / "project.duckdb"
    store = open_project(db, create=True)
    write_interviews(tmp_path / "interviews", 2)
    ingest_paths(store, [tmp_path / "interviews"])
    names = doc_store.document_names(store)
    store.close()
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
