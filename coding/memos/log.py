"""The memos in force, replayed from the append-only memo log.

An undo takes back one event (an add, edit or delete) and a redo restores it; replay skips events that are taken
back, so undoing an edit shows the text before it, undoing a delete brings the memo back, and nothing in the log is
ever changed or removed.
"""

from __future__ import annotations

from coding.memos.model import Memo, MemoAction, MemoEvent

CHANGES = (MemoAction.add, MemoAction.edit, MemoAction.delete)


def undone_events(events: list[MemoEvent]) -> set[int]:
    """Ids of the changes an undo currently takes back (the latest undo or redo of each event wins)."""
    state: dict[int, bool] = {}
    for event in events:
        if event.action in (MemoAction.undo, MemoAction.redo) and event.undoes is not None:
            state[event.undoes] = event.action == MemoAction.undo
    return {event_id for event_id, undone in state.items() if undone}


def replay(events: list[MemoEvent]) -> dict[int, Memo]:
    """memo id -> the memo as the log leaves it (events in id order)."""
    undone = undone_events(events)
    memos: dict[int, Memo] = {}
    for event in events:
        if event.action not in CHANGES or event.id in undone or event.memo_id is None:
            continue
        if event.action == MemoAction.add:
            memos[event.memo_id] = Memo(id=event.memo_id, target=event.target, title=event.title or "",
                                        text=event.text or "", author=event.author or event.coder,
                                        created_at=event.created_at or event.at,
                                        updated_at=event.updated_at or event.at,
                                        updated_by=event.coder)
        elif event.memo_id in memos and event.action == MemoAction.edit:
            memos[event.memo_id] = memos[event.memo_id].model_copy(update={
                "target": event.target, "title": event.title or "", "text": event.text or "",
                "updated_at": event.at, "updated_by": event.coder})
        elif event.action == MemoAction.delete:
            memos.pop(event.memo_id, None)
    return memos


def in_force(events: list[MemoEvent], coder: str) -> list[MemoEvent]:
    """The coder's changes that are not taken back, oldest first (what `undo` may take back)."""
    undone = undone_events(events)
    return [e for e in events if e.coder == coder and e.action in CHANGES and e.id not in undone]
