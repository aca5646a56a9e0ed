"""Bad output paths given to the commands that write files (export of every format, report --csv, codebook export
and schema, backup): the project's own files are never written over whatever the spelling, a file appears whole or
not at all, and an unwritable place or a full disk is one located line, never a traceback."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import coding.safety.outputs as outputs
from coding.store.connection import wal_path
from tests.badinput.conftest import assert_refused, invoke

FORMATS = ("csv", "xlsx", "docx", "md", "html", "qdpx", "qdc")


def _fingerprint(path: Path) -> tuple[int, bytes]:
    data = path.read_bytes()
    return len(data), data[:4096]


def _no_partials(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if outputs.PARTIAL_MARK in p.name]


@pytest.fixture
def here(db: Path, monkeypatch) -> Path:
    """Run commands from the project's folder, so that relative spellings name the project."""
    monkeypatch.chdir(db.parent)
    return db.parent


SPELLINGS: dict[str, Callable[[Path], str]] = {
    "relative": lambda db: db.name,
    "dot-slash": lambda db: f"./{db.name}",
    "absolute": lambda db: str(db),
    "up-and-back-down": lambda db: f"../{db.parent.name}/{db.name}",
    "other-letter-case": lambda db: db.name.upper(),
    "symlink": lambda db: (db.parent / "link.csv").symlink_to(db) or "link.csv",
    "hard-link": lambda db: os.link(db, db.parent / "hard.csv") or "hard.csv",
}


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_export_onto_the_project_is_refused_whatever_the_spelling(run, db, here, spelling):
    before = _fingerprint(db)
    target = SPELLINGS[spelling](db)
    errors = assert_refused(run("export", target, "--format", "csv"), Path(target))
    assert any("refusing to write over the project file itself" in line for line in errors)
    assert _fingerprint(db) == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_export_format_writes_onto_the_project(run, db, here, fmt):
    before = _fingerprint(db)
    assert_refused(run("export", db.name, "--format", fmt), db)
    assert _fingerprint(db) == before


@pytest.mark.parametrize("name", ["{db}.wal", "{DB}.WAL", "{db}.bak-schema1-20250101-000000", "{db}.tmp"])
def test_export_onto_the_projects_log_and_backups_is_refused(run, db, here, name):
    target = Path(name.format(db=db.name, DB=db.name.upper()))
    if ".bak-" in target.name:
        shutil.copyfile(db, target)  # an existing migration backup
    errors = assert_refused(run("export", target, "--format", "md"), target)
    assert any("refusing to write over" in line for line in errors)
    assert not wal_path(db).exists()  # an export never creates a log DuckDB would replay


def test_export_onto_a_backup_or_another_database_is_refused(run, db, here):
    assert run("backup", "kept.duckdb").exit_code == 0
    before = _fingerprint(Path("kept.duckdb"))
    errors = assert_refused(run("export", "kept.duckdb", "--format", "csv"), Path("kept.duckdb"))
    assert any("DuckDB database" in line for line in errors)
    assert _fingerprint(Path("kept.duckdb")) == before
    assert_refused(run("export", "kept.duckdb.wal", "--format", "csv"), Path("kept.duckdb.wal"))


@pytest.mark.parametrize("command", [
    ("report", "frequencies", "--csv", "{db}"),
    ("report", "matrix", "--csv", "{db}.wal"),
    ("codebook", "export", "book.qdc"),  # book.qdc is a backup here, whatever its extension says
    ("backup", "{db}"),
    ("backup", "{db}.wal"),
    ("backup", "{DB}.WAL"),
])
def test_other_commands_never_write_onto_the_project_or_a_database(run, db, here, command):
    assert run("backup", "book.qdc").exit_code == 0
    before = {p: _fingerprint(Path(p)) for p in (db.name, "book.qdc")}
    args = [part.format(db=db.name, DB=db.name.upper()) for part in command]
    assert_refused(run(*args), Path(args[-1]))
    assert {p: _fingerprint(Path(p)) for p in before} == before
    assert not wal_path(db).exists()


def test_codebook_schema_never_writes_onto_a_project(db, here):
    before = _fingerprint(db)
    for target in (db.name, f"{db.name}.wal"):
        result = invoke("codebook", "schema", target)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert f"error: {target}: refusing to write over" in result.stderr
    assert _fingerprint(db) == before and not wal_path(db).exists()


@pytest.mark.parametrize(("command", "target", "says"), [
    (("export", "--format", "csv"), "/proc/qcode-x.csv", "takes no new files"),
    (("report", "frequencies", "--csv"), "/proc/qcode-x.csv", "takes no new files"),
    (("backup",), "/proc/qcode-x.duckdb", "cannot"),
    (("backup",), "missing-folder/x.duckdb", "does not exist"),
    (("export", "--format", "csv"), "{folder}", "folder, not a file"),
    (("backup",), "{folder}", "folder, not a file"),
    (("export", "--format", "csv"), "{file}/x.csv", "is a file, not a folder"),
    (("codebook", "export"), "{file}/x.yaml", "is a file, not a folder"),
])
def test_unwritable_targets_are_one_line_and_leave_nothing(run, db, here, command, target, says):
    Path("a-file.txt").write_text("not a folder\n", encoding="utf-8")
    target = target.format(folder=here, file="a-file.txt")
    outcome = run(*command, target)
    errors = assert_refused(outcome, Path(target))
    assert len(errors) == 1 and says in errors[0], errors
    assert not Path("missing-folder").exists()
    _no_partials(here)


