"""Memos and every quote of a code in a real browser: a memo of each kind (project, document, code, coding, theme) is
added, edited and deleted where its object is shown, and the project file holds each step; an undo takes an edit
back. A code's quotes open from the codebook tree, filter by coder, and two ticked quotes make a DOCX quote bank."""

from __future__ import annotations

import io
import re

import pytest

from coding.memos.model import PROJECT, MemoTarget, TargetKind
from tests.browser.conftest import open_view, screenshot, wait_idle
from tests.browser.session import snapshot

pytestmark = pytest.mark.browser

CODER = "mona"
QUOTED_CODE = "TRAINING"


def _memos_on(project, target: MemoTarget):
    from coding.memos.actions import memos

    with snapshot(project) as store:
        return memos(store, target)


def _panel_key(target: MemoTarget) -> str:
    from coding.ui.memo_parts import panel_key

    return panel_key(target)


def _open_expander(page, title: str) -> None:
    page.get_by_text(title, exact=True).first.click()
    wait_idle(page)


def _add_edit_delete(page, project, target: MemoTarget, kind: str) -> None:
    """Add a memo on `target` through its panel, edit it, delete it; the project file holds each step."""
    key = _panel_key(target)
    title, text = f"{kind} memo by {CODER}", f"First thoughts on this {kind}: *tentative*."
    page.locator(f".st-key-{key}_title input").fill(title)
    page.locator(f".st-key-{key}_text textarea").fill(text)
    page.locator(f".st-key-{key}_add_button button").click()
    wait_idle(page)
    [added] = _memos_on(project, target)
    assert (added.title, added.text, added.author, added.target.kind) == (title, text, CODER, target.kind)
    card = page.locator(f".st-key-memo_card_{added.id}")
    assert card.get_by_text("tentative").first.is_visible()  # the Markdown is rendered (emphasis, not asterisks)

    card.get_by_role("button", name="Edit").click()
    wait_idle(page)
    card.locator("textarea").fill(f"Second thoughts on this {kind}.")
    card.get_by_role("button", name="Save memo").click()
    wait_idle(page)
    [edited] = _memos_on(project, target)
    assert (edited.id, edited.title, edited.text) == (added.id, title, f"Second thoughts on this {kind}.")
    assert card.get_by_text(f"Second thoughts on this {kind}.").is_visible()

    card.get_by_role("button", name="Delete").click()
    wait_idle(page)
    card.get_by_role("button", name="Yes, delete").click()
    wait_idle(page)
    assert _memos_on(project, target) == []
    assert page.locator(f".st-key-memo_card_{added.id}").count() == 0


def test_project_memo_added_edited_undone_and_deleted_on_the_memos_page(page, app_url, browser_project):
    project = browser_project[0]
    open_view(page, app_url, "memos", coder=CODER)
    key = _panel_key(PROJECT)
    page.locator(f".st-key-{key}_title input").fill("Sampling plan")
    page.locator(f".st-key-{key}_text textarea").fill("Rural districts first. ![map](https://example.com/map.png)")
    page.locator(f".st-key-{key}_add_button button").click()
    wait_idle(page)
    [memo] = _memos_on(project, PROJECT)
    card = page.locator(f".st-key-memo_card_{memo.id}")
    card.get_by_role("button", name="Edit").click()
    wait_idle(page)
    card.locator("textarea").fill("Urban districts first.")
    card.get_by_role("button", name="Save memo").click()
    wait_idle(page)
    assert _memos_on(project, PROJECT)[0].text == "Urban districts first."
    page.locator(f".st-key-{key}_undo button").first.click()  # takes the edit back, not the memo
    wait_idle(page)
    [undone] = _memos_on(project, PROJECT)
    assert (undone.id, undone.text) == (memo.id, "Rural districts first. ![map](https://example.com/map.png)")
    assert card.get_by_text("Rural districts first.").is_visible()
    # the image is a link to its address: the browser never fetches it
    assert card.locator('img[src*="example.com"]').count() == 0
    assert card.locator('a[href="https://example.com/map.png"]').count() == 1
    # the table of every memo lists it
    assert page.locator('[data-testid="stDataFrame"]').count() == 1
    card.get_by_role("button", name="Delete").click()
    wait_idle(page)
    card.get_by_role("button", name="Yes, delete").click()
    wait_idle(page)
    assert _memos_on(project, PROJECT) == []
    assert page.locator('[data-testid="stException"]').count() == 0


