"""Project settings (key -> JSON value), e.g. the embedding model and interviewer labels."""

from __future__ import annotations

import json
from typing import Any

from coding.store.connection import ProjectStore


def get_setting(store: ProjectStore, key: str, default: Any = None) -> Any:
    row = store.conn.execute("SELECT value FROM project_settings WHERE key = ?", [key]).fetchone()
    return default if row is None else json.loads(row[0])


def set_setting(store: ProjectStore, key: str, value: Any) -> None:
    with store.transaction() as conn:
        conn.execute("DELETE FROM project_settings WHERE key = ?", [key])
        conn.execute("INSERT INTO project_settings VALUES (?, ?)", [key, json.dumps(value)])


def all_settings(store: ProjectStore) -> dict[str, Any]:
    return {k: json.loads(v) for k, v in store.conn.execute("SELECT key, value FROM project_settings").fetchall()}
