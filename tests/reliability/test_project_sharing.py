"""Two processes on one project (DuckDB lets one hold it at a time): an opener waits for the holder to let go and says
whom it waits for, gives up after its wait with one line naming the holder, and the app's SharedProject lets go of
the project as soon as it is idle when someone waits for it, or after a while without work (never while a call or
long work uses it), and checkpoints it while idle."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from coding.errors import ProjectError
from coding.store import open_project
from coding.store.connection import ProjectInUse, lock_wait, wal_path
from coding.store.in_use import in_use_path, wanted_path
from coding.store.settings import get_setting, set_setting
from coding.store.shared import SharedProject
from tests.reliability.conftest import python

# Holds the project as `argv[2]` (a program name for its in-use note), writes a setting, and closes it when a line
# arrives on stdin or after `argv[3]` seconds.
HOLD = """
import select, sys
from pathlib import Path
from coding.store import open_project
from coding.store.settings import set_setting
store = open_project(Path(sys.argv[1]), holder=sys.argv[2] or None)
set_setting(store, "written_by", "holder")
print("holding", flush=True)
select.select([sys.stdin], [], [], float(sys.argv[3]))
store.close()
print("closed", flush=True)
"""

OPEN_ONCE = """
import sys
from pathlib import Path
from coding.errors import ProjectError
from coding.store import open_project
from coding.store.settings import get_setting, set_setting
try:
    store = open_project(Path(sys.argv[1]))
except ProjectError as error:
    print("refused:", error, flush=True)
else:
    print("opened; the app wrote:", get_setting(store, "written_by"), flush=True)
    set_setting(store, "written_by", "another process")
    store.close()
"""


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "project.duckdb"
    open_project(path, create=True).close()
    return path


def _hold(db: Path, program: str, seconds: float):
    holder = python(HOLD, db, program, seconds)
    assert holder.stdout.readline().strip() == "holding", holder.stderr.read()
    return holder


def test_an_opener_waits_for_the_holder_to_let_go_and_says_once_whom_it_waits_for(db):
    holder = _hold(db, "qcode suggest", 2.0)
    told = []
    try:
        started = time.monotonic()
        with open_project(db, wait=30, on_wait=told.append, holder="qcode codings") as store:
            waited = time.monotonic() - started
            assert get_setting(store, "written_by") == "holder"  # the holder's change, saved when it let go
            assert json.loads(in_use_path(db).read_text())["program"] == "qcode codings"  # now ours
        assert holder.wait(timeout=30) == 0
    finally:
        holder.kill()
    assert 0.5 < waited < 25
    assert [(h.program, h.pid, h.known) for h in told] == [("qcode suggest", holder.pid, True)]
    assert told[0].describe() == f"qcode suggest (process id {holder.pid})"
    assert not in_use_path(db).exists()  # each holder removes its note when it lets go


def test_a_holder_that_keeps_the_project_past_the_wait_is_named_in_one_line(db):
    holder = _hold(db, "qcode themes", 120)
    try:
        started = time.monotonic()
        with pytest.raises(ProjectInUse) as refused:
            open_project(db, wait=1.5)
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert 1.5 <= waited < 15
    assert [str(p) for p in refused.value.problems] == [
        f"{db}: the project is open in another program (qcode themes, process id {holder.pid}) and was not free "
        f"within 1.5 s (run the command again when it has finished, or kill {holder.pid} if it hangs; "
        "QCODE_LOCK_WAIT=SECONDS sets how long qcode waits for it)"]
    assert refused.value.holder.pid == holder.pid


def test_a_note_left_by_a_killed_holder_does_not_name_the_process_holding_it_now(db):
    killed = _hold(db, "qcode ingest", 120)
    killed.kill()  # leaves its note behind
    killed.wait(timeout=30)
    assert in_use_path(db).exists()
    holder = _hold(db, "", 120)  # a program that writes no note (a script, the duckdb shell)
    try:
        with pytest.raises(ProjectInUse) as refused:
            open_project(db)
    finally:
        holder.kill()
        holder.wait(timeout=30)
    message = str(refused.value)
    assert "qcode ingest" not in message
    assert f", process id {holder.pid}: another qcode command or the app)" in message
    assert "close that program" in message and "was not free" not in message  # no wait asked, none claimed


@pytest.mark.parametrize("value, expected", [("", 30.0), ("0", 0.0), ("2.5", 2.5), (" 120 ", 120.0)])
def test_the_wait_comes_from_qcode_lock_wait(monkeypatch, value, expected):
    monkeypatch.setenv("QCODE_LOCK_WAIT", value)
    assert lock_wait() == expected


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf"])
def test_a_wrong_qcode_lock_wait_is_one_line_with_an_example(monkeypatch, value):
    monkeypatch.setenv("QCODE_LOCK_WAIT", value)
    with pytest.raises(ProjectError) as refused:
        lock_wait()
    assert str(refused.value) == (f"QCODE_LOCK_WAIT must be a number of seconds (0 or more), not '{value}' "
                                  "(for example: export QCODE_LOCK_WAIT=120)")


def _other_process_opens(db: Path) -> str:
    child = python(OPEN_ONCE, db)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    return out.strip()


def test_the_app_lets_go_of_the_project_after_a_moment_without_calls_and_reopens_on_the_next(db):
    lock = threading.RLock()
    shared = SharedProject(db, lock, idle_release=0.5)
    try:
        with lock:
            set_setting(shared.store(), "written_by", "the app")
            shared.touch()
        assert shared.is_open
        assert _other_process_opens(db).startswith("refused: ")  # within the burst the app holds it
        deadline = time.monotonic() + 20
        while shared.is_open and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not shared.is_open
        assert not wal_path(db).exists()  # closing checkpointed: the file alone holds the app's change
        assert not in_use_path(db).exists()
        assert _other_process_opens(db) == "opened; the app wrote: the app"
        with lock:
            assert get_setting(shared.store(), "written_by") == "another process"  # reopened: sees the change
            shared.touch()
        assert shared.opened == 2
    finally:
        shared.close()
    assert not shared.is_open


def test_the_app_keeps_the_project_during_a_call_and_during_long_work(db):
    lock = threading.RLock()
    shared = SharedProject(db, lock, idle_release=0.2)
    try:
        with lock:
            shared.store()
            time.sleep(1.0)  # a slow call: the watcher must not close the store under it
            assert shared.is_open
            store, release = shared.hold("Computing suggestions")
        time.sleep(1.0)
        assert shared.is_open  # long work in another thread keeps it
        note = json.loads(in_use_path(db).read_text())
        assert note == {"pid": os.getpid(), "program": "the app", "doing": "Computing suggestions"}
        set_setting(store, "written_by", "the job")
        release()
        release()  # a second call changes nothing
        deadline = time.monotonic() + 20
        while shared.is_open and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not shared.is_open
        assert _other_process_opens(db) == "opened; the app wrote: the job"
    finally:
        shared.close()


@pytest.mark.parametrize("command, name", [(["codings"], "qcode codings"),
                                           (["codebook", "show"], "qcode codebook show"),
                                           (["memo", "list"], "qcode memo list")])
def test_a_command_names_itself_in_the_note_while_it_holds_the_project(db, monkeypatch, command, name):
    """What a waiting command or the app's page will say: the command as typed, its group included."""
    import coding.cli.common as common
    from tests.cli_helpers import qcode

    seen = []
    real_open = common.open_project

    def open_and_look(*args, **kwargs):
        store = real_open(*args, **kwargs)
        seen.append(json.loads(in_use_path(store.path).read_text()))
        return store

    monkeypatch.setattr(common, "open_project", open_and_look)
    qcode(*command, "--db", db)
    assert seen == [{"pid": os.getpid(), "program": name, "doing": None}]
    assert not in_use_path(db).exists()
    assert common.command_name() == "qcode"  # nothing left over for the next command


