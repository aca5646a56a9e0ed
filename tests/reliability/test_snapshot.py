"""`table_snapshot`, the read-only picture the bad-input and kill tests compare, sees every table and every row."""

from __future__ import annotations

from coding.store import open_project
from coding.store.snapshot import changed_tables, table_names, table_snapshot
from pipelines.ingest import ingest_paths
from tests.reliability.conftest import write_interviews


def test_snapshot_covers_every_table_and_sees_a_new_document(tmp_path):
    db = tmp_path / "project.duckdb"
    with open_project(db, create=True) as store:
        before = table_snapshot(store)
        assert {"documents", "turns", "excerpts", "decisions", "codings", "schema_migrations"} <= set(before)
        assert set(before) == set(table_names(store))
        ingest_paths(store, write_interviews(tmp_path / "interviews", 1))
        after = table_snapshot(store)
    assert {"documents", "document_versions", "turns", "excerpts"} <= changed_tables(before, after)
    assert "decisions" not in changed_tables(before, after)


def test_snapshot_works_on_a_read_only_project_and_is_stable(tmp_path):
    db = tmp_path / "project.duckdb"
    with open_project(db, create=True) as store:
        ingest_paths(store, write_interviews(tmp_path / "interviews", 2))
    with open_project(db, read_only=True) as store:
        first, second = table_snapshot(store), table_snapshot(store)
    assert first == second
    assert changed_tables(first, second) == set()
    assert len(first["documents"]) == 2