def test_document_memo_on_transcripts(page, app_url, browser_project):
    from coding.annotated import filter_documents

    with snapshot(browser_project[0]) as store:
        document = filter_documents(store)[0]  # the one Transcripts shows first
    open_view(page, app_url, "transcripts", coder=CODER)
    _open_expander(page, "Memos on this document")
    _add_edit_delete(page, browser_project[0], MemoTarget(kind=TargetKind.document, ref=document), "document")


def test_theme_memo_on_a_theme_card(page, app_url, browser_project):
    from coding.store.themes import latest_theme_run, themes_of_run

    with snapshot(browser_project[0]) as store:
        run = latest_theme_run(store)
        first = min(themes_of_run(store, run.id), key=lambda t: (t.parent or 0, t.theme))
    open_view(page, app_url, "themes", coder=CODER)
    _open_expander(page, "Memos on this theme")  # the first card's
    _add_edit_delete(page, browser_project[0], MemoTarget(kind=TargetKind.theme, ref=f"{run.id}:{first.theme}"),
                     "theme")


def test_code_and_coding_memos_on_the_quotes_page(page, app_url, browser_project):
    project = browser_project[0]
    page.goto(f"{app_url}/code?coder={CODER}&code={QUOTED_CODE}")
    wait_idle(page)
    _open_expander(page, "Memos on this code")
    _add_edit_delete(page, project, MemoTarget(kind=TargetKind.code, ref=QUOTED_CODE), "code")
    row = page.locator('[class*="st-key-qp_row_"]').first
    decision_id = re.search(r"st-key-qp_row_(\d+)", row.get_attribute("class")).group(1)
    row.get_by_text("Memos (0)").click()
    wait_idle(page)
    _add_edit_delete(page, project, MemoTarget(kind=TargetKind.coding, ref=decision_id), "coding")
    screenshot(page, "quotes-coding-memo")


def test_quotes_open_from_the_codebook_filter_by_coder_and_make_a_quote_bank(page, app_url, browser_project):
    import docx

    from coding.store.codings import current_codings

    project = browser_project[0]
    open_view(page, app_url, "codebook", coder=CODER)
    page.locator(f'a[href*="code={QUOTED_CODE}"]').first.click()
    wait_idle(page)
    assert f"code={QUOTED_CODE}" in page.url
    assert page.locator("h1").first.inner_text() == "Quotes"
    with snapshot(project) as store:
        codings = {c.decision_id: c for c in current_codings(store) if c.code == QUOTED_CODE}
    assert {c.coder for c in codings.values()} == {"lee", "kim"}
    shown = page.locator('[class*="st-key-qp_row_"]')
    assert shown.count() == len(codings)

    page.locator(f".st-key-qp_coders_{QUOTED_CODE}_0").click()
    page.get_by_role("option", name="lee").click()
    page.keyboard.press("Escape")
    wait_idle(page)
    lees = sorted(i for i, c in codings.items() if c.coder == "lee")
    assert shown.count() == len(lees) >= 2
    ids = [int(re.search(r"qp_row_(\d+)", shown.nth(i).get_attribute("class")).group(1)) for i in range(len(lees))]
    assert sorted(ids) == lees  # every quote shown is lee's, and all of lee's are shown
    chosen = ids[:2]
    for decision_id in chosen:
        page.locator(f".st-key-qp_pick_{decision_id} label").click()
        wait_idle(page)
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Add to quote bank")).click()
    data = open(download.value.path(), "rb").read()
    quotes = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.style.name == "Quote"]
    assert sorted(quotes) == sorted(codings[i].text for i in chosen)
    assert project.stat().st_size > 0 and download.value.suggested_filename == f"quote-bank-{QUOTED_CODE}.docx"
    screenshot(page, "quotes-filtered")
