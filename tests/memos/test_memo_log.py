"""Memos in the library and store: every target kind, checked targets, an append-only log, undo and redo."""

from __future__ import annotations

import re

import numpy as np
import pytest

from coding.errors import NotFound, QcodeError
from coding.memos import actions
from coding.memos.model import PROJECT, MemoTarget, TargetKind, parse_target
from coding.models import Theme, ThemeMember, ThemeRun
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store import memos as memo_store
from coding.store.themes import save_theme_run


def theme_run(store) -> int:
    """A hand-made theme run with themes 1 and 2 over the study's excerpts."""
    excerpts = doc_store.get_excerpts(store)
    themes = [Theme(theme=n, label=f"theme {n}", keywords=["k"], size=1, documents=1, speakers=1, status="new")
              for n in (1, 2)]
    members = [ThemeMember(excerpt_id=excerpts[0].id, theme=1), ThemeMember(excerpt_id=excerpts[1].id, theme=2)]
    run = ThemeRun(model_id="fake", codebook_version=1, manifest={})
    return save_theme_run(store, run, themes, {t.theme: np.zeros(4, dtype=np.float32) for t in themes}, members)


def _log_rows(store) -> int:
    return store.conn.execute("SELECT count(*) FROM memo_events").fetchone()[0]


@pytest.mark.parametrize("text, label", [
    ("project", "project"), ("document:R1", "document:R1"), ("code:COST", "code:COST"), ("coding:12", "coding:12"),
    ("theme:3:04", "theme:3:4"), (" Document : U2 ", "document:U2"), ("coding:R1:02:COST", "coding:R1:2:COST"),
])
def test_targets_parse_into_one_spelling(text, label):
    assert parse_target(text).label() == label


@pytest.mark.parametrize("text", ["", "projects", "project:x", "document", "document:", "coding:abc", "coding:R1:x:COST",
                                  "coding::2:COST", "coding:R1:2:", "theme:3",
                                  "theme:a:b", "theme:1:2:3", "case:R1"])
def test_malformed_targets_are_refused_with_the_forms_that_work(text):
    with pytest.raises(QcodeError) as raised:
        parse_target(text)
    assert raised.value.problems[0].hint


def test_a_memo_on_every_kind_of_object_keeps_title_text_author_and_times(study):
    run = theme_run(study)
    coding = coding_store.current_codings(study, coder="ben")[0]
    targets = [PROJECT, parse_target("document:R2"), parse_target("code:TIME"),
               parse_target(f"coding:{coding.decision_id}"), parse_target(f"theme:{run}:2")]
    for n, target in enumerate(targets):
        actions.add_memo(study, target, f"Title {n}", f"*Text* {n}\n\nsecond paragraph", "ana")
    memos = actions.memos(study)
    assert [(m.target, m.title, m.text, m.author, m.updated_by) for m in memos] == [
        (t, f"Title {n}", f"*Text* {n}\n\nsecond paragraph", "ana", "ana") for n, t in enumerate(targets)]
    assert all(m.created_at == m.updated_at and m.created_at.microsecond == 0 for m in memos)
    assert [m.title for m in actions.memos(study, kind=TargetKind.code)] == ["Title 2"]
    assert [m.title for m in actions.memos(study, parse_target("document:R2"))] == ["Title 1"]


@pytest.mark.parametrize("target, where", [
    ("document:R9", "no document 'R9'"), ("code:NOPE", "no such code"), ("coding:99999", "decision id 99999"),
    ("theme:77:1", "no theme run 77"), ("theme:RUN:9", "has no theme 9"),
])
def test_a_missing_target_is_a_located_error_and_writes_nothing(study, target, where):
    target = target.replace("RUN", str(theme_run(study)))
    before = _log_rows(study)
    with pytest.raises(NotFound) as raised:
        actions.add_memo(study, parse_target(target), "t", "x", "ana")
    assert where in str(raised.value) and raised.value.problems[0].hint
    assert _log_rows(study) == before and actions.memos(study) == []


def test_a_memo_needs_a_title_and_an_author(study):
    with pytest.raises(QcodeError) as raised:
        actions.add_memo(study, PROJECT, "  ", "text", "")
    assert len(raised.value.problems) == 2 and _log_rows(study) == 0


def test_edit_and_delete_are_logged_and_undo_walks_them_back(study):
    memo = actions.add_memo(study, PROJECT, "Sampling", "Ten leaders.", "ana")
    actions.edit_memo(study, memo.id, "ben", text="Ten leaders, four rural.")
    edited = actions.edit_memo(study, memo.id, "ana", title="Sample", target=parse_target("document:R1"))
    assert (edited.title, edited.text, edited.target.label(), edited.author, edited.updated_by) == (
        "Sample", "Ten leaders, four rural.", "document:R1", "ana", "ana")
    actions.delete_memo(study, memo.id, "ana")
    assert actions.memos(study) == []
    with pytest.raises(NotFound, match="was deleted"):
        actions.require_memo(study, memo.id)
    assert actions.undo_memo_step(study, "ana").action.value == "delete"
    assert actions.require_memo(study, memo.id).title == "Sample"
    assert actions.undo_memo_step(study, "ana").action.value == "edit"  # ana's own latest step, not ben's
    back = actions.require_memo(study, memo.id)
    assert (back.title, back.text, back.target, back.updated_by) == ("Sampling", "Ten leaders, four rural.",
                                                                     PROJECT, "ben")
    assert actions.redo_memo_step(study, "ana").action.value == "edit"
    assert actions.require_memo(study, memo.id).title == "Sample"
    assert actions.redo_memo_step(study, "ana") is None  # the latest toggle is a redo: nothing left to redo
    # Nothing is ever removed from the log: every step is a row, the undos and redos too.
    assert [e.action.value for e in memo_store.all_events(study)] == [
        "add", "edit", "edit", "delete", "undo", "undo", "redo"]


