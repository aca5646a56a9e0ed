"""Interruption and resume: answers are saved as they arrive, an interrupted run (Ctrl-C, or a process killed
outright) keeps them, and the next run asks only the turns still missing."""

from __future__ import annotations

import signal
import time

import pytest
from typer.testing import CliRunner

from coding.cli.main import app
from coding.errors import QcodeError
from coding.llm.settings import llm_settings
from coding.store import open_project
from coding.store.documents import all_turns
from coding.store.settings import set_setting
from pipelines.llm_suggest import llm_suggest, plan_llm_coding
from tests.llm.conftest import ANSWERS
from tests.reliability.conftest import python

TURNS = 15
CLI = "import sys; from coding.cli.main import app; sys.argv = ['qcode', *sys.argv[1:]]; app()"
# As a terminal delivers Ctrl+C: a suite started in the background by a shell without job control (`make test &`)
# inherits SIGINT ignored, and so would this child, which would then never see the signal.
CLI_IN_A_TERMINAL = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); " + CLI


def stored_turn_texts(store) -> set[str]:
    """The respondent turn text of every turn with a usable stored answer."""
    rows = store.conn.execute("SELECT document, turn FROM llm_answers WHERE status = 'ok'").fetchall()
    turns = {(t.document, t.number): t.text.strip() for t in all_turns(store)}
    return {turns[(d, n)] for d, n in rows}


def assert_disjoint_turns(kept: set[str], asked: list[str]) -> None:
    """None of the turns kept was asked again (the texts compared are really turn texts)."""
    asked_texts = {text.strip() for text in asked}
    assert asked_texts and all("That was true in district" in text for text in asked_texts)
    assert not kept & asked_texts


def test_an_interrupted_run_keeps_what_arrived_and_the_next_run_asks_only_the_rest(llm_store, chat_server):
    plan = plan_llm_coding(llm_store, llm_settings(llm_store))

    def interrupt_at_four(done: int, total: int) -> None:
        if done == 4:
            raise KeyboardInterrupt

    with pytest.raises(QcodeError, match=r"interrupted after 4 of 15 turns; their answers are saved \(run the same"):
        llm_suggest(llm_store, plan, interrupt_at_four)
    kept = stored_turn_texts(llm_store)
    assert len(kept) == 4

    resumed = plan_llm_coding(llm_store, llm_settings(llm_store))
    assert len(resumed.to_ask) == TURNS - 4
    before = len(chat_server.requests)
    result = llm_suggest(llm_store, resumed)
    asked_again = chat_server.turns_asked()[before:]
    assert result.answered == TURNS - 4 and len(asked_again) == TURNS - 4
    assert_disjoint_turns(kept, asked_again)
    assert len(stored_turn_texts(llm_store)) == TURNS


def test_an_edited_transcript_or_codebook_is_asked_again_but_nothing_else(llm_store, chat_server):
    llm_suggest(llm_store, plan_llm_coding(llm_store, llm_settings(llm_store)))
    plan = plan_llm_coding(llm_store, llm_settings(llm_store), codes=["COST"])
    assert len(plan.to_ask) == TURNS  # a different codebook prompt is a different question
    set_setting(llm_store, "llm_model", "other-model")
    assert len(plan_llm_coding(llm_store, llm_settings(llm_store)).to_ask) == TURNS  # a different model too


def _configured_project(llm_store, chat_server, concurrency: int = 1):
    set_setting(llm_store, "llm_concurrency", concurrency)
    chat_server.slow_seconds = 0.15
    for phrase in ("budget", "pilot", "cheating", "workshop", "weather"):
        chat_server.add_fault(phrase, "slow", times=99)
    path = llm_store.path
    llm_store.close()
    return path


