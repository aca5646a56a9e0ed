"""Adding, editing, deleting, undoing and redoing memos, each checked first and logged (see `coding.store.memos`).

Memos have their own log and their own `qcode memo undo|redo` rather than entries in the coding decision log: the
decision log's replay rebuilds codings and rejections from spans and code ids, and a memo step there would be a
second kind of row that every replay, agreement and "reviewed excerpts" query would have to skip. Undo works the
same way for both: the coder's latest step still in force is taken back by a new row, never by deleting one.
"""

from __future__ import annotations

import re
from datetime import datetime

from coding.errors import NotFound, Problem, QcodeError
from coding.memos.log import in_force, undone_events
from coding.memos.model import Memo, MemoAction, MemoEvent, MemoTarget, TargetKind
from coding.store import ProjectStore
from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store import memos as memo_store
from coding.store.themes import theme_runs, themes_of_run


def resolve_target(store: ProjectStore, target: MemoTarget, coder: str | None = None) -> MemoTarget:
    """The target as stored: a coding named by its place (coding:D07:12:COST) becomes the decision id of the coding
    of that code in that turn (the coder's own when several coders gave it); every target is checked to exist."""
    if target.kind == TargetKind.coding and not target.ref.isdigit():
        document, turn, code = target.ref.rsplit(":", 2)
        found = [c for c in coding_store.current_codings(store, document=document)
                 if c.turn == int(turn) and c.code == code]
        own = [c for c in found if c.coder == coder]
        chosen = own or found
        if not chosen:
            raise NotFound(Problem(f"memo target {target.label()}: no current coding of {code} in {document}, turn "
                                   f"{turn}", code=code, hint="qcode codings --document " + document +
                                   " lists that document's codings"))
        if len(chosen) > 1:
            ids = ", ".join(str(c.decision_id) for c in chosen)
            raise QcodeError(Problem(f"memo target {target.label()}: {len(chosen)} codings match (decision ids "
                                     f"{ids}, by {', '.join(sorted({c.coder for c in chosen}))})", code=code,
                                     hint="name one as coding:DECISION_ID"))
        target = MemoTarget(kind=TargetKind.coding, ref=str(chosen[0].decision_id))
    check_target(store, target)
    return target


def check_target(store: ProjectStore, target: MemoTarget) -> None:
    """Raise `NotFound` naming the target and where to look it up when the object it names does not exist."""
    label = target.label()
    if target.kind == TargetKind.document and doc_store.get_document(store, target.ref) is None:
        raise NotFound(Problem(f"memo target {label}: no document '{target.ref}' in this project",
                               hint="qcode transcripts lists the documents"))
    if target.kind == TargetKind.code:
        current = codebook_store.current_codebook(store)
        if current is None or target.ref not in current[1]:
            raise NotFound(Problem(f"memo target {label}: no such code in the current codebook", code=target.ref,
                                   hint="qcode codebook show lists the code ids"))
    if target.kind == TargetKind.coding and not memo_store.coding_exists(store, int(target.ref)):
        raise NotFound(Problem(f"memo target {label}: no current coding has decision id {target.ref}",
                               hint="qcode codings --json lists each coding's decision_id"))
    if target.kind == TargetKind.theme:
        run_id, theme = target.theme_key
        if run_id not in {r.id for r in theme_runs(store)}:
            raise NotFound(Problem(f"memo target {label}: no theme run {run_id} in this project",
                                   hint="qcode themes lists the latest run and its themes"))
        if theme not in {t.theme for t in themes_of_run(store, run_id)}:
            raise NotFound(Problem(f"memo target {label}: theme run {run_id} has no theme {theme}",
                                   hint="qcode themes lists the run's themes"))


# Characters XML 1.0 cannot hold: a memo with one could not be written to a .qdpx, .docx or .xlsx.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _control_characters(field: str, value: str) -> list[Problem]:
    found = _NOT_XML.search(value)
    if found is None:
        return []
    line = value.count("\n", 0, found.start()) + 1
    return [Problem(f"the memo's {field} holds the control character U+{ord(found.group()):04X} on line {line}",
                    hint="remove it; it is often a page break or a stray byte pasted from another program")]


def _check_text(title: str, text: str, coder: str) -> None:
    problems = _control_characters("title", title) + _control_characters("text", text)
    if not title.strip():
        problems.append(Problem("a memo needs a title", hint="give --title 'A short title'"))
    if not coder.strip():
        problems.append(Problem("a memo needs an author", hint="give --coder NAME or set QCODE_CODER"))
    if problems:
        raise QcodeError(problems)