def test_export_creates_its_missing_folders_and_writes_through_a_symlink(run, db, here):
    assert run("export", "out/deeper/codings.csv").exit_code == 0
    assert Path("out/deeper/codings.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    Path("real.md").write_text("old\n", encoding="utf-8")
    Path("linked.md").symlink_to("real.md")
    assert run("export", "linked.md").exit_code == 0
    assert Path("linked.md").is_symlink() and Path("real.md").read_text(encoding="utf-8").startswith("# ")
    _no_partials(here)


def _raise_enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _FullDiskWriter:
    """A file object whose writes fail as on a full disk."""

    def __init__(self, fd: int, *args, **kwargs):
        self.fd = fd

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        os.close(self.fd)


@pytest.mark.parametrize("failing", ["write", "rename"])
@pytest.mark.parametrize("command", [("export", "{out}.docx"), ("export", "{out}.csv"),
                                     ("report", "frequencies", "--csv", "{out}.csv"),
                                     ("codebook", "export", "{out}.yaml")])
def test_a_full_disk_leaves_no_file_and_keeps_the_old_one(run, db, here, monkeypatch, failing, command):
    args = [part.format(out="out") for part in command]
    target = Path(args[-1])
    target.write_bytes(b"the previous export\n")
    if failing == "write":
        monkeypatch.setattr(outputs.os, "fdopen", _FullDiskWriter)
    else:
        monkeypatch.setattr(outputs.os, "replace", _raise_enospc)
    errors = assert_refused(run(*args), target)
    assert len(errors) == 1 and "no space left on the device" in errors[0]
    assert target.read_bytes() == b"the previous export\n"
    _no_partials(here)


@pytest.fixture
def tiny_disk(tmp_path) -> Iterator[Callable[[str], Path]]:
    """A real small file system (tmpfs), for a real ENOSPC; skipped where mounting is not allowed."""
    mounted: list[Path] = []

    def make(size: str) -> Path:
        point = tmp_path / f"disk-{len(mounted)}"
        point.mkdir()
        if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
            pytest.skip("mounting a tmpfs needs root on Linux")
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
        mounted.append(point)
        return point

    yield make
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def _fill(disk: Path, leave: int = 0) -> None:
    """Take all the free space but `leave` bytes (all of it: until the disk says it is full)."""
    try:
        with (disk / "filler").open("wb") as filler:
            filler.write(b"\0" * max(shutil.disk_usage(disk).free - leave, 0))
            while not leave:
                filler.write(b"\0" * 4096)
                filler.flush()
    except OSError as error:
        assert error.errno == errno.ENOSPC


@pytest.mark.parametrize("command", [("export", "quotes.docx"), ("export", "project.qdpx"),
                                     ("report", "frequencies", "--csv", "table.csv"), ("backup", "copy.duckdb")])
def test_a_really_full_disk_is_one_line_and_leaves_nothing(run, db, tiny_disk, command):
    disk = tiny_disk("256k")
    _fill(disk)
    target = disk / command[-1]
    errors = assert_refused(run(*command[:-1], target), target)
    assert len(errors) == 1 and "no space left on the device" in errors[0], errors
    assert sorted(p.name for p in disk.iterdir()) == ["filler"]


def test_ingest_onto_a_full_disk_is_one_line_and_keeps_whole_documents(tiny_disk, project_template, tmp_path):
    from coding.store import documents as doc_store
    from coding.store import open_project

    disk = tiny_disk("16m")
    db = disk / "project.duckdb"
    shutil.copyfile(project_template, db)
    folder = tmp_path / "many"
    folder.mkdir()
    transcripts = sorted((Path(__file__).resolve().parents[2] / "transcripts").glob("*.txt"))
    for copy in range(6):
        for source in transcripts:
            shutil.copyfile(source, folder / f"{source.stem}-{copy}.txt")
    _fill(disk, 64 * 1024)
    result = invoke("ingest", folder, "--db", db)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "no space left on the device" in lines[0] and str(disk) in lines[0], result.stderr
    (disk / "filler").unlink()
    with open_project(db) as store:  # every document is there with all its turns, or not at all
        names = [n for n in doc_store.document_names(store) if n != "B1"]
        for name in names:
            source = folder / f"{name}.txt"
            turns = doc_store.get_turns(store, name)
            assert turns and turns[-1].number == len(turns), name
            assert source.exists()
    assert len(names) < 6 * len(transcripts)


def test_a_decision_in_the_app_on_a_full_disk_is_a_message_not_a_traceback(tiny_disk, project_template, monkeypatch):
    import streamlit as st

    from coding.review import code_excerpt
    from coding.store import documents as doc_store
    from coding.ui import state

    disk = tiny_disk("16m")
    db = disk / "project.duckdb"
    shutil.copyfile(project_template, db)
    monkeypatch.setenv("QCODE_DB", str(db))
    try:
        excerpt = state.query(doc_store.get_excerpts)[0]
        _fill(disk)
        assert state.act(code_excerpt, "ana", excerpt.id, "COST") is None
        messages = st.session_state.get("qcode_flash", [])
        assert len(messages) == 1 and messages[0][0] == "error", messages
        assert str(disk) in messages[0][1] and "no space left on the device" in messages[0][1]
    finally:
        st.session_state.pop("qcode_flash", None)
        state._open.clear()


@pytest.mark.parametrize("command", [("init",), ("transcripts",), ("backup", "x.duckdb")])
def test_a_projects_log_is_never_opened_as_a_project(db, here, command):
    before = _fingerprint(db)
    for log in (f"{db.name}.wal", f"{db.name}.WAL"):
        result = invoke(*command, "--db", log)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert f"error: {log}: this is the write-ahead log of {db.name}, not a project" in result.stderr
        assert not Path(log).exists()
    assert _fingerprint(db) == before and not Path("x.duckdb").exists()
