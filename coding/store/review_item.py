"""Point lookups for one excerpt under review: each reads only the rows of that excerpt (or its coder), so showing
the next excerpt costs the same with 500 or 50,000 excerpts in the project."""

from __future__ import annotations

from coding.models import Excerpt, StoredSuggestion
from coding.store.connection import ProjectStore


def excerpt(store: ProjectStore, excerpt_id: str) -> Excerpt | None:
    row = store.conn.execute(
        "SELECT id, document, turn, idx, start_offset, end_offset, text FROM excerpts WHERE id = ?", [excerpt_id]
    ).fetchone()
    if row is None:
        return None
    return Excerpt(id=row[0], document=row[1], turn=row[2], index=row[3], start=row[4], end=row[5], text=row[6])


def suggestions(store: ProjectStore, run_id: int, excerpt_id: str) -> list[StoredSuggestion]:
    rows = store.conn.execute(
        "SELECT excerpt_id, code, score, zero_shot, learned, suggested, evidence FROM suggestions"
        " WHERE run_id = ? AND excerpt_id = ? ORDER BY score DESC, code", [run_id, excerpt_id]
    ).fetchall()
    return [StoredSuggestion(excerpt_id=r[0], code=r[1], score=r[2], zero_shot=r[3], learned=r[4], suggested=r[5],
                             evidence=r[6]) for r in rows]


def applied_codes(store: ProjectStore, coder: str, span: Excerpt) -> list[str]:
    """Codes the coder has on this excerpt: on the excerpt itself or on a span that contains it."""
    rows = store.conn.execute(
        "SELECT DISTINCT code FROM codings WHERE coder = ? AND document = ?"
        " AND (excerpt_id = ? OR (start_offset <= ? AND ? <= end_offset)) ORDER BY code",
        [coder, span.document, span.id, span.start, span.end],
    ).fetchall()
    return [r[0] for r in rows]


def rejected_codes(store: ProjectStore, coder: str, excerpt_id: str) -> list[str]:
    rows = store.conn.execute(
        "SELECT DISTINCT code FROM rejections WHERE coder = ? AND excerpt_id = ? ORDER BY code", [coder, excerpt_id]
    ).fetchall()
    return [r[0] for r in rows]
