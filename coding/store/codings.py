"""The decision log and the codings and rejections derived from it."""

from __future__ import annotations

import uuid
from datetime import datetime

from coding.decisions import replay
from coding.models import Coding, CodingSource, Decision, DecisionAction, Span
from coding.store.connection import ProjectStore
from coding.store.bulk import insert_columns

_DECISION_COLUMNS = (
    "id, decided_at, coder, action, document, start_offset, end_offset, turn, excerpt_id, code, from_code, source, target,"
    " batch, score, note"
)


def new_batch_id() -> str:
    return uuid.uuid4().hex[:12]


# Above this many decisions in one call, writing the rows at once and replaying the log beats applying them one by
# one (DuckDB runs one statement per row in executemany).
_INCREMENTAL_LIMIT = 25


def record(store: ProjectStore, decisions: list[Decision]) -> list[int]:
    """Append decisions and apply their effects, all in one transaction. Returns the new decision ids."""
    if not decisions:
        return []
    now = datetime.now()
    stamped = [d if d.at else d.model_copy(update={"at": now}) for d in decisions]
    with store.transaction() as conn:
        ids = _insert_decisions(conn, stamped)
        toggles = any(d.action in (DecisionAction.undo, DecisionAction.redo) for d in stamped)
        if toggles or len(stamped) > _INCREMENTAL_LIMIT:
            rebuild(store)
        else:
            for decision, new_id in zip(stamped, ids):
                _apply(conn, decision.model_copy(update={"id": new_id}))
    return ids


def _insert_decisions(conn, decisions: list[Decision]) -> list[int]:
    columns = [[] for _ in range(15)]
    for d in decisions:
        span = d.span
        row = [d.at, d.coder, d.action.value, span and span.document, span and span.start, span and span.end,
               span and span.turn, span and span.excerpt_id, d.code, d.from_code, d.source.value, d.target, d.batch,
               d.score, d.note]
        for column, value in zip(columns, row):
            column.append(value)
    types = ["TIMESTAMP", "VARCHAR", "VARCHAR", "VARCHAR", "INTEGER", "INTEGER", "INTEGER", "VARCHAR", "VARCHAR",
             "VARCHAR", "VARCHAR", "BIGINT", "VARCHAR", "DOUBLE", "VARCHAR"]
    unnested = ", ".join(f"unnest(${i + 1}::{t}[])" for i, t in enumerate(types))
    # ORDINALITY keeps the ids in the order the decisions were given.
    rows = conn.execute(
        f"INSERT INTO decisions ({_DECISION_COLUMNS}) SELECT nextval('decision_ids'), * FROM"
        f" (SELECT {unnested}) RETURNING id",
        columns,
    ).fetchall()
    return sorted(r[0] for r in rows)


def _apply(conn, d: Decision) -> None:
    """The incremental twin of `coding.decisions.replay` for one new, active decision."""
    span = d.span
    if span is None or d.code is None:
        return
    match = "coder = ? AND document = ? AND start_offset = ? AND end_offset = ? AND code = ?"
    key = [d.coder, span.document, span.start, span.end]
    if d.action == DecisionAction.code:
        exists = conn.execute(f"SELECT count(*) FROM codings WHERE {match}", [*key, d.code]).fetchone()[0]
        if not exists:
            _insert_coding(conn, d)
        if span.excerpt_id:
            conn.execute("DELETE FROM rejections WHERE coder = ? AND excerpt_id = ? AND code = ?",
                         [d.coder, span.excerpt_id, d.code])
    elif d.action == DecisionAction.uncode:
        conn.execute(f"DELETE FROM codings WHERE {match}", [*key, d.code])
    elif d.action == DecisionAction.reject:
        conn.execute(f"DELETE FROM codings WHERE {match}", [*key, d.code])
        if span.excerpt_id:
            exists = conn.execute("SELECT count(*) FROM rejections WHERE coder = ? AND excerpt_id = ? AND code = ?",
                                  [d.coder, span.excerpt_id, d.code]).fetchone()[0]
            if not exists:
                conn.execute("INSERT INTO rejections VALUES (?, ?, ?, ?, ?)",
                             [d.id, d.coder, span.excerpt_id, d.code, d.at])
    elif d.action == DecisionAction.recode and d.from_code:
        conn.execute(f"DELETE FROM codings WHERE {match}", [*key, d.from_code])
        exists = conn.execute(f"SELECT count(*) FROM codings WHERE {match}", [*key, d.code]).fetchone()[0]
        if not exists:
            _insert_coding(conn, d)
        if span.excerpt_id:
            conn.execute("DELETE FROM rejections WHERE coder = ? AND excerpt_id = ? AND code = ?",
                         [d.coder, span.excerpt_id, d.code])


