"""Review's "Ask the local model": runs in the background against the test server, shows the model's reasons, and
its Stop button ends the run early keeping the answers that arrived."""

from __future__ import annotations

import html
import time

import pytest
from streamlit.testing.v1 import AppTest

from coding.store import open_project
from coding.store.llm_answers import latest_llm_run
from coding.store.suggestions import suggestions_for
from coding.ui import jobs
from tests.app.conftest import APP, VIEWS

TURNS = 15


@pytest.fixture
def app_project(llm_store, monkeypatch):
    """The study project (LLM settings pointing at the test server), opened by the app through QCODE_DB."""
    path = llm_store.path
    llm_store.close()
    monkeypatch.setenv("QCODE_DB", str(path))
    yield path
    from coding.ui import state

    state._open.clear()


def review_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.session_state["coder"] = "ana"
    at.run()
    at.switch_page(f"{VIEWS}/review.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_asking_the_local_model_from_review_stores_its_suggestions_with_reasons(app_project, chat_server):
    at = review_page()
    at.button(key="llm_run").click().run()
    job = jobs.wait("llm", timeout=120)
    assert job is not None and job.error is None, job and job.error
    assert job.result.answered == TURNS and len(chat_server.requests) == TURNS
    at.run()
    assert not at.exception
    shown = at.session_state["review_current"]
    with open_project(app_project) as store:
        assert latest_llm_run(store).id == job.result.run_id
        reasons = [s.evidence for s in suggestions_for(store, job.result.run_id, [shown], only_suggested=True)]
    accept = {b.key.removeprefix("review_accept_") for b in at.button if b.key and b.key.startswith("review_accept_")}
    page = "\n".join(h.proto.body for h in at.html)
    # Excerpts with a code the model chose come first (a chosen code is the closest call); its reason is shown.
    assert reasons and all(f"why: {html.escape(reason)}" in page for reason in reasons)
    assert accept


def test_the_stop_button_ends_the_run_and_keeps_what_arrived(app_project, chat_server):
    with open_project(app_project) as store:
        from coding.store.settings import set_setting

        set_setting(store, "llm_concurrency", 1)
    chat_server.slow_seconds = 0.2
    for phrase in ("budget", "pilot", "cheating", "workshop", "weather"):
        chat_server.add_fault(phrase, "slow", times=99)
    at = review_page()
    at.button(key="llm_run").click().run()
    deadline = time.monotonic() + 30
    while len(chat_server.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    at.run()
    at.button(key="llm_stop").click().run()
    job = jobs.wait("llm", timeout=60)
    assert job is not None and job.finished and job.error is None, job and job.error
    assert 1 <= job.result.answered < TURNS
    assert len(chat_server.requests) <= job.result.answered + 2  # nothing more was sent after the stop
    with open_project(app_project) as store:
        kept = store.conn.execute("SELECT count(*) FROM llm_answers WHERE status = 'ok'").fetchone()[0]
    assert kept == job.result.answered
