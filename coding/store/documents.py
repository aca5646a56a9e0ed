"""Documents, turns and excerpts: every SQL statement about transcripts lives here."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from coding.models import AttributeValue, Document, DocumentSummary, Excerpt, SegmenterSettings, SpeakerRole, Turn
from coding.store.bulk import insert_columns
from coding.store.connection import ProjectStore


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def get_document(store: ProjectStore, name: str) -> Document | None:
    row = store.conn.execute(
        "SELECT name, version, source_path, format, content_hash, text, title, attributes, ingested_at"
        " FROM documents WHERE name = ?",
        [name],
    ).fetchone()
    if row is None:
        return None
    return Document(
        name=row[0], version=row[1], source_path=row[2], format=row[3], content_hash=row[4], text=row[5],
        title=row[6], attributes=json.loads(row[7]), ingested_at=row[8],
    )


def document_names(store: ProjectStore) -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT name FROM documents ORDER BY name").fetchall()]


def document_attributes(store: ProjectStore) -> dict[str, dict[str, AttributeValue]]:
    rows = store.conn.execute("SELECT name, attributes FROM documents ORDER BY name").fetchall()
    return {name: json.loads(attributes) for name, attributes in rows}


def save_document(
    store: ProjectStore,
    document: Document,
    turns: list[Turn],
    excerpts: list[Excerpt],
    segmenter: SegmenterSettings,
) -> None:
    """Replace the current version of `document` (or add it) with its turns and excerpts, in one transaction."""
    now = document.ingested_at or datetime.now()
    with store.transaction() as conn:
        conn.execute("DELETE FROM excerpts WHERE document = ?", [document.name])
        conn.execute("DELETE FROM turns WHERE document = ?", [document.name])
        conn.execute("DELETE FROM documents WHERE name = ?", [document.name])
        conn.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [document.name, document.version, document.source_path, document.format, document.content_hash,
             document.title, document.text, json.dumps(document.attributes), segmenter.model_dump_json(), now],
        )
        conn.execute(
            "INSERT INTO document_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [document.name, document.version, document.source_path, document.format, document.content_hash,
             document.title, document.text, now],
        )
        insert_columns(
            conn,
            "turns",
            [[t.document, t.number, t.speaker, t.role.value, t.start, t.end, t.source_line, t.start_time,
              t.end_time] for t in turns],
        )
        insert_columns(
            conn,
            "excerpts",
            [[e.id, e.document, e.turn, e.index, e.start, e.end, e.text, text_hash(e.text)] for e in excerpts],
        )


def set_attributes(store: ProjectStore, name: str, attributes: dict[str, AttributeValue]) -> None:
    with store.transaction() as conn:
        conn.execute("UPDATE documents SET attributes = ? WHERE name = ?", [json.dumps(attributes), name])


def get_turns(store: ProjectStore, document: str) -> list[Turn]:
    rows = store.conn.execute(
        "SELECT t.document, t.number, t.speaker, t.role, t.start_offset, t.end_offset, t.source_line,"
        " t.start_time, t.end_time, substring(d.text, t.start_offset + 1, t.end_offset - t.start_offset)"
        " FROM turns t JOIN documents d ON d.name = t.document WHERE t.document = ? ORDER BY t.number",
        [document],
    ).fetchall()
    return [_turn(row) for row in rows]


def all_turns(store: ProjectStore) -> list[Turn]:
    rows = store.conn.execute(
        "SELECT t.document, t.number, t.speaker, t.role, t.start_offset, t.end_offset, t.source_line,"
        " t.start_time, t.end_time, substring(d.text, t.start_offset + 1, t.end_offset - t.start_offset)"
        " FROM turns t JOIN documents d ON d.name = t.document ORDER BY t.document, t.number"
    ).fetchall()
    return [_turn(row) for row in rows]


def _turn(row: tuple) -> Turn:
    return Turn(
        document=row[0], number=row[1], speaker=row[2], role=SpeakerRole(row[3]), start=row[4], end=row[5],
        source_line=row[6], start_time=row[7], end_time=row[8], text=row[9],
    )


def get_excerpts(store: ProjectStore, document: str | None = None) -> list[Excerpt]:
    sql = "SELECT id, document, turn, idx, start_offset, end_offset, text FROM excerpts"
    params: list = []
    if document is not None:
        sql += " WHERE document = ?"
        params.append(document)
    sql += " ORDER BY document, turn, idx"
    return [
        Excerpt(id=r[0], document=r[1], turn=r[2], index=r[3], start=r[4], end=r[5], text=r[6])
        for r in store.conn.execute(sql, params).fetchall()
    ]


def excerpts_by_id(store: ProjectStore, ids: list[str]) -> dict[str, Excerpt]:
    if not ids:
        return {}
    rows = store.conn.execute(
        "SELECT id, document, turn, idx, start_offset, end_offset, text FROM excerpts"
        " JOIN (SELECT unnest(?) AS wanted) q ON q.wanted = excerpts.id",
        [ids],
    ).fetchall()
    return {r[0]: Excerpt(id=r[0], document=r[1], turn=r[2], index=r[3], start=r[4], end=r[5], text=r[6]) for r in rows}


def summaries(store: ProjectStore) -> list[DocumentSummary]:
    rows = store.conn.execute(
        """
        SELECT d.name, d.version, d.format, d.attributes,
               (SELECT count(*) FROM turns t WHERE t.document = d.name),
               (SELECT count(*) FROM turns t WHERE t.document = d.name AND t.role = 'respondent'),
               (SELECT count(*) FROM excerpts e WHERE e.document = d.name),
               (SELECT coalesce(sum(len(string_split_regex(trim(substring(d.text, t.start_offset + 1,
                        t.end_offset - t.start_offset)), '\\s+'))), 0)
                  FROM turns t WHERE t.document = d.name AND t.end_offset > t.start_offset),
               (SELECT list(speaker ORDER BY first_turn) FROM
                  (SELECT speaker, min(number) AS first_turn FROM turns t WHERE t.document = d.name GROUP BY speaker))
        FROM documents d ORDER BY d.name
        """
    ).fetchall()
    return [
        DocumentSummary(
            document=r[0], version=r[1], format=r[2], attributes=json.loads(r[3]), turns=r[4],
            respondent_turns=r[5], excerpts=r[6], words=int(r[7]), speakers=list(r[8] or []),
        )
        for r in rows
    ]


def counts(store: ProjectStore) -> dict[str, int]:
    documents, turns, excerpts = store.conn.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM turns), (SELECT count(*) FROM excerpts)"
    ).fetchone()
    return {"documents": documents, "turns": turns, "excerpts": excerpts}


def get_excerpt(store: ProjectStore, excerpt_id: str) -> Excerpt | None:
    return excerpts_by_id(store, [excerpt_id]).get(excerpt_id)


def turns_around(store: ProjectStore, document: str, number: int) -> list[Turn]:
    """The turn and its neighbours (before and after), for reading an excerpt in context."""
    rows = store.conn.execute(
        "SELECT t.document, t.number, t.speaker, t.role, t.start_offset, t.end_offset, t.source_line,"
        " t.start_time, t.end_time, substring(d.text, t.start_offset + 1, t.end_offset - t.start_offset)"
        " FROM turns t JOIN documents d ON d.name = t.document WHERE t.document = ? AND t.number BETWEEN ? AND ?"
        " ORDER BY t.number",
        [document, number - 1, number + 1],
    ).fetchall()
    return [_turn(row) for row in rows]