def _insert_coding(conn, d: Decision) -> None:
    span = d.span
    conn.execute(
        "INSERT INTO codings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [d.id, d.coder, span.document, span.start, span.end, span.turn, span.excerpt_id, d.code, d.source.value, d.at],
    )


def all_decisions(store: ProjectStore) -> list[Decision]:
    rows = store.conn.execute(f"SELECT {_DECISION_COLUMNS} FROM decisions ORDER BY id").fetchall()
    return [_decision(r) for r in rows]


def _decision(r: tuple) -> Decision:
    span = Span(document=r[4], start=r[5], end=r[6], turn=r[7], excerpt_id=r[8]) if r[4] is not None else None
    return Decision(
        id=r[0], at=r[1], coder=r[2], action=DecisionAction(r[3]), span=span, code=r[9], from_code=r[10],
        source=CodingSource(r[11]), target=r[12], batch=r[13], score=r[14], note=r[15],
    )


def rebuild(store: ProjectStore) -> None:
    """Recompute codings and rejections from the whole log (after an undo or redo, a large batch, or to repair)."""
    codings, rejections = replay(all_decisions(store))
    with store.transaction() as conn:
        conn.execute("DELETE FROM codings")
        conn.execute("DELETE FROM rejections")
        insert_columns(conn, "codings", [
            [c.decision_id, c.coder, c.document, c.start, c.end, c.turn, c.excerpt_id, c.code, c.source.value,
             c.created_at] for c in codings.values()])
        at = {d: when for d, when in conn.execute("SELECT id, decided_at FROM decisions WHERE action = 'reject'").fetchall()}
        insert_columns(conn, "rejections", [
            [r.decision_id, r.coder, r.excerpt_id, r.code, at.get(r.decision_id, datetime.now())]
            for r in rejections.values()])


def _undoable(store: ProjectStore, coder: str) -> list[Decision]:
    """The coder's decisions that are in force, newest last."""
    from coding.decisions import active_decisions

    return [d for d in active_decisions(all_decisions(store)) if d.coder == coder]


def undo_last(store: ProjectStore, coder: str) -> list[Decision]:
    """Undo the coder's latest decision still in force (a whole import or merge batch at once)."""
    candidates = _undoable(store, coder)
    if not candidates:
        return []
    last = candidates[-1]
    targets = [d for d in candidates if last.batch and d.batch == last.batch] or [last]
    batch = new_batch_id()
    record(store, [Decision(coder=coder, action=DecisionAction.undo, target=d.id, batch=batch) for d in targets])
    return targets


def redo_last(store: ProjectStore, coder: str) -> list[Decision]:
    """Redo what the coder's latest undo took back, provided nothing has reactivated it since."""
    log = all_decisions(store)
    toggles = [d for d in log if d.action in (DecisionAction.undo, DecisionAction.redo) and d.coder == coder]
    if not toggles or toggles[-1].action != DecisionAction.undo:
        return []
    batch = toggles[-1].batch
    targets = [d.target for d in toggles if d.action == DecisionAction.undo and d.batch == batch]
    record(store, [Decision(coder=coder, action=DecisionAction.redo, target=t, batch=new_batch_id()) for t in targets])
    by_id = {d.id: d for d in log}
    return [by_id[t] for t in targets if t in by_id]


def last_decision_id(store: ProjectStore, coder: str) -> int | None:
    """The id of the coder's latest logged decision (an undo or redo included): it changes with every decision."""
    return store.conn.execute("SELECT max(id) FROM decisions WHERE coder = ?", [coder]).fetchone()[0]