WAIT_AND_WRITE = """
import sys, time
from pathlib import Path
from coding.store import open_project
from coding.store.settings import set_setting
started = time.monotonic()
with open_project(Path(sys.argv[1]), wait=60, holder="qcode import-codings") as store:
    print(f"waited {time.monotonic() - started:.2f}", flush=True)
    set_setting(store, "written_by", "the waiter")
"""


def test_the_app_lets_go_at_once_for_a_waiting_process_and_reopens_after_it(db):
    lock = threading.RLock()
    shared = SharedProject(db, lock, idle_release=3600)  # only a waiter's request can make it let go
    try:
        with lock:
            set_setting(shared.store(), "written_by", "the app")
            shared.touch()
        waiter = python(WAIT_AND_WRITE, db)
        out, err = waiter.communicate(timeout=60)
        assert waiter.returncode == 0, err
        assert float(out.split()[1]) < 5  # a moment, not the hour of the idle release
        assert not wanted_path(db).exists()  # the request is gone with the wait
        with lock:
            assert get_setting(shared.store(), "written_by") == "the waiter"
            shared.touch()
        assert shared.opened == 2
    finally:
        shared.close()


def test_the_app_checkpoints_while_idle_and_keeps_the_project_between_key_presses(db):
    lock = threading.RLock()
    shared = SharedProject(db, lock, idle_release=3600)
    try:
        with lock:
            set_setting(shared.store(), "written_by", "the app")
            shared.touch()
        assert wal_path(db).exists()
        deadline = time.monotonic() + 20
        while wal_path(db).exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not wal_path(db).exists()  # the file alone holds the change, should the app be killed now
        assert shared.is_open and shared.opened == 1  # the next press finds it open and warm
    finally:
        shared.close()
