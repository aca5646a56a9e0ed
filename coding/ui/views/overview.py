"""Overview: what the project holds, how far coding and review have got (by coder), and what to do next."""

import streamlit as st

from coding.overview import project_overview
from coding.ui import state
from coding.ui.text import md

PAGES = {"overview": "coding/ui/views/overview.py", "transcripts": "coding/ui/views/transcripts.py",
         "themes": "coding/ui/views/themes.py", "review": "coding/ui/views/review.py",
         "codebook": "coding/ui/views/codebook.py", "analysis": "coding/ui/views/analysis.py"}


def main() -> None:
    info = state.query(project_overview, state.coder())
    st.title("Overview")
    st.caption(f"{md(info.path)} · codebook: {md(info.codebook or 'none')}"
               + (f" (version {info.codebook_version}, {info.codes} codes)" if info.codebook else ""))
    cols = st.columns(6)
    cols[0].metric("Documents", info.documents)
    cols[1].metric("Turns", info.turns)
    cols[2].metric("Excerpts", info.excerpts)
    cols[3].metric("Codings", info.codings)
    cols[4].metric("Excerpts coded", _share(info.coded_excerpts, info.excerpts))
    cols[5].metric("Excerpts reviewed", _share(info.reviewed_excerpts, info.excerpts))

    st.subheader("What to do next")
    for step in info.next_steps:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.markdown(f"- {md(step.message)}")
            if step.page != "overview":
                st.page_link(PAGES[step.page], label=f"Open {step.page.title()}", icon=":material/arrow_forward:")
    if not info.next_steps:
        st.markdown("Everything is coded and reviewed.")

    st.subheader("By coder")
    if info.coders:
        st.dataframe([{"coder": c.coder, "excerpts decided": c.decided, "codings": c.codings,
                       "accepted suggestions": c.accepted, "rejected suggestions": c.rejected,
                       "last decision": c.last_at} for c in info.coders], hide_index=True,
                     column_config={"excerpts decided": st.column_config.ProgressColumn(
                         min_value=0, max_value=max(info.excerpts, 1), format="%d")})
    else:
        st.caption("No coding decisions yet.")


def _share(part: int, whole: int) -> str:
    return f"{part} ({part / whole:.0%})" if whole else "0"


main()
