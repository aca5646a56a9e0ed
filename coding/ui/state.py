"""What the app keeps per server process and per browser session, and how views call the library.

One DuckDB connection per server process is shared by every browser session. Each Streamlit session runs its script
in its own thread and a DuckDB connection must not be used by two threads at once, so every call into `coding/` goes
through `query` or `act`, which hold a process-wide lock for the length of that call only. Long jobs (clustering,
suggestions) run on their own cursor instead (see `coding.ui.jobs`).

DuckDB allows one process per file, and researchers run qcode commands while the app is open, so the app holds the
project only while it uses it (`coding.store.shared`): it is closed after a moment without a call and opened again by
the next one. While a command holds it, a call waits, and a page says who is writing the project until it is free.

`st.session_state` holds only what is on screen: the coder's name, the excerpt being reviewed, filters, messages.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from coding.embedding import Embedder
from coding.errors import ProjectError, QcodeError
from coding.store import DEFAULT_DB, ProjectStore
from coding.store.connection import ProjectInUse, storage_problem
from coding.store.shared import SharedProject
from coding.ui.text import md

P = ParamSpec("P")
T = TypeVar("T")

CODER = "coder"
_FLASH = "qcode_flash"
_LOCK = threading.RLock()
_OPEN_ATTEMPT_SECONDS = 0.5  # one try to open a project a command holds, with the process lock held
_RETRY_SECONDS = 0.5  # between tries, without the lock (other sessions go on meanwhile)
_QUIET_SECONDS = 1.0  # a command that lets go within this is waited for without a message
_WAIT_OUTSIDE_PAGES_SECONDS = 30.0  # a call from no page (a script, a test) gives up after this


def project_path(argv: list[str] | None = None) -> Path:
    """`--db PATH` after `streamlit run app.py --`, else $QCODE_DB, else ./qcode.duckdb."""
    args = sys.argv[1:] if argv is None else argv
    for i, arg in enumerate(args):
        if arg == "--db" and i + 1 < len(args):
            return Path(args[i + 1])
        if arg.startswith("--db="):
            return Path(arg.split("=", 1)[1])
    return Path(os.environ.get("QCODE_DB") or DEFAULT_DB)


@st.cache_resource(show_spinner=False, on_release=lambda shared: shared.close())
def _open(path: str) -> SharedProject:
    shared = SharedProject(Path(path), _LOCK, holder="the app", on_open=_print_notes)
    atexit.register(shared.close)  # Streamlit's SIGTERM/Ctrl+C handling ends in a normal exit: checkpoint, close
    return shared


def _print_notes(store: ProjectStore) -> None:
    for note in store.notes:
        print(f"note: {note}", file=sys.stderr)  # the terminal that started the app


def project_file() -> str:
    """The project's resolved path, without opening it."""
    return str(project_path().resolve())


def shared_project() -> SharedProject:
    return _open(project_file())


def project() -> ProjectStore:
    """The server's store of the project, opened if needed (for its path; call the library through `query`/`act`:
    the store is closed again after a moment without a call)."""
    return query(lambda store: store)


def query(fn: Callable[Concatenate[ProjectStore, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(store, ...)` under the process lock. Errors propagate (use `act` for user actions); a full or read-only
    disk under DuckDB becomes a `ProjectError` naming the file. While a command holds the project, waits for it (on a
    page, saying so)."""
    shared = shared_project()
    busy = _Busy()
    while True:
        with _LOCK:
            try:
                store = shared.store(wait=_OPEN_ATTEMPT_SECONDS)
            except ProjectInUse as error:
                waiting_for = error
            else:
                busy.over()
                try:
                    return fn(store, *args, **kwargs)
                except Exception as error:
                    problem = storage_problem(error)
                    if problem is None:
                        raise
                    raise ProjectError(problem) from None
                finally:
                    shared.touch()
        busy.wait(waiting_for)  # without the lock, so that other sessions are not stuck behind this one


class _Busy:
    """Waiting for a project another program writes. On a page, after a quiet second, a message says who is writing
    it; redrawing the message each try lets Streamlit stop this run for a newer one (a click, a key). Outside a page,
    `ProjectInUse` after a while."""

    def __init__(self):
        self.since = time.monotonic()
        self.notice = None

    def wait(self, error: ProjectInUse) -> None:
        waited = time.monotonic() - self.since
        if get_script_run_ctx(suppress_warning=True) is None:
            if waited >= _WAIT_OUTSIDE_PAGES_SECONDS:
                raise error
        elif waited >= _QUIET_SECONDS:
            if self.notice is None:
                self.notice = st.empty()
            self.notice.info(md(busy_message(error)), icon=":material/hourglass_top:")
        time.sleep(_RETRY_SECONDS)

    def over(self) -> None:
        if self.notice is not None:
            self.notice.empty()
            self.notice = None


def busy_message(error: ProjectInUse) -> str:
    return f"The project is busy: {error.holder.describe()} is writing it; this page updates when it is done."


def hold_project(work: str) -> tuple[ProjectStore, Callable[[], None]]:
    """For long work in a background thread: a store on its own cursor that keeps the project open (and says `work`
    keeps it busy) until the returned function is called."""
    shared = shared_project()
    return query(lambda store: shared.hold(work))


def act(fn: Callable[Concatenate[ProjectStore, P], T], *args: P.args, **kwargs: P.kwargs) -> T | None:
    """A user action: `fn(store, ...)` under the lock; a `QcodeError` becomes a message on screen, not a traceback."""
    try:
        return query(fn, *args, **kwargs)
    except QcodeError as error:
        flash("error", str(error))
        return None


def succeeded(fn: Callable[Concatenate[ProjectStore, P], object], *args: P.args, **kwargs: P.kwargs) -> bool:
    """Like `act`, for actions that return nothing: whether it went through."""
    try:
        query(fn, *args, **kwargs)
    except QcodeError as error:
        flash("error", str(error))
        return False
    return True


def flash(kind: str, message: str) -> None:
    """Queue a message ("success", "error", "info") shown at the top of the page on this or the next run."""
    st.session_state.setdefault(_FLASH, []).append((kind, message))


def show_flashes() -> None:
    for kind, message in st.session_state.pop(_FLASH, []):
        if kind == "success":
            st.toast(md(message), icon=":material/check:")
        elif kind == "error":
            st.error(md(message), icon=":material/error:")
        else:
            st.info(md(message))


def coder() -> str | None:
    return st.session_state.get(CODER)


def set_coder(name: str) -> None:
    st.session_state[CODER] = name.strip() or None


@st.cache_resource(show_spinner="Loading the embedding model...")
def embedder(name: str | None) -> Embedder:
    """One embedding model per server process and model name (the project setting, or the bundled default)."""
    from coding.embedding import make_embedder

    return make_embedder(name)


def lock() -> threading.RLock:
    """The process-wide lock, for code that must hold it across several calls (kept rare)."""
    return _LOCK
