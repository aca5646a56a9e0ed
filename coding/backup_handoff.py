"""Backups while another process (the app) holds the project: DuckDB allows one writer per file, so `qcode backup`
asks the holder to take the snapshot through its own connection.

The request is a small JSON file beside the project (`PROJECT.backup-request`); the holder's watcher thread takes
the backup under the holder's lock and answers in `PROJECT.backup-done`. Only processes of the same user on the same
machine can write beside the project file, which is the trust boundary of a local project anyway.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from coding.errors import Problem, ProjectError
from coding.store import ProjectStore
from coding.store.backup import backup_project

POLL_SECONDS = 0.5


def request_path(project: Path) -> Path:
    return project.with_name(project.name + ".backup-request")


def answer_path(project: Path) -> Path:
    return project.with_name(project.name + ".backup-done")


def request_backup(project: Path, target: Path | None, timeout: float = 30.0) -> Path:
    """Ask the process holding `project` for a backup and wait for its answer."""
    ticket = uuid.uuid4().hex
    answer = answer_path(project)
    answer.unlink(missing_ok=True)
    request = request_path(project)
    temporary = request.with_name(request.name + ".tmp")  # not PROJECT.tmp: that is DuckDB's spill folder
    temporary.write_text(json.dumps({"ticket": ticket, "target": str(target.resolve()) if target else None}))
    temporary.replace(request)  # atomic: the watcher never reads half a request
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if answer.exists():
            reply = json.loads(answer.read_text())
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
                          stop: threading.Event | None = None) -> threading.Thread:
    """A daemon thread that answers backup requests for `store` until `stop` is set."""
    stop = stop or threading.Event()
    hold = lock or threading.RLock

    def watch() -> None:
        request = request_path(store.path)
        while not stop.wait(POLL_SECONDS):
            if not request.exists():
                continue
            try:
                wanted = json.loads(request.read_text())
            except (OSError, ValueError):
                continue
            request.unlink(missing_ok=True)
            reply: dict = {"ticket": wanted.get("ticket")}
            try:
                with hold():
                    target = Path(wanted["target"]) if wanted.get("target") else None
                    reply["path"] = str(backup_project(store, target))
            except ProjectError as error:
                reply["error"] = str(error)
            answer_path(store.path).write_text(json.dumps(reply))

    thread = threading.Thread(target=watch, name="qcode-backup-watcher", daemon=True)
    thread.start()
    return thread
