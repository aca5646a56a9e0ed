"""Import: what the CLI imports, by upload: transcripts with their metadata (`qcode ingest`), a codings CSV
(`qcode import-codings`) and a codebook (`qcode codebook load`), with the CLI's messages and all-or-nothing rules."""

import streamlit as st

from coding.ui import import_parts as parts


def main() -> None:
    st.title("Import")
    st.caption(f"Files up to {parts.upload_limit_mb()} MB each (the app's upload limit, Streamlit's "
               "server.maxUploadSize); a transcript over 20 MB (a Word file over 200 MB) is refused as the CLI does. "
               "Uploads are read from a private temporary folder and deleted afterwards.")
    transcripts, codings, codebook = st.tabs(["Transcripts", "Codings", "Codebook"])
    with transcripts:
        st.caption("Each file is stored whole or not at all; a file that fails leaves the others in. "
                   "Uploading an unchanged file again changes nothing.")
        parts.transcripts_form()
    with codings:
        st.caption("A file that cannot be read changes nothing; otherwise every row is imported or reported with "
                   "its row number (as the CLI does), all imported rows as one batch you can undo.")
        parts.codings_form()
    with codebook:
        st.caption("A codebook is stored whole or not at all; a file with an error changes nothing.")
        parts.codebook_form()


main()
