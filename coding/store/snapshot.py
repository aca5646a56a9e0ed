"""A read-only picture of every table's rows, to prove what an operation changed (or that it changed nothing)."""

from __future__ import annotations

from coding.store.connection import ProjectStore


def table_names(store: ProjectStore) -> list[str]:
    rows = store.conn.execute(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def table_snapshot(store: ProjectStore) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order (sorted by all columns), keyed by table name."""
    snapshot: dict[str, list[tuple]] = {}
    for table in table_names(store):
        # The name comes from the catalogue, not from a user; quoting keeps odd names safe anyway.
        rows = store.conn.execute(f'SELECT * FROM "{table}"').fetchall()
        snapshot[table] = sorted(rows, key=repr)
    return snapshot


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> set[str]:
    """Names of the tables whose rows differ between two snapshots."""
    return {t for t in before.keys() | after.keys() if before.get(t) != after.get(t)}
