"""Overview: the project's size, progress by coder and next steps, read from the project."""

from __future__ import annotations

from coding.review import accept_suggestion
from tests.app.conftest import read_project


def test_overview_shows_counts_and_the_coders_progress(open_app, project):
    with read_project(project[0]) as store:
        accept_suggestion(store, "ana", "S01:4:1", "TIME_SAVINGS")
    at = open_app("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Documents"] == "11"
    assert metrics["Codings"] == "1"
    coders = at.dataframe[0].value
    assert coders.iloc[0]["coder"] == "ana" and coders.iloc[0]["accepted suggestions"] == 1
    steps = " ".join(m.value for m in at.markdown)
    assert "waiting for your review" in steps


def test_excerpts_reviewed_go_down_when_a_decision_is_undone(project):
    from coding.models import Decision, DecisionAction, Span
    from coding.store import codings as coding_store
    from coding.store.overview import coder_rows, coding_totals
    from tests.app.conftest import read_project

    with read_project(project[0]) as store:
        before = coding_totals(store)["reviewed_excerpts"]
        excerpt = store.conn.execute(
            "SELECT e.id, e.document, e.turn, e.start_offset, e.end_offset FROM excerpts e WHERE e.id NOT IN "
            "(SELECT excerpt_id FROM decisions WHERE excerpt_id IS NOT NULL) LIMIT 1").fetchone()
        span = Span(document=excerpt[1], turn=excerpt[2], start=excerpt[3], end=excerpt[4], excerpt_id=excerpt[0])
        coding_store.record(store, [Decision(coder="zed", action=DecisionAction.reject, span=span, code="COST")])
        assert coding_totals(store)["reviewed_excerpts"] == before + 1
        assert next(r for r in coder_rows(store) if r["coder"] == "zed")["decided"] == 1
        coding_store.undo_last(store, "zed")
        assert coding_totals(store)["reviewed_excerpts"] == before
        assert next(r for r in coder_rows(store) if r["coder"] == "zed")["decided"] == 0
