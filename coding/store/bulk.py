"""Bulk inserts that DuckDB runs as one statement."""

from __future__ import annotations

import duckdb


def insert_columns(conn: duckdb.DuckDBPyConnection, table: str, rows: list[list]) -> None:
    """Insert rows as one statement with a list parameter per column: DuckDB's `executemany` runs one statement per
    row, which made storing turns and excerpts most of the ingest time."""
    if not rows:
        return
    columns = [list(column) for column in zip(*rows)]
    unnested = ", ".join(f"unnest(${i})" for i in range(1, len(columns) + 1))
    conn.execute(f"INSERT INTO {table} SELECT {unnested}", columns)
