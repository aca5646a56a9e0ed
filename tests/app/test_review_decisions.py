"""The review decisions a whole session makes, at library level: a decision that changes nothing is not logged,
"None of these" is one decision group, "nothing to code here" is a logged, undoable decision, and the progress
counter counts excerpts with a decision in force (so it goes down after an undo)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from coding.cli.main import app as cli
from coding.decisions import replay
from coding.errors import QcodeError
from coding.models import DecisionAction
from coding.review import (accept_suggestion, code_excerpt, nothing_to_code, recode_excerpt, reject_suggestion,
                           review_progress, review_queue, uncode_excerpt)
from coding.review_screen import reject_remaining, undo_review_decision
from coding.store import codings as coding_store
from tests.app.conftest import read_project


def _log(store, coder):
    return [d for d in coding_store.all_decisions(store) if d.coder == coder]


def _derived_matches_replay(store):
    codings, rejections = replay(coding_store.all_decisions(store))
    assert sorted((c.coder, c.excerpt_id, c.code) for c in codings.values()) == sorted(
        (c.coder, c.excerpt_id, c.code) for c in coding_store.current_codings(store))
    assert sorted(rejections) == sorted(coding_store.current_rejections(store))


@pytest.mark.parametrize("decide, args", [
    (accept_suggestion, ("PILOTS", 0.7)), (code_excerpt, ("PILOTS",)), (reject_suggestion, ("PILOTS", 0.2)),
])
def test_repeating_a_decision_logs_it_once_and_one_undo_takes_it_back(project, decide, args):
    with read_project(project[0]) as store:
        excerpt = review_queue(store, "ana", limit=1)[0]
        first = decide(store, "ana", excerpt, *args)
        assert first is not None
        for _ in range(3):  # a key pressed again, or a click replayed by the browser
            assert decide(store, "ana", excerpt, *args) is None
        assert len(_log(store, "ana")) == 1
        undo_review_decision(store, "ana")
        assert coding_store.current_codings(store, "ana") == [] and coding_store.current_rejections(store, "ana") == []
        _derived_matches_replay(store)


def test_uncode_and_recode_that_change_nothing_are_not_logged(project):
    with read_project(project[0]) as store:
        excerpt = review_queue(store, "ana", limit=1)[0]
        assert uncode_excerpt(store, "ana", excerpt, "PILOTS") is None  # not coded: nothing to remove
        assert recode_excerpt(store, "ana", excerpt, "PILOTS", "COST") is not None  # a new coding, logged
        assert recode_excerpt(store, "ana", excerpt, "PILOTS", "COST") is None
        assert code_excerpt(store, "ana", excerpt, "PILOTS") is not None
        assert [d.action for d in _log(store, "ana")] == [DecisionAction.recode, DecisionAction.code]
        assert [c.code for c in coding_store.current_codings(store, "ana")] == ["COST", "PILOTS"]
        _derived_matches_replay(store)


def test_none_of_these_is_one_group_that_one_undo_takes_back(project):
    with read_project(project[0]) as store:
        excerpt = review_queue(store, "ana", limit=1)[0]
        accept_suggestion(store, "ana", excerpt, "COST")
        assert reject_remaining(store, "ana", excerpt, ["PILOTS", "PRIVACY", "EQUITY"]) == 3
        assert {c[2] for c in coding_store.current_rejections(store, "ana")} == {"PILOTS", "PRIVACY", "EQUITY"}
        assert undo_review_decision(store, "ana") == excerpt
        assert coding_store.current_rejections(store, "ana") == []
        assert [c.code for c in coding_store.current_codings(store, "ana")] == ["COST"]  # the earlier accept stays
        _derived_matches_replay(store)


def test_none_of_these_is_one_group_for_qcode_undo_too(project):
    with read_project(project[0]) as store:
        excerpt = review_queue(store, "ana", limit=1)[0]
        reject_remaining(store, "ana", excerpt, ["PILOTS", "PRIVACY"])
    result = CliRunner().invoke(cli, ["undo", "--coder", "ana", "--db", str(project[0])])
    assert result.exit_code == 0, result.output
    assert "undid 2 decision(s)" in result.output
    with read_project(project[0]) as store:
        assert coding_store.current_rejections(store, "ana") == []


def test_nothing_to_code_here_takes_the_excerpt_out_of_the_queue_until_undone(project):
    with read_project(project[0]) as store:
        for order in ("document", "uncertainty"):
            head = review_queue(store, "ana", order=order, limit=1)[0]
            assert nothing_to_code(store, "ana", head) is not None
            assert nothing_to_code(store, "ana", head) is None  # once is enough
            assert review_queue(store, "ana", order=order, limit=1)[0] != head
            assert review_progress(store, "ana")[0] == 1
            assert coding_store.current_codings(store, "ana") == []  # it holds no code
            assert undo_review_decision(store, "ana") == head
            assert review_queue(store, "ana", order=order, limit=1)[0] == head
            assert review_progress(store, "ana")[0] == 0


def test_nothing_to_code_is_refused_on_an_excerpt_that_holds_a_code(project):
    with read_project(project[0]) as store:
        head = review_queue(store, "ana", order="document", limit=1)[0]
        code_excerpt(store, "ana", head, "PILOTS")
        with pytest.raises(QcodeError, match=f"{head} holds PILOTS for ana"):
            nothing_to_code(store, "ana", head)
        assert len(_log(store, "ana")) == 1


def test_the_decided_counter_goes_down_after_an_undo_and_up_after_a_redo(project):
    with read_project(project[0]) as store:
        first, second = review_queue(store, "ana", order="document", limit=2)
        accept_suggestion(store, "ana", first, "PILOTS")
        reject_suggestion(store, "ana", second, "COST")
        assert review_progress(store, "ana")[0] == 2
        undo_review_decision(store, "ana")
        assert review_progress(store, "ana")[0] == 1
        assert review_queue(store, "ana", order="document", limit=1) == [second]  # back in the queue
        coding_store.redo_last(store, "ana")
        assert review_progress(store, "ana")[0] == 2
        undo_review_decision(store, "ana")
        undo_review_decision(store, "ana")
        assert review_progress(store, "ana")[0] == 0
        assert coding_store.reviewed_excerpts(store, "ana") == set()