def add_memo(store: ProjectStore, target: MemoTarget, title: str, text: str, coder: str) -> Memo:
    """A new memo by `coder` on `target` (checked to exist)."""
    _check_text(title, text, coder)
    target = resolve_target(store, target, coder)
    with store.transaction():
        memo_id = memo_store.new_memo_id(store)
        memo_store.record(store, [MemoEvent(coder=coder, action=MemoAction.add, memo_id=memo_id, target=target,
                                            title=title.strip(), text=text, author=coder,
                                            created_at=memo_store.now())])
    return memo_store.get_memo(store, memo_id)


def require_memo(store: ProjectStore, memo_id: int) -> Memo:
    memo = memo_store.get_memo(store, memo_id)
    if memo is None:
        deleted = memo_store.memo_was_deleted(store, memo_id)
        raise NotFound(Problem(f"memo {memo_id} {'was deleted' if deleted else 'does not exist'}",
                               hint="qcode memo undo --coder NAME brings back a deleted memo" if deleted
                               else "qcode memo list shows the memo ids"))
    return memo


def edit_memo(store: ProjectStore, memo_id: int, coder: str, title: str | None = None, text: str | None = None,
              target: MemoTarget | None = None) -> Memo:
    """Change a memo's title, text or target; what it said before stays in the log."""
    memo = require_memo(store, memo_id)
    if title is None and text is None and target is None:
        raise QcodeError(Problem(f"memo {memo_id}: nothing to change", hint="give --title, --text, --file or --on"))
    new_title = memo.title if title is None else title.strip()
    new_text = memo.text if text is None else text
    _check_text(new_title, new_text, coder)
    if target is not None and target != memo.target:
        target = resolve_target(store, target, coder)
    memo_store.record(store, [MemoEvent(coder=coder, action=MemoAction.edit, memo_id=memo_id,
                                        target=target or memo.target, title=new_title, text=new_text)])
    return memo_store.get_memo(store, memo_id)


def delete_memo(store: ProjectStore, memo_id: int, coder: str) -> Memo:
    """Delete a memo (kept in the log: `undo_memo_step` brings it back). Returns the memo as it was."""
    memo = require_memo(store, memo_id)
    memo_store.record(store, [MemoEvent(coder=coder, action=MemoAction.delete, memo_id=memo_id)])
    return memo


def last_memo_step(store: ProjectStore, coder: str) -> int | None:
    """The id of the coder's latest memo add, edit or delete still in force (what an undo would take back)."""
    candidates = in_force(memo_store.all_events(store), coder)
    return candidates[-1].id if candidates else None


def undo_memo_step(store: ProjectStore, coder: str, expected: int | None = None) -> MemoEvent | None:
    """Take back the coder's latest memo add, edit or delete still in force; None when there is none.

    `expected`: the step the screen offered to undo (`last_memo_step` when it was drawn). When the latest step is no
    longer that one, nothing is undone: a double click, or a replayed request, must not take back a second step."""
    candidates = in_force(memo_store.all_events(store), coder)
    if not candidates or (expected is not None and candidates[-1].id != expected):
        return None
    last = candidates[-1]
    memo_store.record(store, [MemoEvent(coder=coder, action=MemoAction.undo, undoes=last.id)])
    return last


def redo_memo_step(store: ProjectStore, coder: str) -> MemoEvent | None:
    """Restore what the coder's latest memo undo took back, if it is still taken back."""
    events = memo_store.all_events(store)
    toggles = [e for e in events if e.coder == coder and e.action in (MemoAction.undo, MemoAction.redo)]
    if not toggles or toggles[-1].action != MemoAction.undo or toggles[-1].undoes not in undone_events(events):
        return None
    memo_store.record(store, [MemoEvent(coder=coder, action=MemoAction.redo, undoes=toggles[-1].undoes)])
    return next(e for e in events if e.id == toggles[-1].undoes)


def memos(store: ProjectStore, target: MemoTarget | None = None, kind: TargetKind | None = None) -> list[Memo]:
    return memo_store.current_memos(store, target, kind)


def import_memos(store: ProjectStore,
                 incoming: list[tuple[MemoTarget, str, str, str, str, datetime, datetime | None]], note: str) -> int:
    """Add memos from another project (target, title, text, author, last editor, created, updated), keeping who and
    when (the log row names the last editor, who becomes the memo's `updated_by`);
    a memo the project already holds (same target, title, text, author and creation time) is not added twice.
    Returns how many were added. Targets are not checked: they come from the same import."""
    held = {(m.target, m.title, m.text, m.author, m.created_at) for m in memo_store.current_memos(store)}
    events = []
    for target, title, text, author, editor, created, updated in incoming:
        if (target, title, text, author, created) in held:
            continue
        held.add((target, title, text, author, created))
        memo_id = memo_store.new_memo_id(store)
        events.append(MemoEvent(coder=editor, action=MemoAction.add, memo_id=memo_id,
                                target=target, title=title, text=text, author=author, created_at=created,
                                updated_at=updated or created, note=note))
    memo_store.record(store, events)
    return len(events)
