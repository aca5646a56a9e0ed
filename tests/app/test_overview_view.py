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
