"""The real server stopped the way a researcher stops it (Ctrl+C = SIGINT, or SIGTERM) right after a decision in
the browser: the decision is in the project file itself, with no PROJECT.duckdb.wal left beside it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest

from coding.store import codings as coding_store
from coding.store import open_project
from coding.store.connection import wal_path
from tests.app.project import REPO, copy_project
from tests.browser.conftest import _free_port, _wait_healthy, open_view, wait_idle

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_decision_made_just_before_the_server_stops_is_in_the_project_file(browser, browser_project, tmp_path,
                                                                             stop):
    db, _ = copy_project(browser_project, tmp_path / "copy")
    port = _free_port()
    log = tmp_path / "streamlit.log"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.pop("QCODE_DB", None)
    command = [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none", "--", "--db", str(db)]
    with log.open("w") as handle:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, server, log)
        context = browser.new_context(viewport={"width": 1400, "height": 1400})
        page = context.new_page()
        page.set_default_timeout(20_000)
        open_view(page, url, "review", coder="stopper")
        page.locator('[class*="st-key-review_accept_"] button').first.click()
        wait_idle(page)
        page.wait_for_selector("text=1 of 381 excerpts decided by stopper")
        context.close()
        server.send_signal(stop)  # at once: before the idle checkpoint would have run
        assert server.wait(timeout=60) == 0, log.read_text()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert not wal_path(db).exists(), log.read_text()
    alone = tmp_path / "alone.duckdb"
    shutil.copyfile(db, alone)  # "the one project file", copied by hand
    with open_project(alone, read_only=True) as store:
        assert [d.coder for d in coding_store.all_decisions(store)].count("stopper") == 1
