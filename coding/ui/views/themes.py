"""Themes: the latest clustering's themes (label, keywords, size, status against the codebook, quotes); rename a
theme, turn it into a code, merge it into a code, sweep the unthemed queue; cluster again and see what changed."""

import streamlit as st

from coding.theme_review.screen import themes_screen
from coding.ui import jobs, state
from coding.ui import theme_parts as parts
from coding.ui.runs import THEMES, start_themes, theme_settings_form
from coding.ui.text import md


def main() -> None:
    st.title("Themes")
    jobs.show(THEMES, lambda run_id: f"Theme run {run_id} is ready.")
    screen = state.query(themes_screen)
    run = screen.run
    if run is not None:
        st.caption(f"Run {run.id} · {run.created_at:%Y-%m-%d %H:%M} · {md(run.model_id)} · {len(screen.themes)} themes"
                   f" · {len(screen.unthemed)} unthemed excerpts")
    if jobs.running(THEMES):
        st.caption("Clustering is running; this page updates when it ends.")
    else:
        theme_settings_form(run.manifest.get("settings") if run else None, start_themes)
    if screen.changes:
        with st.expander(f"What changed since run {screen.previous_run}"):
            st.dataframe(screen.changes, hide_index=True)
    if screen.themes:
        st.caption(parts.LEGEND)  # our own Markdown (bold status names), not project text
    # Top-level themes are headers that fold away their sub-themes (a toggle, as theme cards hold expanders).
    for group_id, themes in parts.by_group(screen.themes, screen.groups):
        group = screen.groups.get(group_id) if group_id is not None else None
        if group is not None and not parts.show_group(group, themes):
            continue
        for theme in themes:
            parts.show_theme(theme, screen.members.get(theme.theme, []), screen.codes, screen.colors,
                             screen.mentions.get(theme.theme, []))
    if run is not None:
        parts.show_unthemed(screen.unthemed, {t.theme: t.display_label for t in screen.themes}, run.id)


main()