def _wait_for_requests(chat_server, child, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while len(chat_server.requests) < count:
        assert child.poll() is None, f"the CLI ended early: {child.communicate()}"
        assert time.monotonic() < deadline, "the CLI sent too few requests"
        time.sleep(0.02)


def _resume_in_process(path, chat_server) -> tuple[int, list[str]]:
    before = len(chat_server.requests)
    result = CliRunner().invoke(app, ["suggest", "--llm", "--db", str(path)])
    assert result.exit_code == 0, result.output
    return len(chat_server.requests) - before, chat_server.turns_asked()[before:]


@pytest.mark.skipif(not hasattr(signal, "SIGINT"), reason="needs SIGINT")
def test_ctrl_c_on_the_cli_saves_the_answers_and_says_how_to_resume(llm_store, chat_server):
    path = _configured_project(llm_store, chat_server)
    child = python(CLI_IN_A_TERMINAL, "suggest", "--llm", "--db", path)
    _wait_for_requests(chat_server, child, 5)
    child.send_signal(signal.SIGINT)
    _, stderr = child.communicate(timeout=30)
    assert child.returncode == 1
    assert "interrupted after" in stderr and "run the same command again" in stderr and "Traceback" not in stderr

    store = open_project(path)
    try:
        kept = stored_turn_texts(store)
    finally:
        store.close()
    assert 3 <= len(kept) < TURNS  # the fifth request may leave before the fourth answer is handed over
    requests, asked = _resume_in_process(path, chat_server)
    assert requests == TURNS - len(kept)
    assert_disjoint_turns(kept, asked)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_cli_keeps_the_answers_saved_so_far(llm_store, chat_server):
    path = _configured_project(llm_store, chat_server)
    child = python(CLI, "suggest", "--llm", "--db", path)
    _wait_for_requests(chat_server, child, 10)  # 1.5 s of answers: at least one save (every second) has happened
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)

    store = open_project(path)
    try:
        kept = stored_turn_texts(store)
    finally:
        store.close()
    assert 1 <= len(kept) < TURNS
    requests, asked = _resume_in_process(path, chat_server)
    assert requests == TURNS - len(kept)
    assert_disjoint_turns(kept, asked)


def test_a_server_that_becomes_unusable_mid_run_stops_it_and_keeps_the_answers_so_far(llm_store, chat_server):
    set_setting(llm_store, "llm_concurrency", 1)
    chat_server.add_fault("cheating", "401", times=1)  # the third turn of D01
    with pytest.raises(QcodeError, match="HTTP 401"):
        llm_suggest(llm_store, plan_llm_coding(llm_store, llm_settings(llm_store)))
    kept = stored_turn_texts(llm_store)
    assert {text.split(" That")[0] for text in kept} >= {ANSWERS[0], ANSWERS[1]}
    assert not any("cheating" in text for text in kept)
    assert len(plan_llm_coding(llm_store, llm_settings(llm_store)).to_ask) == TURNS - len(kept)


def test_ctrl_c_inside_a_save_keeps_the_answers_and_says_how_to_resume(llm_store, chat_server, monkeypatch):
    """Ctrl+C landing while answers are written comes back from DuckDB as "Query interrupted"; the run stops as for
    any Ctrl+C, and the answers of that save are written on the way out."""
    import pipelines.llm_suggest as llm_pipeline

    real_save = llm_pipeline.answer_store.save_llm_answers
    calls = []

    def save_interrupted_once(store, *args):
        calls.append(len(args[-1]))
        if len(calls) == 2:
            raise RuntimeError("Query interrupted")
        return real_save(store, *args)

    monkeypatch.setattr(llm_pipeline, "FLUSH_EVERY_ANSWERS", 3)
    monkeypatch.setattr(llm_pipeline.answer_store, "save_llm_answers", save_interrupted_once)
    set_setting(llm_store, "llm_concurrency", 1)
    with pytest.raises(QcodeError, match="interrupted after 6 of 15 turns; their answers are saved"):
        llm_suggest(llm_store, plan_llm_coding(llm_store, llm_settings(llm_store)))
    assert len(stored_turn_texts(llm_store)) == 6
    assert len(plan_llm_coding(llm_store, llm_settings(llm_store)).to_ask) == TURNS - 6
