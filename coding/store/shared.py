"""A project that one long-running process (the app) shares with others (qcode commands): held only while in use.

DuckDB lets one process write a file at a time, and a second process cannot even read it meanwhile. So the app does
not keep the project to itself: a watcher thread closes it (checkpointing, so the file alone holds every change)
as soon as no call is running when another process waits for it (its `PROJECT.duckdb.wanted` mark, see
`coding.store.in_use`), and after `idle_release` seconds without a call in any case. Between a researcher's key
presses it stays open, so a press does not pay for reopening a cold database; after a moment without a call the
watcher checkpoints it. The next call opens it again. Long work (a suggestion or clustering job) keeps the project
open until it ends, waiter or not, and says so in the project's in-use note.

Every use of the store goes through the process lock given to `SharedProject`, and the watcher closes only under
that lock, so no call ever sees its store closed under it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from coding.store.connection import ProjectStore, open_project
from coding.store.in_use import forget_request, is_wanted

IDLE_RELEASE_VARIABLE = "QCODE_APP_IDLE_RELEASE"
IDLE_RELEASE_SECONDS = 30.0  # without a call for this long the app lets go even if nobody asks (other tools)
WANTED_GAP_SECONDS = 0.2  # a waiter gets the project once no call has come for this long (between page runs)
IDLE_CHECKPOINT_SECONDS = 3.0  # no call for this long: fold the WAL into the file, keeping the project open
_LOG = logging.getLogger(__name__)


def idle_release_seconds() -> float:
    """$QCODE_APP_IDLE_RELEASE, else 30 s (a value that is not a positive number is ignored)."""
    try:
        seconds = float(os.environ.get(IDLE_RELEASE_VARIABLE, ""))
    except ValueError:
        return IDLE_RELEASE_SECONDS
    return seconds if 0 < seconds < float("inf") else IDLE_RELEASE_SECONDS


class SharedProject:
    """The project at `path` as this process uses it: `store()` under `lock`, closed again when idle."""

    def __init__(self, path: Path, lock: threading.RLock, holder: str = "the app",
                 idle_release: float | None = None, on_open: Callable[[ProjectStore], None] | None = None):
        self.path = Path(path)
        self.lock = lock
        self.holder = holder
        self.idle_release = idle_release_seconds() if idle_release is None else idle_release
        self.on_open = on_open
        self.opened = 0  # how many times the project was opened (for tests and measurements)
        self._store: ProjectStore | None = None
        self._last_used = time.monotonic()
        self._works: list[str] = []  # long work holding the project open, by label
        self._checkpointed = True  # no call since the last checkpoint
        self._stopped = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="qcode-idle-release", daemon=True)
        self._watcher.start()

    @property
    def is_open(self) -> bool:
        return self._store is not None

    def store(self, wait: float = 0.0) -> ProjectStore:
        """The open store, opening the project first if it is closed (waiting up to `wait` seconds for another
        process to let go of it, else `ProjectInUse`). Call with the lock held, and `touch()` when done."""
        self._last_used = time.monotonic()
        if self._store is None:
            store = open_project(self.path, wait=wait, holder=self.holder)
            self._store = store
            self.opened += 1
            if self._works:
                store.busy_with(", ".join(self._works))
            if self.on_open is not None:
                self.on_open(store)
        return self._store

    def touch(self) -> None:
        """A call has just finished: the idle time counts from now."""
        self._last_used = time.monotonic()
        self._checkpointed = False

    def hold(self, work: str) -> tuple[ProjectStore, Callable[[], None]]:
        """Keep the project open for long work in another thread: a store on its own cursor, and the function that
        lets go of it (call it once, when the work ends). Call with the lock held."""
        root = self.store()
        self._works.append(work)
        root.busy_with(", ".join(self._works))
        cursor = root.conn.cursor()
        released = threading.Event()

        def release() -> None:
            if released.is_set():
                return
            released.set()
            with self.lock:
                try:
                    cursor.close()
                except Exception:  # the connection was closed under it (the server is stopping)
                    pass
                self._works.remove(work)
                self._last_used = time.monotonic()
                if self._store is not None:
                    self._store.busy_with(", ".join(self._works) or None)

        return ProjectStore(self.path, cursor), release

    def release_if_idle(self) -> bool:
        """Close the project when no long work holds it and no call is running, if another process waits for it
        (and no call has come for a moment) or no call has come for `idle_release` seconds; else checkpoint it once
        after a few idle seconds. Whether it closed."""
        if self._store is None or self._works or not self._due():
            return False
        if not self.lock.acquire(blocking=False):
            return False  # a call is running: it will touch() when done
        try:
            if self._store is None or self._works:
                return False
            due = self._due()
            if due == "checkpoint":
                self._store.checkpoint()  # once: a full disk keeps the changes in the WAL, retried after a call
                self._checkpointed = True
                return False
            if not due:
                return False
            self._close_store()
            forget_request(self.path)
            return True
        finally:
            self.lock.release()

    def _due(self) -> str | bool:
        idle = time.monotonic() - self._last_used
        if idle >= self.idle_release or (idle >= WANTED_GAP_SECONDS and is_wanted(self.path)):
            return True
        return "checkpoint" if idle >= IDLE_CHECKPOINT_SECONDS and not self._checkpointed else False

    def close(self, timeout: float = 10.0) -> None:
        """Stop the watcher and close the project, between two calls if one is running (else after `timeout`)."""
        self._stopped.set()
        acquired = self.lock.acquire(timeout=timeout)
        try:
            self._close_store()
        finally:
            if acquired:
                self.lock.release()

    def _close_store(self) -> None:
        store = self._store
        if store is not None:
            try:
                store.close()
            finally:
                self._store = None  # after the checkpoint: `is_open` is False only once the file is whole

    def _watch(self) -> None:
        poll = min(0.1, self.idle_release / 4)
        while not self._stopped.wait(poll):
            try:
                self.release_if_idle()
            except Exception:  # a failed close must not end the releases for the rest of the session
                _LOG.exception("closing the idle project failed; trying again")
