"""Reads for exports: whole documents (with their text) and titles in one query each."""

from __future__ import annotations

import json

from coding.models import Document
from coding.store.connection import ProjectStore


def all_documents(store: ProjectStore) -> list[Document]:
    rows = store.conn.execute(
        "SELECT name, version, source_path, format, content_hash, text, title, attributes, ingested_at"
        " FROM documents ORDER BY name"
    ).fetchall()
    return [
        Document(name=r[0], version=r[1], source_path=r[2], format=r[3], content_hash=r[4], text=r[5], title=r[6],
                 attributes=json.loads(r[7]), ingested_at=r[8])
        for r in rows
    ]


def document_titles(store: ProjectStore) -> dict[str, str | None]:
    return dict(store.conn.execute("SELECT name, title FROM documents ORDER BY name").fetchall())
