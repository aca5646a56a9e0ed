"""A prepared export kept across reruns is offered only while the project is as it was when the file was made: after
a `qcode` command (another process) or the app itself has changed the project, the page asks to prepare it again."""

from __future__ import annotations

import os
import subprocess
import sys

from coding.review import code_excerpt
from tests.app.conftest import read_project
from tests.app.project import REPO


def _download(at) -> list:
    return list(at.get("download_button"))


def test_a_prepared_export_is_dropped_once_a_command_has_changed_the_project(open_app, project):
    with read_project(project[0]) as store:
        code_excerpt(store, "ana", "S01:4:1", "TIME_SAVINGS")
    at = open_app("export")
    at.button(key="ex_prepare").click().run()
    assert _download(at)
    at.run()
    assert _download(at)  # a rerun alone changes nothing: the file still matches the project
    undo = subprocess.run([sys.executable, "-m", "coding.cli.main", "undo", "--coder", "ana", "--db", str(project[0])],
                          cwd=REPO, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(REPO), "QCODE_LOCK_WAIT": "60"})
    assert undo.returncode == 0 and "undid 1 decision(s)" in undo.stdout, undo.stderr
    at.run()
    assert not at.exception
    assert not _download(at)
    assert any("The project has changed since the file was prepared" in c.value for c in at.caption)
    assert "ex_file" not in at.session_state


def test_a_prepared_export_is_dropped_once_the_app_has_changed_the_project(open_app, project):
    at = open_app("export")
    at.button(key="ex_prepare").click().run()
    assert _download(at)
    with read_project(project[0]) as store:  # as a decision made on another page or by another researcher
        code_excerpt(store, "ben", "S01:4:1", "COST")
    at.run()
    assert not _download(at)