def test_undo_reaches_back_to_the_add_and_survives_reopening(study, project_path):
    from coding.store import open_project

    memo = actions.add_memo(study, PROJECT, "Only", "one", "ana")
    study.close()
    with open_project(project_path) as reopened:
        assert actions.undo_memo_step(reopened, "ben") is None
        assert actions.undo_memo_step(reopened, "ana").memo_id == memo.id
        assert actions.memos(reopened) == []
        assert actions.undo_memo_step(reopened, "ana") is None
        memo_store.rebuild(reopened)  # the derived table is the log's replay, whatever it held
        assert actions.memos(reopened) == []


def test_editing_or_deleting_a_memo_that_does_not_exist_says_so(study):
    with pytest.raises(NotFound, match="memo 42 does not exist"):
        actions.edit_memo(study, 42, "ana", title="x")
    memo = actions.add_memo(study, PROJECT, "t", "x", "ana")
    with pytest.raises(QcodeError, match="nothing to change"):
        actions.edit_memo(study, memo.id, "ana")
    with pytest.raises(NotFound, match="no document 'Z1'"):
        actions.edit_memo(study, memo.id, "ana", target=MemoTarget(kind=TargetKind.document, ref="Z1"))
    assert actions.require_memo(study, memo.id).target == PROJECT


def test_a_coding_named_by_document_turn_and_code_is_stored_as_its_decision_id(study):
    codings = coding_store.current_codings(study, document="R1")
    ana_equity = next(c for c in codings if (c.turn, c.code, c.coder) == (2, "EQUITY", "ana"))
    ana_cost = next(c for c in codings if (c.turn, c.code) == (2, "COST"))
    memo = actions.add_memo(study, parse_target("coding:R1:2:EQUITY"), "Mine", "x", "ana")
    assert memo.target.label() == f"coding:{ana_equity.decision_id}"  # ana's own where both coders gave it
    other = actions.add_memo(study, parse_target("coding:R1:2:COST"), "Hers", "x", "ben")
    assert other.target.label() == f"coding:{ana_cost.decision_id}"  # ben's memo on the only COST coding there
    with pytest.raises(QcodeError, match="2 codings match") as raised:
        actions.add_memo(study, parse_target("coding:R1:2:EQUITY"), "Whose?", "x", "carla")
    assert "coding:DECISION_ID" in str(raised.value)
    with pytest.raises(NotFound, match="no current coding of TIME in R2, turn 2"):
        actions.add_memo(study, parse_target("coding:R2:2:TIME"), "None", "x", "ana")
    assert len(actions.memos(study)) == 2


@pytest.mark.parametrize("title, text, said", [
    ("Page\x0cbreak", "", "title holds the control character U+000C on line 1"),
    ("Fine", "one\ntwo\x01", "text holds the control character U+0001 on line 2"),
    ("Fine", "lone \ud800 surrogate", "text holds the control character U+D800 on line 1"),
])
def test_characters_no_export_can_hold_are_refused_with_their_line(study, title, text, said):
    with pytest.raises(QcodeError, match=re.escape(said)):
        actions.add_memo(study, PROJECT, title, text, "ana")
    memo = actions.add_memo(study, PROJECT, "Tabs\tand\r\nline ends are fine", "é 李 \U0001F600", "ana")
    with pytest.raises(QcodeError, match=re.escape(said)):
        actions.edit_memo(study, memo.id, "ana", title=title, text=text)
    assert actions.require_memo(study, memo.id).text == "é 李 \U0001F600"


def test_an_undo_offered_for_one_step_never_takes_back_a_second(study):
    """A double click on the app's Undo sends the same offer twice: the second finds the step gone and does nothing."""
    first = actions.add_memo(study, PROJECT, "First", "one", "ana")
    second = actions.add_memo(study, PROJECT, "Second", "two", "ana")
    offered = actions.last_memo_step(study, "ana")
    assert actions.undo_memo_step(study, "ana", expected=offered).memo_id == second.id
    assert actions.undo_memo_step(study, "ana", expected=offered) is None  # the replayed click
    assert [m.id for m in actions.memos(study)] == [first.id]
    assert actions.last_memo_step(study, "ana") != offered  # the page, redrawn, offers the step before
    assert actions.undo_memo_step(study, "ana", expected=actions.last_memo_step(study, "ana")).memo_id == first.id
    assert actions.last_memo_step(study, "ana") is None and actions.last_memo_step(study, "ben") is None
