"""What the app keeps per server process and per browser session, and how views call the library.

One DuckDB connection per server process (DuckDB allows one read-write process per file) is shared by every browser
session. Each Streamlit session runs its script in its own thread and a DuckDB connection must not be used by two
threads at once, so every call into `coding/` goes through `query` or `act`, which hold a process-wide lock for the
length of that call only. Long jobs (clustering, suggestions) run on their own cursor instead (see `coding.ui.jobs`).

`st.session_state` holds only what is on screen: the coder's name, the excerpt being reviewed, filters, messages.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

import streamlit as st

from coding.backup_handoff import serve_backup_requests
from coding.embedding import Embedder
from coding.errors import ProjectError, QcodeError
from coding.store import DEFAULT_DB, ProjectStore, open_project
from coding.store.connection import storage_problem
from coding.ui.text import md

P = ParamSpec("P")
T = TypeVar("T")

CODER = "coder"
_FLASH = "qcode_flash"
_LOCK = threading.RLock()


def project_path(argv: list[str] | None = None) -> Path:
    """`--db PATH` after `streamlit run app.py --`, else $QCODE_DB, else ./qcode.duckdb."""
    args = sys.argv[1:] if argv is None else argv
    for i, arg in enumerate(args):
        if arg == "--db" and i + 1 < len(args):
            return Path(args[i + 1])
        if arg.startswith("--db="):
            return Path(arg.split("=", 1)[1])
    return Path(os.environ.get("QCODE_DB") or DEFAULT_DB)


@st.cache_resource(show_spinner="Opening the project...", on_release=lambda store: store.close())
def _open(path: str) -> ProjectStore:
    store = open_project(path)
    for note in store.notes:
        print(f"note: {note}", file=sys.stderr)  # the terminal that started the app
    # While the app holds the file, `qcode backup` hands its request to this process, and the watcher checkpoints
    # after a moment without changes.
    serve_backup_requests(store, lock=lambda: _LOCK)
    atexit.register(_close_at_exit, store)  # Streamlit's SIGTERM/Ctrl+C handling ends in a normal exit
    return store


def _close_at_exit(store: ProjectStore) -> None:
    """Checkpoint and close between two calls of a session, never in the middle of one."""
    if _LOCK.acquire(timeout=10):
        try:
            store.close()
        finally:
            _LOCK.release()
    else:
        store.close()


def project() -> ProjectStore:
    """The server's connection to the project (opened on first use). Call the library through `query`/`act`."""
    return _open(str(project_path().resolve()))


def query(fn: Callable[Concatenate[ProjectStore, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(store, ...)` under the process lock. Errors propagate (use `act` for user actions); a full or read-only
    disk under DuckDB becomes a `ProjectError` naming the file."""
    with _LOCK:
        try:
            return fn(project(), *args, **kwargs)
        except Exception as error:
            problem = storage_problem(error)
            if problem is None:
                raise
            raise ProjectError(problem) from None


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
