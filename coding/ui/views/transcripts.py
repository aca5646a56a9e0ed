"""Transcripts: read an interview (every turn with its number, speaker and time) with its codings highlighted in
their codes' colours; select any text to code it, click a coding to remove or adjust it; narrow the document list by
an attribute."""

import streamlit as st

from coding.annotated import annotated_transcript, attribute_values, filter_documents
from coding.ui import state
from coding.ui import transcript_parts as parts
from coding.ui.memo_parts import document_memos
from coding.ui.text import md


def main() -> None:
    st.title("Transcripts")
    attributes = state.query(attribute_values)
    top = st.columns([1, 2, 2], vertical_alignment="bottom")
    attribute = top[0].selectbox("Filter by attribute", list(attributes), index=None, placeholder="no filter",
                                 key="tx_attribute")
    values = top[1].multiselect("Values", attributes.get(attribute, []), key="tx_values",
                                disabled=attribute is None, placeholder="any value")
    documents = state.query(filter_documents, attribute, values)
    if not documents:
        st.info("No transcript matches this filter." if attribute else "No transcripts yet: run 'qcode ingest'.")
        return
    document = top[2].selectbox("Document", documents, key="tx_document")
    transcript = state.query(annotated_transcript, document)
    st.caption(md(" · ".join([transcript.title or transcript.document,
                              *(f"{k}: {v}" for k, v in transcript.attributes.items())])))
    parts.show_transcript(transcript)
    parts.coding_panel(transcript, state.coder())
    document_memos(document)


main()
