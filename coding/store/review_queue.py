"""The review queue: which excerpts a coder still has to decide on, and in what order.

Active-learning order ranks excerpts by how close their closest call is to the run's threshold. That ranking is
written once per suggestion run into `review_order` (on first use), so moving to the next excerpt reads the head of
a short ordered list, filtered by the coder's decisions, rather than re-ranking every score on every click.
"""

from __future__ import annotations

from coding.store.codings import DECIDED_EXCERPTS_SQL
from coding.store.connection import ProjectStore

_NOT_DECIDED = "{id} NOT IN (" + DECIDED_EXCERPTS_SQL + ")"


def _ensure_order(store: ProjectStore, run_id: int, threshold: float) -> None:
    """Write the run's ranking if it is not there yet (and drop the rankings of older runs)."""
    exists = store.conn.execute("SELECT count(*) FROM review_order WHERE run_id = ?", [run_id]).fetchone()[0]
    if exists:
        return
    with store.transaction() as conn:
        conn.execute("DELETE FROM review_order WHERE run_id <> ?", [run_id])
        conn.execute(
            """
            INSERT INTO review_order
            SELECT ?, row_number() OVER (ORDER BY u.uncertainty, e.document, e.turn, e.idx), u.excerpt_id,
                   u.uncertainty
            FROM (SELECT excerpt_id, min(abs(score - ?)) AS uncertainty FROM suggestions WHERE run_id = ?
                  GROUP BY excerpt_id) u
            JOIN excerpts e ON e.id = u.excerpt_id
            ON CONFLICT DO NOTHING
            """,
            [run_id, threshold, run_id],
        )


def uncertainty_head(store: ProjectStore, run_id: int, threshold: float, coder: str, limit: int | None,
                     document: str | None = None, exclude: list[str] | None = None) -> list[str]:
    """Undecided excerpt ids, closest call first; `exclude` leaves out excerpts skipped on screen.

    The ranking is not joined with `excerpts` (that join would cost more than the rest): an id whose excerpt was
    re-ingested away since the run can come back, and the caller skips it.
    """
    _ensure_order(store, run_id, threshold)
    sql = f"SELECT r.excerpt_id FROM review_order r WHERE r.run_id = ? AND {_NOT_DECIDED.format(id='r.excerpt_id')}"
    params: list = [run_id, coder]
    if document is not None:
        sql += " AND r.excerpt_id IN (SELECT id FROM excerpts WHERE document = ?)"
        params.append(document)
    return _finish(store, sql, params, "r.excerpt_id", "r.position", limit, exclude)


def document_order_head(store: ProjectStore, coder: str, limit: int | None, document: str | None = None,
                        exclude: list[str] | None = None) -> list[str]:
    """Undecided excerpt ids in reading order."""
    sql = f"SELECT e.id FROM excerpts e WHERE {_NOT_DECIDED.format(id='e.id')}"
    params: list = [coder]
    if document is not None:
        sql += " AND e.document = ?"
        params.append(document)
    return _finish(store, sql, params, "e.id", "e.document, e.turn, e.idx", limit, exclude)


def _finish(store: ProjectStore, sql: str, params: list, id_column: str, order: str, limit: int | None,
            exclude: list[str] | None) -> list[str]:
    if exclude:
        sql += f" AND {id_column} NOT IN (SELECT unnest(?))"
        params.append(list(exclude))
    sql += f" ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [r[0] for r in store.conn.execute(sql, params).fetchall()]


def progress_counts(store: ProjectStore, coder: str) -> tuple[int, int]:
    """(current excerpts with a decision of the coder in force, all current excerpts): an undo lowers the first."""
    decided, total = store.conn.execute(
        f"SELECT (SELECT count(DISTINCT excerpt_id) FROM ({DECIDED_EXCERPTS_SQL}) WHERE excerpt_id IN"
        " (SELECT id FROM excerpts)), (SELECT count(*) FROM excerpts)", [coder]
    ).fetchone()
    return decided, total
