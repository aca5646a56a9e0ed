"""A project with a codebook but no suggestions, themes or codings: every view says what is missing and what to do,
and coding by hand still works."""

from __future__ import annotations

from coding.store import codings as coding_store
from tests.app.conftest import read_project


def test_overview_lists_the_next_steps(open_bare_app):
    at = open_bare_app("overview")
    steps = " ".join(m.value for m in at.markdown)
    assert "No themes yet" in steps and "No suggestions yet" in steps


def test_review_without_suggestions_goes_in_document_order_and_codes_by_hand(open_bare_app, bare_project):
    at = open_bare_app("review", coder="ana")
    assert any("No suggestions yet" in i.value for i in at.info)
    assert at.session_state["review_current"] == "T01:2:1"
    at.selectbox(key="review_other").select("PILOTS").run()
    at.button(key="review_apply").click().run()
    with read_project(bare_project) as store:
        assert [(c.excerpt_id, c.code) for c in coding_store.current_codings(store)] == [("T01:2:1", "PILOTS")]
    at.button(key="review_next").click().run()
    assert at.session_state["review_current"] == "T01:4:1"
    at.button(key="review_next").click().run()
    assert any("Nothing left to review" in s.value for s in at.success)


def test_themes_analysis_and_export_say_what_is_missing(open_bare_app):
    themes = open_bare_app("themes")
    assert themes.button(key="themes_settings_submit").label == "Find themes"
    assert any("No codings yet" in i.value for i in open_bare_app("analysis").info)
    at = open_bare_app("export")
    at.button(key="ex_prepare").click().run()
    assert not at.exception


def test_computing_suggestions_from_the_review_page_runs_in_the_background(open_bare_app, bare_project):
    from coding.store.suggestions import latest_suggestion_run
    from coding.ui import jobs

    at = open_bare_app("review", coder="ana")
    at.button(key="suggest_run").click().run()
    toasts = [t.proto.body for t in at.toast]  # a tiny project may be done within that run already
    job = jobs.wait("suggest", timeout=120)
    assert job is not None and job.error is None, job and job.error
    at.run()
    toasts += [t.proto.body for t in at.toast]
    with read_project(bare_project) as store:
        assert latest_suggestion_run(store).id == job.result
    assert not any("No suggestions yet" in i.value for i in at.info)
    assert any(b.key.startswith("review_accept_") for b in at.button if b.key)
    assert sum(f"Suggestions ready \\(run {job.result}\\)" in t for t in toasts) == 1  # once, escaped
