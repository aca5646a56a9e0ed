"""Long work (embedding, clustering, suggestions) in a background thread, so no page waits for it.

A job runs on its own DuckDB cursor of the server's connection (safe in another thread) and reports progress into a
`Job` that any session can read; the page showing it polls every second with a fragment. One job per kind and
project runs at a time. A job keeps the project open until it ends (the app otherwise lets go of it when idle), and
a qcode command waiting for the project meanwhile is told which job holds it. A job's failure is kept and shown: a
`QcodeError` as its message, anything else (a bug) with its type, and its traceback goes to the server log.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from coding.errors import QcodeError
from coding.store import ProjectStore
from coding.ui import state

_LOG = logging.getLogger(__name__)
_JOBS: dict[tuple[str, str], Job] = {}
_JOBS_LOCK = threading.Lock()
_SESSION_MARK = "qcode_jobs_session"
_RECENT_S = 600  # a success older than this is old news to a session that opens the page later

Work = Callable[[ProjectStore, "Job"], Any]  # work(store, job): report with job.progress and job.stage


@dataclass
class Job:
    kind: str
    label: str
    started: float = field(default_factory=time.monotonic)
    done: int = 0
    total: int = 0
    finished: bool = False
    finished_at: float | None = None
    error: str | None = None
    result: Any = None
    announced_to: set[str] = field(default_factory=set)  # coders (or sessions) already told how it ended

    stage_name: str | None = None  # the stage running after embedding (reduce, cluster, ...), None while embedding
    stage_started: float | None = None
    stage_counted: bool = False  # the stage reports how far it is (learn: codes, score: excerpts)

    def progress(self, done: int, total: int) -> None:
        """Embedding's count, or, once a stage has started, how far that stage is."""
        self.done, self.total = done, total
        self.stage_counted = self.stage_name is not None

    def stage(self, name: str, count: int) -> None:
        self.stage_name, self.stage_started = name, time.monotonic()
        self.done, self.total, self.stage_counted = 0, count, False

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0


def _key(kind: str) -> tuple[str, str]:
    return (state.project_file(), kind)  # not state.project(): polling a job must not keep the project open


def current(kind: str) -> Job | None:
    return _JOBS.get(_key(kind))


def start(kind: str, label: str, work: Work) -> Job:
    """Start `work(store, progress)` in the background unless a job of this kind is already running."""
    key = _key(kind)
    with _JOBS_LOCK:
        running = _JOBS.get(key)
        if running is not None and not running.finished:
            return running
        job = _JOBS[key] = Job(kind=kind, label=label)
    try:
        store, release = state.hold_project(label)
    except BaseException:
        with _JOBS_LOCK:
            _JOBS.pop(key, None)  # never started: the next click may start it
        raise

    def run() -> None:
        try:
            job.result = work(store, job)
        except QcodeError as error:
            job.error = str(error)
        except Exception as error:  # a bug: keep the traceback in the server log, say what happened on screen
            _LOG.exception("background job %s failed", kind)
            job.error = f"{type(error).__name__}: {error}"
        finally:
            release()
            job.finished_at = time.monotonic()
            job.finished = True

    threading.Thread(target=run, name=f"qcode-{kind}", daemon=True).start()
    return job


def wait(kind: str, timeout: float = 60.0) -> Job | None:
    """Block until the job of this kind finishes (for tests and scripts)."""
    job = current(kind)
    deadline = time.monotonic() + timeout
    while job is not None and not job.finished and time.monotonic() < deadline:
        time.sleep(0.05)
    return job


def running(kind: str) -> bool:
    job = current(kind)
    return job is not None and not job.finished


def show(kind: str, done_message: Callable[[Any], str]) -> None:
    """Progress of the running job, refreshed every second; once it has ended, its outcome, once per coder (a
    reload or another page is no reason to say it again; the record lives in server memory, with the job)."""
    job = current(kind)
    if job is None:
        return
    if not job.finished:
        _poll(kind)
        return
    who = state.coder() or st.session_state.setdefault(_SESSION_MARK, uuid.uuid4().hex)
    recent = job.finished_at is not None and time.monotonic() - job.finished_at < _RECENT_S
    with _JOBS_LOCK:
        told = who in job.announced_to
        job.announced_to.add(who)
    if not told and (recent or job.error):
        state.flash("error" if job.error else "success", job.error or done_message(job.result))


@st.fragment(run_every=1.0)
def _poll(kind: str) -> None:
    job = current(kind)
    if job is None or job.finished:
        st.rerun(scope="app")  # draw the whole page again with what the job wrote
    st.progress(job.fraction if job.stage_name is None or job.stage_counted else 1.0, text=describe(job))


def describe(job: Job) -> str:
    """"Finding themes: cluster, 380 items (12 s in this stage, 95 s in all)", "Computing suggestions: learn, 7 of
    12 (...)" in a stage that counts, or "120 of 380" before any stage."""
    now = time.monotonic()
    if job.stage_name is not None:
        count = f"{job.done:,} of {job.total:,}" if job.stage_counted else f"{job.total:,} items"
        detail = (f"{job.stage_name}, {count} ({now - (job.stage_started or now):.0f} s in this stage, "
                  f"{now - job.started:.0f} s in all)")
    else:
        detail = (f"{job.done} of {job.total}" if job.total else "starting") + f" ({now - job.started:.0f} s)"
    return f"{job.label}: {detail}. Other pages stay usable meanwhile."
