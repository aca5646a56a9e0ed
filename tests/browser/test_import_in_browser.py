"""The Import page in a real browser: files chosen in Streamlit's uploader go into the project as `qcode ingest`,
`qcode import-codings` and `qcode codebook load` would put them, and a file with an error changes nothing.

It runs its own server on a fresh project (a codebook, no transcripts), so the shared browser project keeps its
documents for the other tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from tests.browser.conftest import CHROMIUM, open_view, screenshot, serving, wait_idle
from tests.browser.session import snapshot
from tests.conftest import SAMPLE_CODEBOOK, SAMPLE_TRANSCRIPTS

pytestmark = pytest.mark.browser

BAD_CODINGS = b"document,turn,code\nS01,8,NO_SUCH_CODE\n"
GOOD_CODINGS = b"document,turn,code\nS01,8,TIME_SAVINGS\nS02,4,PILOTS\n"
BAD_CODEBOOK = b"name: Broken\ncodes:\n  - id: A\n    name: [unclosed\n"


@pytest.fixture(scope="module")
def fresh_project(tmp_path_factory) -> Path:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from coding.project_codebook import load_codebook_file
    from coding.store import open_project

    folder = tmp_path_factory.mktemp("import")
    codebook = folder / "codebook.yaml"
    shutil.copy(SAMPLE_CODEBOOK, codebook)
    path = folder / "fresh.duckdb"
    with open_project(path, create=True) as store:
        load_codebook_file(store, codebook)
    return path


@pytest.fixture(scope="module")
def import_url(fresh_project, tmp_path_factory) -> Iterator[str]:
    with serving(fresh_project, tmp_path_factory.mktemp("import-server") / "streamlit.log") as (url, _):
        yield url


def choose_files(page, key: str, files: list[tuple[str, bytes]]) -> None:
    """Put files into the uploader with widget key `key`, as a researcher choosing them would, and let them upload."""
    payload = [{"name": name, "mimeType": "application/octet-stream", "buffer": data} for name, data in files]
    page.locator(f'.st-key-{key} input[type="file"]').set_input_files(payload)
    for name, _ in files:
        page.locator(f'.st-key-{key}').get_by_text(name, exact=True).wait_for()
    wait_idle(page)


def click(page, key: str) -> None:
    page.locator(f".st-key-{key} button").click()
    wait_idle(page)


def outcome(page, section: str) -> str:
    return page.locator(f".st-key-imp_outcome_{section}").inner_text()


def tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    wait_idle(page)


def test_import_transcripts_codings_and_codebooks_by_upload(browser, import_url, fresh_project):
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        open_view(page, import_url, "import_files", coder="ana")
        assert "MB each" in page.locator("text=/Files up to \\d+ MB each/").first.inner_text()

        # Two transcripts and their metadata.
        choose_files(page, "imp_transcripts", [(n, (SAMPLE_TRANSCRIPTS / n).read_bytes())
                                               for n in ("S01.txt", "S02.txt")])
        choose_files(page, "imp_metadata", [("metadata.csv", (SAMPLE_TRANSCRIPTS / "metadata.csv").read_bytes())])
        click(page, "imp_ingest")
        shown = outcome(page, "transcripts")
        assert "S01.txt → S01: added (" in shown and "S02.txt → S02: added (" in shown
        assert "2 of 2 files ingested" in shown
        with snapshot(fresh_project) as store:
            assert doc_store.document_names(store) == ["S01", "S02"]
            assert doc_store.get_document(store, "S02").attributes["district_type"] == "rural"
            s01_turns = len(doc_store.get_turns(store, "S01"))
        assert f"S01: added ({s01_turns} turns" in shown

        # A codings CSV whose row names a code the codebook lacks: located error, nothing recorded.
        tab(page, "Codings")
        choose_files(page, "imp_codings", [("codings.csv", BAD_CODINGS)])
        click(page, "imp_import_codings")
        shown = outcome(page, "codings")
        assert "codings.csv: 0 of 1 rows imported for ana (by turn)" in shown
        assert "not imported: codings.csv, row 2 (code NO_SUCH_CODE): unknown code 'NO_SUCH_CODE'" in shown
        assert "Nothing was imported: the project is as it was." in shown
        with snapshot(fresh_project) as store:
            assert store.conn.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0

        # A valid one: its codings are in the project, and the page says so.
        choose_files(page, "imp_codings", [("good.csv", GOOD_CODINGS)])
        click(page, "imp_import_codings")
        assert "good.csv: 2 of 2 rows imported for ana (by turn)" in outcome(page, "codings")
        with snapshot(fresh_project) as store:
            codings = coding_store.current_codings(store, coder="ana")
        assert sorted((c.document, c.turn, c.code) for c in codings) == [("S01", 8, "TIME_SAVINGS"),
                                                                          ("S02", 4, "PILOTS")]

        # An invalid codebook: the error names the file and line; the project keeps its codebook.
        tab(page, "Codebook")
        choose_files(page, "imp_codebook", [("broken.yaml", BAD_CODEBOOK)])
        click(page, "imp_load_codebook")
        shown = outcome(page, "codebook")
        assert "error: broken.yaml:" in shown and "Nothing was imported" in shown
        with snapshot(fresh_project) as store:
            assert codebook_store.current_codebook(store)[0] == 1

        # A valid one becomes the next version.
        choose_files(page, "imp_codebook", [("mine.yaml", SAMPLE_CODEBOOK.read_bytes())])
        click(page, "imp_load_codebook")
        assert "mine.yaml: codebook '" in outcome(page, "codebook")
        assert "stored as project version 2" in outcome(page, "codebook")
        with snapshot(fresh_project) as store:
            assert codebook_store.current_codebook(store)[0] == 2
        screenshot(page, "import-codebook")

        # The other pages show the new state.
        open_view(page, import_url, "transcripts", coder="ana")
        page.locator(".st-key-tx_document").click()
        assert page.get_by_role("option", name="S02").count() == 1
        page.keyboard.press("Escape")
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()
