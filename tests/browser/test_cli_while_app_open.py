"""qcode commands while the app is open on the same project (issue 15), all for real: a Streamlit server, Chromium,
and each command in a process of its own. Reads and writes from the command line go through while a researcher
codes in the browser, the app's next run shows what they wrote, nothing either side wrote is lost, and a command
that meets the app's long job waits for it or says which job holds the project."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coding.decisions import replay
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store.codebooks import current_codebook
from coding.store.in_use import in_use_path
from tests.app.project import REPO, SAMPLE_CODEBOOK, build_bare_project
from tests.browser.conftest import open_view, serving, wait_idle
from tests.browser.session import (check_review, keys_settled, open_review, press_keys, qcode, qcode_env, snapshot,
                                   write_quotes_csv)

pytestmark = pytest.mark.browser

SECOND_INTERVIEW = """Interview T02

Interviewer: What worries you most?

Ms. Okafor: Privacy. Parents ask where the essays go. We have no contract that answers them.

Interviewer: And the teachers?

Ms. Okafor: They want training first. Nobody showed them how it makes things up.
"""


@pytest.fixture(scope="module")
def served(browser, tmp_path_factory) -> Iterator[tuple[Path, str, subprocess.Popen]]:
    """A one-interview project (codebook, fake embedder, no suggestions) and the app serving it."""
    folder = tmp_path_factory.mktemp("cli-beside-app")
    db = build_bare_project(folder / "project")
    log = folder / "streamlit.log"
    with serving(db, log, stop_timeout=30) as (url, server):
        yield db, url, server
    assert "Traceback" not in log.read_text(), log.read_text()


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return result.stdout


def _metric(page, label: str) -> str:
    metric = page.locator('[data-testid="stMetric"]').filter(
        has=page.get_by_text(label, exact=True)).locator('[data-testid="stMetricValue"]')
    return metric.first.inner_text().strip()


def _codings_in_force(store) -> int:
    """Codings in force by the replayed decision log."""
    return len(replay(coding_store.all_decisions(store))[0])


def test_every_command_runs_while_the_app_is_open_and_the_next_run_shows_what_it_wrote(page, served, tmp_path):
    db, url, _ = served
    open_view(page, url, "overview")  # the app opens the project
    assert _metric(page, "Documents") == "1" and _metric(page, "Codings") == "0"

    # reads
    listed = json.loads(_ok(qcode("codings", "--json", "--db", db)))
    assert listed == []
    export = tmp_path / "codings.xlsx"
    _ok(qcode("export", export, "--db", db))
    assert export.stat().st_size > 0

    # a new transcript: Transcripts lists it on its next run
    (tmp_path / "T02.txt").write_text(SECOND_INTERVIEW, encoding="utf-8")
    assert "T02" in _ok(qcode("ingest", tmp_path / "T02.txt", "--db", db))
    open_view(page, url, "transcripts")
    page.locator(".st-key-tx_document").click()
    options = {o.inner_text().strip() for o in page.get_by_role("option").all()}
    with snapshot(db) as store:
        assert options == set(doc_store.document_names(store)) == {"T01", "T02"}
    page.keyboard.press("Escape")

    # codings by quote for another coder: Overview counts them
    with snapshot(db) as store:
        excerpts = doc_store.get_excerpts(store)
    rows = write_quotes_csv(tmp_path / "lee.csv", [(e.document, "COST", e.text) for e in excerpts[:3]])
    assert "3 of 3 rows imported for lee" in _ok(qcode("import-codings", rows, "--coder", "lee", "--db", db))
    open_view(page, url, "overview")
    with snapshot(db) as store:
        assert _metric(page, "Codings") == str(_codings_in_force(store)) == "3"

    # a new codebook version: Overview names it
    codebook = tmp_path / "codebook.yaml"
    shutil.copy(SAMPLE_CODEBOOK, codebook)
    _ok(qcode("codebook", "load", codebook, "--db", db))
    open_view(page, url, "overview")
    with snapshot(db) as store:
        version = current_codebook(store)[0]
    assert version == 2 and page.get_by_text(f"(version {version},").count() == 1

    # suggestions: Review scores the excerpts instead of saying there are none
    open_review(page, url, "ana")
    assert page.get_by_text("No suggestions yet").count() == 1
    _ok(qcode("suggest", "--db", db))
    open_review(page, url, "ana")
    assert page.get_by_text("No suggestions yet").count() == 0
    assert page.locator("text=/score \\d\\.\\d\\d/").count() > 0
    with snapshot(db) as store:
        assert store.conn.execute("SELECT count(*) FROM suggestion_runs").fetchone()[0] == 1


def test_a_command_importing_while_the_researcher_codes_loses_nothing_of_either(page, served, tmp_path):
    db, url, _ = served
    with snapshot(db) as store:
        excerpts = doc_store.get_excerpts(store)
    rows = write_quotes_csv(tmp_path / "kim.csv", [(e.document, "TRAINING", e.text) for e in excerpts])
    open_review(page, url, "ana")
    importing = subprocess.Popen([sys.executable, "-m", "coding.cli.main", "import-codings", str(rows), "--coder",
                                  "kim", "--db", str(db)], cwd=REPO, env=qcode_env(), text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    presses = 0
    try:
        while importing.poll() is None or presses < 4:  # before, during and after the import
            press_keys(page, "xn"[presses % 2])
            presses += 1
        out, err = importing.communicate(timeout=120)
    finally:
        importing.kill()
    assert importing.returncode == 0 and "Traceback" not in err, err
    assert f"{len(excerpts)} of {len(excerpts)} rows imported for kim" in out
    check_review(page, db, "ana", "after the import")  # every X the app took is in the log, and on screen
    with snapshot(db) as store:
        log = coding_store.all_decisions(store)
        kim = {d.span.excerpt_id for d in log if d.coder == "kim" and d.code == "TRAINING"}
        ana = [d for d in log if d.coder == "ana"]
    assert kim == {e.id for e in excerpts}
    assert len(ana) >= presses // 2  # each X on a new excerpt is one decision (or rejects pending codes)


PRELOADED_QCODE = """
import sys
from coding.cli.main import app
sys.stdin.readline()  # started and imported; runs the command when told to
app(sys.argv[1:], prog_name="qcode")
"""


def _preloaded(args: list[str], wait: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", PRELOADED_QCODE, *args], cwd=REPO, env=qcode_env(wait), text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _go(process: subprocess.Popen) -> None:
    process.stdin.write("go\n")
    process.stdin.flush()


def test_a_command_meeting_a_long_job_of_the_app_waits_for_it_or_says_which_job_holds_the_project(page, served,
                                                                                                   tmp_path):
    from tests.llm.server import FakeChatServer

    db, url, server = served
    chat = FakeChatServer({"pilot": ["PILOTS"], "licenses": ["COST"]}, slow_seconds=10).start()
    impatient = patient = None
    try:
        chat.add_fault("licenses", "slow")  # one answer takes 10 s: the app's job holds the project that long
        _ok(qcode("config", "llm_endpoint", chat.base_url, "--db", db))
        _ok(qcode("config", "llm_model", chat.model, "--db", db))
        with snapshot(db) as store:
            excerpt = doc_store.get_excerpts(store)[0]
        rows = write_quotes_csv(tmp_path / "late.csv", [(excerpt.document, "POLICY", excerpt.text)])
        command = ["import-codings", str(rows), "--coder", "late", "--db", str(db)]
        impatient = _preloaded(command, wait=1)
        patient = _preloaded(command, wait=120)

        open_review(page, url, "ana")
        page.locator(".st-key-llm_run button").first.click()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the job has started and says so beside the project
            note = in_use_path(db)
            if note.exists() and json.loads(note.read_text() or "{}").get("doing") == "Asking the local model":
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the app's job did not start")

        _go(impatient)
        out, err = impatient.communicate(timeout=60)
        lines = [line for line in err.splitlines() if line.strip()]
        assert impatient.returncode == 1 and len(lines) == 2, err
        assert lines[0] == (f"waiting for the project (up to 1 s, set by QCODE_LOCK_WAIT): it is open in the app "
                            f"(process id {server.pid}), which is busy with: Asking the local model")
        assert lines[1] == (
            f"error: {db}: the project is open in another program (the app, process id {server.pid}, busy with: "
            "Asking the local model) and was not free within 1 s (run the command again when that work has "
            f"finished, or kill {server.pid} if it hangs; QCODE_LOCK_WAIT=SECONDS sets how long qcode waits for it)")

        started = time.monotonic()
        _go(patient)
        out, err = patient.communicate(timeout=180)
        assert patient.returncode == 0, err
        assert "1 of 1 rows imported for late" in out
        assert err.startswith("waiting for the project (up to 120 s, set by QCODE_LOCK_WAIT): it is open in the app")
        assert time.monotonic() - started > 3  # it waited for the slow answer, not for a moment
    finally:
        chat.stop()
        for process in (impatient, patient):
            if process is not None:
                process.kill()
    with snapshot(db) as store:
        log = coding_store.all_decisions(store)
        assert [d.code for d in log if d.coder == "late"] == ["POLICY"]  # the patient one, once
        llm_runs = store.conn.execute(
            "SELECT count(*) FROM suggestion_runs WHERE model_id = ?", [f"llm:{chat.model}"]).fetchone()[0]
    assert llm_runs == 1  # the job ran to its end
    page.reload()
    wait_idle(page)
    check_review(page, db, "ana", "after the job and the command")


def test_a_page_waits_for_a_long_command_saying_who_writes_the_project_and_then_applies_the_key(page, served):
    """`qcode suggest --llm` holds the project while a slow model answers; an X pressed meanwhile waits, the page
    says which command is writing, and the decision is saved once the command is done."""
    from tests.llm.server import FakeChatServer

    db, url, _ = served
    chat = FakeChatServer({"pilot": ["PILOTS"]}, model="second-model", slow_seconds=10).start()
    suggesting = None
    try:
        chat.add_fault("licenses", "slow")
        _ok(qcode("config", "llm_endpoint", chat.base_url, "--db", db))
        _ok(qcode("config", "llm_model", chat.model, "--db", db))  # a new model: every turn is asked again
        open_review(page, url, "ana")
        with snapshot(db) as store:
            before = len([d for d in coding_store.all_decisions(store) if d.coder == "ana"])
        suggesting = subprocess.Popen([sys.executable, "-m", "coding.cli.main", "suggest", "--llm", "--db", str(db)],
                                      cwd=REPO, env=qcode_env(), text=True, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while not chat.requests and time.monotonic() < deadline:  # the command holds the project and asks
            time.sleep(0.1)
        assert chat.requests, suggesting.stderr.read() if suggesting.poll() is not None else "no request"
        page.locator("h1").first.click()
        page.keyboard.press("x")
        busy = page.get_by_text(f"The project is busy: qcode suggest (process id {suggesting.pid}) is writing it; "
                                "this page updates when it is done.")
        busy.wait_for(timeout=8000)
        assert suggesting.poll() is None  # said while the command was still writing
        out, err = suggesting.communicate(timeout=120)
        assert suggesting.returncode == 0 and "Traceback" not in err, err
        busy.wait_for(state="detached", timeout=30000)  # the page carries on once the command is done
    finally:
        chat.stop()
        if suggesting is not None:
            suggesting.kill()
    keys_settled(page)
    check_review(page, db, "ana", "after the command")
    with snapshot(db) as store:
        after = len([d for d in coding_store.all_decisions(store) if d.coder == "ana"])
    assert after == before + 1  # the X, saved once the project was free
