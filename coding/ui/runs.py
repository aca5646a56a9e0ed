"""Starting the long pipelines from the app (suggestions, clustering) as background jobs, and showing them."""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any

import streamlit as st

from coding.store.settings import get_setting
from coding.ui import jobs, state

SUGGEST = "suggest"
THEMES = "themes"


def project_embedder():
    """The project's embedding model, loaded once per server process."""
    return state.embedder(state.query(get_setting, "embedding_model"))


def suggestion_panel(has_suggestions: bool) -> None:
    """Computing suggestions: its progress or outcome, and a button to compute them (again, learning from the
    decisions made since)."""
    jobs.show(SUGGEST, lambda run_id: f"Suggestions ready (run {run_id}).")
    if jobs.running(SUGGEST):
        return
    if find_spec("pipelines.suggest") is None:
        if not has_suggestions:
            st.info("No suggestions yet: this qcode cannot compute them. Codes can still be applied by hand below.")
        return
    if has_suggestions:
        st.button("Update suggestions", key="suggest_run", icon=":material/auto_awesome:", type="tertiary",
                  on_click=start_suggestions, help="Score every excerpt again, learning from the decisions so far.")
        return
    with st.container(horizontal=True, vertical_alignment="center"):
        st.info("No suggestions yet: excerpts come in document order and codes are chosen by hand.")
        st.button("Compute suggestions", key="suggest_run", icon=":material/auto_awesome:", on_click=start_suggestions)


def start_suggestions() -> None:
    from coding.review import prepare_review_order
    from pipelines.suggest import run_suggestions

    embedder = project_embedder()

    def work(store, job) -> Any:
        run_id = run_suggestions(store, embedder, progress=job.progress, stage=job.stage)
        job.stage("rank for review", 0)
        prepare_review_order(store)
        return run_id

    jobs.start(SUGGEST, "Computing suggestions", work)


def start_themes(settings: Any) -> None:
    """Cluster in the background with `settings` (a ThemeSettings)."""
    from pipelines.themes import run_themes

    embedder = project_embedder()
    jobs.start(THEMES, "Finding themes",
               lambda store, job: run_themes(store, embedder, settings, job.progress, stage=job.stage))


def theme_settings_form(current: dict | None, start: Any) -> None:
    """The clustering settings (the last run's by default) and a button that starts a run with them."""
    if find_spec("pipelines.themes") is None or find_spec("coding.themes.settings") is None:
        st.info("This qcode cannot look for themes.")
        return
    from coding.themes.settings import ThemeSettings

    from coding.ui.settings_form import settings_form

    def start_and_show(settings: Any) -> None:
        start(settings)
        st.rerun()  # draw the page again with the job's progress

    settings_form(ThemeSettings, "themes_settings", current, "Find themes", start_and_show)
