"""qcode in the browser. Start it with `qcode app` or `streamlit run app.py -- --db PROJECT.duckdb`.

This file only routes: each view is a short module in coding/ui/views/ that calls the library.
"""

import streamlit as st

from coding.ui.frame import page_frame

VIEWS = "coding/ui/views"

# The page icon is an emoji, which Streamlit draws as an inline data: SVG. A ":material/...:" page icon would make
# every browser fetch it from fonts.gstatic.com, and the app makes no request outside the machine.
st.set_page_config(page_title="qcode", page_icon="🏷️", layout="wide")
page = st.navigation([
    st.Page(f"{VIEWS}/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page(f"{VIEWS}/transcripts.py", title="Transcripts", icon=":material/article:"),
    st.Page(f"{VIEWS}/search.py", title="Search", icon=":material/search:"),
    st.Page(f"{VIEWS}/import_files.py", title="Import", icon=":material/upload_file:"),
    st.Page(f"{VIEWS}/themes.py", title="Themes", icon=":material/bubble_chart:"),
    st.Page(f"{VIEWS}/review.py", title="Review", icon=":material/fact_check:"),
    st.Page(f"{VIEWS}/codebook.py", title="Codebook", icon=":material/account_tree:"),
    st.Page(f"{VIEWS}/analysis.py", title="Analysis", icon=":material/bar_chart:"),
    st.Page(f"{VIEWS}/code.py", title="Quotes", icon=":material/format_quote:"),
    st.Page(f"{VIEWS}/export.py", title="Export", icon=":material/download:"),
    st.Page(f"{VIEWS}/memos.py", title="Memos", icon=":material/sticky_note_2:"),
])
with page_frame():
    page.run()