def span_state(store: ProjectStore, coder: str, span: Span, code: str) -> tuple[bool, bool]:
    """(the coder holds `code` on exactly this span, the coder has rejected `code` for the span's excerpt)."""
    coded, rejected = store.conn.execute(
        "SELECT (SELECT count(*) FROM codings WHERE coder = ? AND document = ? AND start_offset = ? AND end_offset = ?"
        " AND code = ?), (SELECT count(*) FROM rejections WHERE coder = ? AND excerpt_id = ? AND code = ?)",
        [coder, span.document, span.start, span.end, code, coder, span.excerpt_id, code],
    ).fetchone()
    return bool(coded), bool(rejected)


def nothing_to_code_in_force(store: ProjectStore, coder: str, excerpt_id: str) -> bool:
    """Whether the coder's "nothing to code here" on the excerpt is in force (logged and not undone)."""
    return bool(store.conn.execute(
        f"SELECT count(*) FROM ({_EXCERPT_DECISIONS_IN_FORCE_SQL}) WHERE excerpt_id = ? AND action = 'nothing'",
        [coder, excerpt_id]).fetchone()[0])


def current_codings(store: ProjectStore, coder: str | None = None, document: str | None = None) -> list[Coding]:
    sql = ("SELECT c.decision_id, c.coder, c.document, c.start_offset, c.end_offset, c.turn, c.excerpt_id, c.code,"
           " c.source, c.created_at, substring(d.text, c.start_offset + 1, c.end_offset - c.start_offset)"
           " FROM codings c LEFT JOIN documents d ON d.name = c.document WHERE 1=1")
    params: list = []
    if coder is not None:
        sql += " AND c.coder = ?"
        params.append(coder)
    if document is not None:
        sql += " AND c.document = ?"
        params.append(document)
    sql += " ORDER BY c.document, c.start_offset, c.code, c.coder"
    return [
        Coding(decision_id=r[0], coder=r[1], document=r[2], start=r[3], end=r[4], turn=r[5], excerpt_id=r[6],
               code=r[7], source=CodingSource(r[8]), created_at=r[9], text=r[10])
        for r in store.conn.execute(sql, params).fetchall()
    ]


def current_rejections(store: ProjectStore, coder: str | None = None) -> list[tuple[str, str, str]]:
    sql = "SELECT coder, excerpt_id, code FROM rejections"
    params = []
    if coder is not None:
        sql += " WHERE coder = ?"
        params.append(coder)
    return [tuple(r) for r in store.conn.execute(sql + " ORDER BY decision_id", params).fetchall()]


def coders(store: ProjectStore) -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT DISTINCT coder FROM codings ORDER BY coder").fetchall()]


def coding_counts_by_code(store: ProjectStore) -> dict[str, int]:
    return dict(store.conn.execute("SELECT code, count(*) FROM codings GROUP BY code").fetchall())


# The coder's (the one `?`) decisions on excerpts that are in force: not undone, or redone after their last undo.
_EXCERPT_DECISIONS_IN_FORCE_SQL = """
    SELECT d.excerpt_id, d.action FROM decisions d
    LEFT JOIN (SELECT target, arg_max(action, id) AS last_toggle FROM decisions
               WHERE action IN ('undo', 'redo') GROUP BY target) t ON t.target = d.id
    WHERE d.coder = ? AND d.excerpt_id IS NOT NULL AND d.action NOT IN ('undo', 'redo')
      AND coalesce(t.last_toggle, 'redo') = 'redo'
"""
# Excerpts the coder has decided on (coded, rejected, uncoded or "nothing to code here"); an undo makes one undecided.
DECIDED_EXCERPTS_SQL = f"SELECT excerpt_id FROM ({_EXCERPT_DECISIONS_IN_FORCE_SQL})"


def reviewed_excerpts(store: ProjectStore, coder: str) -> set[str]:
    """Excerpts the coder has a decision in force on (coded, rejected, uncoded, nothing to code), for the queue."""
    rows = store.conn.execute(f"SELECT DISTINCT excerpt_id FROM ({DECIDED_EXCERPTS_SQL})", [coder]).fetchall()
    return {r[0] for r in rows}
