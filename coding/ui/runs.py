"""Starting the long pipelines from the app (suggestions, clustering) as background jobs, and showing them."""

from __future__ import annotations

import threading
from importlib.util import find_spec
from typing import Any

import streamlit as st

from coding.store.settings import get_setting
from coding.ui import jobs, state

SUGGEST = "suggest"
THEMES = "themes"
LLM = "llm"
_LLM_STOPS: dict[str, threading.Event] = {}  # project path -> the Stop button's event for its running LLM job


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


def llm_panel() -> None:
    """Review's "Ask the local model" (only once llm_endpoint and llm_model are set): progress with a Stop button
    while it runs, the outcome when it ends. Turns answered before a stop are kept and not asked again."""
    endpoint, model = state.query(get_setting, "llm_endpoint"), state.query(get_setting, "llm_model")
    if not (endpoint and model):
        return
    from coding.llm.settings import check_endpoint, is_loopback

    jobs.show(LLM, lambda r: f"{r.plan.settings.model} answered {r.answered} turns ({r.failed} failed, asked again "
                             f"next time); suggestions run {r.run_id}.")
    if jobs.running(LLM):
        stop = _LLM_STOPS.get(str(state.project().path))
        st.button("Stop the local model", key="llm_stop", icon=":material/stop:", disabled=stop is None,
                  on_click=stop.set if stop else None, help="Answers that arrived are kept; asking again resumes.")
        return
    from urllib.parse import urlsplit

    host = urlsplit(check_endpoint(endpoint)).hostname or ""
    if not is_loopback(host):
        st.warning(f"Transcripts will leave this machine: turns are sent to {host}.", icon=":material/public:")
    st.button(f"Ask the local model ({model})", key="llm_run", icon=":material/smart_toy:", type="tertiary",
              on_click=start_llm_suggestions, help=f"Code every turn not answered yet with {model} at {endpoint}.")


def start_llm_suggestions() -> None:
    from coding.llm.settings import llm_settings
    from coding.review import prepare_review_order
    from pipelines.llm_suggest import llm_suggest, plan_llm_coding

    stop = _LLM_STOPS[str(state.project().path)] = threading.Event()

    def work(store, job) -> Any:
        result = llm_suggest(store, plan_llm_coding(store, llm_settings(store)), job.progress, stop)
        prepare_review_order(store)
        return result

    jobs.start(LLM, "Asking the local model", work)


def start_themes(settings: Any) -> None:
    """Cluster in the background with `settings` (a ThemeSettings)."""
    from pipelines.themes import run_themes

    embedder = project_embedder()
    jobs.start(THEMES, "Finding themes",
               lambda store, job: run_themes(store, embedder, settings, job.progress, stage=job.stage))


def theme_settings_form(current: dict | None, start: Any) -> None:
    """A "Find themes" button, and the clustering settings it uses (the last run's, else the defaults) under an
    "Advanced settings" expander."""
    if find_spec("pipelines.themes") is None or find_spec("coding.themes.settings") is None:
        st.info("This qcode cannot look for themes.")
        return
    from coding.embedding import DEFAULT_MODEL_ID
    from coding.themes.settings import ThemeSettings
    from coding.ui.settings_form import settings_behind_advanced

    def start_and_show(settings: Any) -> None:
        start(settings)
        st.rerun()  # draw the page again with the job's progress

    model = state.query(get_setting, "embedding_model") or f"{DEFAULT_MODEL_ID} (bundled)"
    settings_behind_advanced(ThemeSettings, "themes_settings", current, "Find themes", start_and_show,
                             note=f"Embedding model: {model} (the project's; change it with "
                                  "'qcode config embedding_model NAME' and 'qcode embed').")
