"""The memo log (`memo_events`, append-only) and the memos in force derived from it (`memos`)."""

from __future__ import annotations

from datetime import datetime

from coding.memos.log import replay
from coding.memos.model import Memo, MemoAction, MemoEvent, MemoTarget, TargetKind
from coding.store.bulk import insert_columns
from coding.store.connection import ProjectStore

_EVENT_COLUMNS = ("id, logged_at, coder, action, memo_id, target_kind, target_ref, title, text, author, created_at,"
                  " updated_at, target, note")
_MEMO_COLUMNS = "id, target_kind, target_ref, title, text, author, created_at, updated_at, updated_by"


def now() -> datetime:
    """Memo times are kept to the second: that is what REFI-QDA writes, so an export comes back exactly."""
    return datetime.now().replace(microsecond=0)


def new_memo_id(store: ProjectStore) -> int:
    return store.conn.execute("SELECT nextval('memo_ids')").fetchone()[0]


def record(store: ProjectStore, events: list[MemoEvent]) -> list[int]:
    """Append events to the log and rebuild the memos in force, in one transaction. Returns the new event ids."""
    if not events:
        return []
    at = now()
    ids = []
    with store.transaction() as conn:
        for e in events:
            target = e.target
            row = conn.execute(
                f"INSERT INTO memo_events ({_EVENT_COLUMNS}) VALUES (nextval('memo_event_ids'), ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?, ?, ?, ?, ?) RETURNING id",
                [e.at or at, e.coder, e.action.value, e.memo_id, target and target.kind.value, target and target.ref,
                 e.title, e.text, e.author, e.created_at, e.updated_at, e.undoes, e.note]).fetchone()
            ids.append(row[0])
        rebuild(store)
    return ids


def all_events(store: ProjectStore) -> list[MemoEvent]:
    rows = store.conn.execute(f"SELECT {_EVENT_COLUMNS} FROM memo_events ORDER BY id").fetchall()
    return [MemoEvent(id=r[0], at=r[1], coder=r[2], action=MemoAction(r[3]), memo_id=r[4],
                      target=MemoTarget(kind=TargetKind(r[5]), ref=r[6]) if r[5] else None, title=r[7], text=r[8],
                      author=r[9], created_at=r[10], updated_at=r[11], undoes=r[12], note=r[13]) for r in rows]


def rebuild(store: ProjectStore) -> None:
    """Recompute `memos` from the whole log (memos are few: replaying is cheaper than keeping a twin of it)."""
    memos = replay(all_events(store))
    with store.transaction() as conn:
        conn.execute("DELETE FROM memos")
        insert_columns(conn, "memos", [
            [m.id, m.target.kind.value, m.target.ref, m.title, m.text, m.author, m.created_at, m.updated_at,
             m.updated_by] for m in memos.values()])


def current_memos(store: ProjectStore, target: MemoTarget | None = None,
                  kind: TargetKind | None = None) -> list[Memo]:
    """The memos in force, oldest first; only those on `target`, or on any object of `kind`, when given."""
    sql = f"SELECT {_MEMO_COLUMNS} FROM memos WHERE 1=1"
    params: list = []
    if target is not None:
        sql += " AND target_kind = ? AND target_ref IS NOT DISTINCT FROM ?"
        params += [target.kind.value, target.ref]
    if kind is not None:
        sql += " AND target_kind = ?"
        params.append(kind.value)
    rows = store.conn.execute(sql + " ORDER BY created_at, id", params).fetchall()
    return [Memo(id=r[0], target=MemoTarget(kind=TargetKind(r[1]), ref=r[2]), title=r[3], text=r[4], author=r[5],
                 created_at=r[6], updated_at=r[7], updated_by=r[8]) for r in rows]


def get_memo(store: ProjectStore, memo_id: int) -> Memo | None:
    found = [m for m in current_memos(store) if m.id == memo_id]
    return found[0] if found else None


def coding_exists(store: ProjectStore, decision_id: int) -> bool:
    return bool(store.conn.execute("SELECT count(*) FROM codings WHERE decision_id = ?", [decision_id]).fetchone()[0])


def memo_was_deleted(store: ProjectStore, memo_id: int) -> bool:
    """Whether the log holds the memo at all (a deleted memo can be brought back with undo)."""
    return bool(store.conn.execute("SELECT count(*) FROM memo_events WHERE memo_id = ?", [memo_id]).fetchone()[0])
