"""The Import page opens on a project and says its upload limit; a button without a file says what to choose.
(Uploading itself is driven in tests/browser/test_import_in_browser.py: AppTest cannot fill a file uploader.)"""

from __future__ import annotations


def test_the_import_page_names_its_limit_and_asks_for_files_before_importing(open_app, project):
    from coding.store import documents as doc_store
    from tests.app.conftest import read_project

    at = open_app("import_files")
    assert not at.exception
    assert any("Files up to 200 MB each" in c.value for c in at.caption)
    assert [t.label for t in at.tabs] == ["Transcripts", "Codings", "Codebook"]
    assert at.text_input(key="imp_coder").value == "ana"  # the codings are the signed-in coder's by default
    for button, message in (("imp_ingest", "Choose one or more transcript files first"),
                            ("imp_import_codings", "Choose a codings CSV"),
                            ("imp_load_codebook", "Choose a codebook file first")):
        at.button(key=button).click().run()
        assert any(message in e.value for e in at.error), (button, [e.value for e in at.error])
    with read_project(project[0]) as store:
        assert len(doc_store.document_names(store)) > 0
