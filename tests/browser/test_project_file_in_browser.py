"""The real server stopped the way a researcher stops it (Ctrl+C = SIGINT, or SIGTERM) right after a decision in
the browser: the decision is in the project file itself, with no PROJECT.duckdb.wal left beside it."""

from __future__ import annotations

import shutil
import signal

import pytest

from coding.store import codings as coding_store
from coding.store import open_project
from coding.store.connection import wal_path
from tests.app.project import copy_project
from tests.browser.conftest import open_view, start_app, wait_idle

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_a_decision_made_just_before_the_server_stops_is_in_the_project_file(browser, browser_project, tmp_path,
                                                                             stop):
    db, _ = copy_project(browser_project, tmp_path / "copy")
    log = tmp_path / "streamlit.log"
    server, url = start_app(db, log)
    try:
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
