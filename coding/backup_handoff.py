"""The process holding a project (the app): DuckDB allows one writer per file, so `qcode backup` asks the holder to
take the snapshot through its own connection; the same watcher thread checkpoints the project when it has been idle
for a moment, so that the project file alone holds every decision even if the holder is later killed.

The request is a small JSON file beside the project (`PROJECT.backup-request`); the holder's watcher thread takes
the backup under the holder's lock and answers in `PROJECT.backup-done`. Only processes of the same user on the same
machine can write beside the project file, which is the trust boundary of a local project anyway.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from coding.errors import Problem, ProjectError, QcodeError
from coding.safety.outputs import os_error_problem
from coding.store import ProjectStore
from coding.store.backup import backup_project, check_backup_target
from coding.store.connection import wal_path

POLL_SECONDS = 0.5
IDLE_CHECKPOINT_SECONDS = 3.0  # no new change for this long: fold the WAL into the project file
_LOG = logging.getLogger(__name__)


def request_path(project: Path) -> Path:
    return project.with_name(project.name + ".backup-request")


def answer_path(project: Path) -> Path:
    return project.with_name(project.name + ".backup-done")


def request_backup(project: Path, target: Path | None, timeout: float = 30.0) -> Path:
    """Ask the process holding `project` for a backup and wait for its answer."""
    check_backup_target(project, target)  # a wrong target is reported here, not by the app
    ticket = uuid.uuid4().hex
    answer = answer_path(project)
    answer.unlink(missing_ok=True)
    request = request_path(project)
    temporary = request.with_name(request.name + ".tmp")  # not PROJECT.tmp: that is DuckDB's spill folder
    try:
        temporary.write_text(json.dumps({"ticket": ticket, "target": str(target.resolve()) if target else None}))
        temporary.replace(request)  # atomic: the watcher never reads half a request
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ProjectError(os_error_problem(error, request, "cannot ask the app for a backup")) from None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if answer.exists():
            try:
                reply = json.loads(answer.read_text())
            except (OSError, ValueError):
                reply = {}
            if reply.get("ticket") == ticket:
                answer.unlink(missing_ok=True)
                if reply.get("error"):
                    raise ProjectError(Problem(f"the app could not back up the project: {reply['error']}",
                                               path=str(project)))
                return Path(reply["path"])
        time.sleep(POLL_SECONDS / 2)
    request.unlink(missing_ok=True)
    raise ProjectError(Problem("the project is open in another program that did not answer the backup request",
                               path=str(project), hint="close that program and run 'qcode backup' again"))


def serve_backup_requests(store: ProjectStore, lock: Callable[[], AbstractContextManager] | None = None,
                          stop: threading.Event | None = None,
                          idle_checkpoint: float | None = IDLE_CHECKPOINT_SECONDS) -> threading.Thread:
    """A daemon thread that, until `stop` is set, answers backup requests for `store` and checkpoints it once its
    WAL has not grown for `idle_checkpoint` seconds. A failing request is answered with its error; the thread
    itself never dies of one."""
    stop = stop or threading.Event()
    hold = lock or threading.RLock
    idle = _IdleLog(store, hold, idle_checkpoint)

    def watch() -> None:
        while not stop.wait(POLL_SECONDS):
            try:
                _answer_request(store, hold)
                idle.poll()
            except Exception:  # a bug must not end backups and checkpoints for the rest of the session
                _LOG.exception("the project watcher failed once; it keeps running")

    thread = threading.Thread(target=watch, name="qcode-backup-watcher", daemon=True)
    thread.start()
    return thread


def _answer_request(store: ProjectStore, hold: Callable[[], AbstractContextManager]) -> None:
    request = request_path(store.path)
    if not request.exists():
        return
    try:
        wanted = json.loads(request.read_text())
    except (OSError, ValueError):
        return  # half written: read it on the next poll
    request.unlink(missing_ok=True)
    reply: dict = {"ticket": wanted.get("ticket") if isinstance(wanted, dict) else None}
    try:
        with hold():
            target = Path(wanted["target"]) if wanted.get("target") else None
            reply["path"] = str(backup_project(store, target))
    except QcodeError as error:
        reply["error"] = str(error)
    except Exception as error:  # answered, so `qcode backup` reports it at once instead of waiting in vain
        _LOG.exception("backup request failed")
        reply["error"] = f"{type(error).__name__}: {error}"
    answer = answer_path(store.path)
    temporary = answer.with_name(answer.name + ".tmp")
    temporary.write_text(json.dumps(reply))
    temporary.replace(answer)  # atomic: the requester never reads half an answer


class _IdleLog:
    """Checkpoints the project once its WAL has stopped changing for `seconds`."""

    def __init__(self, store: ProjectStore, hold: Callable[[], AbstractContextManager], seconds: float | None):
        self.store, self.hold, self.seconds = store, hold, seconds
        self.last_seen: tuple[int, int] | None = None
        self.quiet_since = time.monotonic()

    def poll(self) -> None:
        if self.seconds is None:
            return
        try:
            info = wal_path(self.store.path).stat()
        except FileNotFoundError:
            self.last_seen = None
            return
        seen = (info.st_size, info.st_mtime_ns)
        now = time.monotonic()
        if seen != self.last_seen:
            self.last_seen, self.quiet_since = seen, now
            return
        if info.st_size and now - self.quiet_since >= self.seconds:
            with self.hold():
                self.store.checkpoint()
            self.last_seen = None
