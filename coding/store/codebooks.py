"""Codebook versions: each load or edit stores a whole new validated version; codings refer to code ids."""

from __future__ import annotations

from datetime import datetime

from coding.codebook.model import Codebook
from coding.store.connection import ProjectStore


def save_codebook(
    store: ProjectStore, codebook: Codebook, source_path: str | None = None, note: str | None = None,
    created_by: str | None = None,
) -> int:
    """Store `codebook` as the next version; returns that project version number."""
    with store.transaction() as conn:
        version = conn.execute("SELECT coalesce(max(version), 0) + 1 FROM codebook_versions").fetchone()[0]
        conn.execute(
            "INSERT INTO codebook_versions VALUES (?, ?, ?, ?, ?, ?, ?)",
            [version, codebook.name, codebook.model_dump_json(), source_path, note, created_by, datetime.now()],
        )
    return version


def current_codebook(store: ProjectStore) -> tuple[int, Codebook] | None:
    row = store.conn.execute(
        "SELECT version, codebook FROM codebook_versions ORDER BY version DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return row[0], Codebook.model_validate_json(row[1])


def codebook_version(store: ProjectStore, version: int) -> Codebook | None:
    row = store.conn.execute("SELECT codebook FROM codebook_versions WHERE version = ?", [version]).fetchone()
    return None if row is None else Codebook.model_validate_json(row[0])


def codebook_history(store: ProjectStore) -> list[dict]:
    rows = store.conn.execute(
        "SELECT version, name, source_path, note, created_by, created_at FROM codebook_versions ORDER BY version"
    ).fetchall()
    keys = ("version", "name", "source_path", "note", "created_by", "created_at")
    return [dict(zip(keys, row)) for row in rows]
