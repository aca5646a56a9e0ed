"""Project files: numbered migrations recorded in a table, backups before migrating, clear refusals."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from coding.errors import ProjectError
from coding.store import migrate, open_project
from coding.store.migrate import Migration, apply_migrations, available_migrations, current_version, latest_version
from coding.store.settings import get_setting, set_setting



@pytest.fixture
def ship_second_migration(monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """Make the code ship one more migration than it does (from the moment it is called); returns its version."""

    def _ship() -> int:
        real = available_migrations()
        extra = Migration(version=len(real) + 1, name="project_notes",
                          sql="CREATE TABLE project_notes (note VARCHAR NOT NULL);")
        monkeypatch.setattr(migrate, "available_migrations", lambda: [*real, extra])
        return extra.version

    return _ship


def _tables(path: Path) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return {r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables").fetchall()}


def _recorded(path: Path) -> list[tuple[int, str]]:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()


def test_fresh_project_records_every_migration_in_order(project_path: Path) -> None:
    open_project(project_path, create=True).close()
    assert _recorded(project_path) == [(m.version, m.name) for m in available_migrations()]
    assert _recorded(project_path)[0] == (1, "foundation")
    assert {"documents", "document_versions", "turns", "excerpts", "project_settings"} <= _tables(project_path)


def test_migrations_are_numbered_one_to_n_without_gaps() -> None:
    versions = [m.version for m in available_migrations()]
    assert versions == list(range(1, latest_version() + 1))


def test_reopening_an_up_to_date_project_makes_no_backup_and_applies_nothing(project_path: Path) -> None:
    open_project(project_path, create=True).close()
    with open_project(project_path) as store:
        assert current_version(store.conn) == latest_version()
    assert list(project_path.parent.glob("*.bak-*")) == []
    assert len(_recorded(project_path)) == latest_version()


def test_older_project_is_backed_up_then_migrated_keeping_its_data(
    project_path: Path, ship_second_migration: Callable[[], int]
) -> None:
    with open_project(project_path, create=True) as store:  # written by a qcode that knew one migration fewer
        set_setting(store, "marker", "kept")
    old_version = latest_version()
    new_version = ship_second_migration()
    with open_project(project_path) as store:
        assert current_version(store.conn) == new_version
        assert get_setting(store, "marker") == "kept"
    backups = list(project_path.parent.glob(f"{project_path.name}.bak-schema{old_version}-*"))
    assert len(backups) == 1
    assert [v for v, _ in _recorded(backups[0])] == list(range(1, old_version + 1))
    assert "project_notes" not in _tables(backups[0])
    assert "project_notes" in _tables(project_path)
    assert [v for v, _ in _recorded(project_path)] == list(range(1, new_version + 1))


@pytest.mark.skipif(latest_version() < 2, reason="only one migration ships so far")
def test_a_project_with_only_the_first_migration_is_backed_up_and_brought_to_the_latest_schema(
    project_path: Path,
) -> None:
    first = available_migrations()[0]
    with duckdb.connect(str(project_path)) as conn:  # what the first qcode release wrote
        _apply_migrations_up_to(conn, 1)
        conn.execute("INSERT INTO project_settings VALUES ('marker', '\"kept\"')")
    with open_project(project_path) as store:
        assert current_version(store.conn) == latest_version()
        assert get_setting(store, "marker") == "kept"
    [backup] = project_path.parent.glob(f"{project_path.name}.bak-schema1-*")
    assert _recorded(backup) == [(1, first.name)]
    assert _recorded(project_path) == [(m.version, m.name) for m in available_migrations()]


def _apply_migrations_up_to(conn: duckdb.DuckDBPyConnection, version: int) -> None:
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
                 " applied_at TIMESTAMP NOT NULL DEFAULT now())")
    for migration in available_migrations()[:version]:
        conn.execute(migration.sql)
        conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [migration.version, migration.name])


def test_project_missing_its_last_recorded_migration_is_migrated_again_after_a_backup(
    project_path: Path, ship_second_migration: Callable[[], int]
) -> None:
    last = ship_second_migration()
    open_project(project_path, create=True).close()
    with duckdb.connect(str(project_path)) as conn:
        conn.execute("DELETE FROM schema_migrations WHERE version = ?", [last])
        conn.execute("DROP TABLE project_notes")
    open_project(project_path).close()
    assert len(list(project_path.parent.glob(f"*.bak-schema{last - 1}-*"))) == 1
    assert len(_recorded(project_path)) == last
    assert "project_notes" in _tables(project_path)


def test_a_failing_migration_is_rolled_back_and_not_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = available_migrations()
    broken = Migration(len(real) + 1, "broken", "CREATE TABLE half_done (a INTEGER); SELECT * FROM no_such_table;")
    with duckdb.connect(str(tmp_path / "p.duckdb")) as conn:
        apply_migrations(conn)
        monkeypatch.setattr(migrate, "available_migrations", lambda: [*real, broken])
        with pytest.raises(duckdb.Error):
            apply_migrations(conn)
        assert current_version(conn) == len(real)
        tables = {r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "half_done" not in tables


def test_project_from_a_newer_qcode_is_refused_with_a_clear_error(project_path: Path) -> None:
    open_project(project_path, create=True).close()
    newer = latest_version() + 1
    with duckdb.connect(str(project_path)) as conn:
        conn.execute("INSERT INTO schema_migrations (version, name) VALUES (?, 'from_the_future')", [newer])
    with pytest.raises(ProjectError) as caught:
        open_project(project_path)
    message = str(caught.value)
    assert f"schema {newer}" in message and "newer qcode" in message
    assert "upgrade qcode" in message
    assert str(project_path) in message
    assert list(project_path.parent.glob("*.bak-*")) == []


def test_read_only_open_of_a_project_that_needs_migrating_is_refused(
    project_path: Path, ship_second_migration: Callable[[], int]
) -> None:
    open_project(project_path, create=True).close()
    ship_second_migration()
    with pytest.raises(ProjectError, match="needs a migration"):
        open_project(project_path, read_only=True)


HOLD_LOCK = textwrap.dedent(
    """
    import sys, duckdb
    conn = duckdb.connect(sys.argv[1])
    print("locked", flush=True)
    sys.stdin.readline()
    conn.close()
    """
)


def test_project_held_by_another_process_gives_a_clear_project_error(project_path: Path) -> None:
    open_project(project_path, create=True).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(project_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(ProjectError) as caught:
            open_project(project_path)
    finally:
        holder.communicate("done\n", timeout=30)
    message = str(caught.value)
    assert "open in another program" in message
    assert str(project_path) in message
    assert caught.value.problems[0].hint


def test_missing_project_is_an_error_that_says_to_run_init(tmp_path: Path) -> None:
    with pytest.raises(ProjectError) as caught:
        open_project(tmp_path / "none.duckdb")
    assert "no project here" in str(caught.value)
    assert "qcode init" in str(caught.value)
    assert not (tmp_path / "none.duckdb").exists()


def test_a_folder_is_not_a_project(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="folder"):
        open_project(tmp_path)


def test_a_file_that_is_not_a_duckdb_database_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("Interviewer: this is a transcript, not a project\n" * 200)
    with pytest.raises(ProjectError) as caught:
        open_project(path)
    assert str(path) in str(caught.value)
