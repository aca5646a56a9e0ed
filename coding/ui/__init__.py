"""The Streamlit app: state shared by the views, rendering helpers, background jobs and the views themselves."""
