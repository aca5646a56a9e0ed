"""Coding in a real browser: decisions persist across a reload, codebook edits reach the YAML file, and transcript
text never runs as code."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import open_view, screenshot, wait_idle
from tests.browser.session import snapshot

pytestmark = pytest.mark.browser


def test_an_accepted_suggestion_is_still_there_after_a_reload(page, app_url):
    open_view(page, app_url, "review", coder="rita")
    shown = page.locator("text=/excerpt \\d+ \\(S\\d+:\\d+:\\d+\\)/").first.inner_text()
    page.locator('[class*="st-key-review_accept_"] button').first.click()
    wait_idle(page)
    page.wait_for_selector("text=1 of 381 excerpts decided by rita")
    page.reload()
    wait_idle(page)
    assert page.locator("text=Coding as").first.is_visible()
    assert page.locator(f"text={shown}").first.is_visible()  # the same excerpt, with its decision
    assert page.locator("text=1 of 381 excerpts decided by rita").is_visible()
    assert page.locator('[class*="st-key-review_uncode_"] button').count() == 1
    screenshot(page, "review-after-accept")


def test_editing_a_definition_in_the_codebook_rewrites_the_yaml(page, app_url, browser_project):
    from coding.store.codebooks import current_codebook

    path, yaml_file = browser_project[0], browser_project[1]
    with snapshot(path) as store:  # other tests of the session may have edited the codebook before this one
        version = current_codebook(store)[0]
    open_view(page, app_url, "codebook", coder="rita")
    page.locator(".st-key-cb_pick_COST button").first.click()
    wait_idle(page)
    definition = page.locator('[class*="st-key-cb_definition_"] textarea')
    definition.fill("Money for AI: licences, subscriptions, and the cliff when the grant ends.")
    page.locator(".st-key-cb_save button").first.click()
    wait_idle(page)
    page.wait_for_selector(f"text=project version {version + 1}")
    assert "the cliff when the grant ends" in yaml_file.read_text(encoding="utf-8")
    screenshot(page, "codebook-after-edit")


def test_a_script_in_a_transcript_is_shown_as_text_and_never_runs(page, app_url):
    open_view(page, app_url, "transcripts")
    page.locator(".st-key-tx_document").click()
    page.get_by_role("option", name="X01").click()
    wait_idle(page)
    # The transcript is drawn by the selection component, in its own frame, from text set as text.
    frame = page.wait_for_selector('iframe[title*="qcode_text_selection"]').content_frame()
    frame.wait_for_selector(".turn .body .seg")
    assert frame.locator("text=<script>window.qcodeHacked = true</script>").first.is_visible()
    assert frame.locator("text=<b>not bold either</b>").first.is_visible()
    assert page.evaluate("() => window.qcodeHacked === undefined")
    assert frame.evaluate("() => window.qcodeHacked === undefined && document.querySelectorAll('.body b').length === 0")
    screenshot(page, "transcripts-hostile")


def _mentions_in_file(path, run_id: int) -> list[str]:
    """The 'Also comes up in' labels the Themes page should show for a run, from the project file."""
    from coding.store.themes import mentions_of_run

    with snapshot(path) as store:
        mentions = mentions_of_run(store, run_id)
    turns: dict[int, set] = {}
    for mention in mentions:
        turns.setdefault(mention.theme, set()).add((mention.document, mention.turn))
    return sorted(f"Also comes up in {len(t)} other turn{'s' if len(t) > 1 else ''}" for t in turns.values())


def _mentions_on_screen(page) -> list[str]:
    shown = page.locator('[data-testid="stExpander"] summary').all_inner_texts()
    found = [re.search(r"Also comes up in \d+ other turns?", text) for text in shown]
    return sorted(match.group(0) for match in found if match)


def test_clustering_runs_in_the_background_and_the_page_shows_the_new_run(page, app_url, browser_project):
    from coding.store.themes import latest_theme_run

    with snapshot(browser_project[0]) as store:  # other tests of the session may have clustered before this one
        latest = latest_theme_run(store).id
    open_view(page, app_url, "themes")
    # where each theme also comes up: the page's counts are the project file's, before and after a new run (the
    # session's first run has some; a new run may have none)
    assert _mentions_on_screen(page) == _mentions_in_file(browser_project[0], latest)
    page.get_by_text("Advanced settings").click()
    page.locator(".st-key-themes_settings_reducer").click()
    page.get_by_role("option", name="pca").click()
    page.locator(".st-key-themes_settings_submit button").first.click()
    page.wait_for_selector(f"text=/Run {latest + 1} ·/", timeout=120_000)
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    screenshot(page, "themes-after-clustering")
    assert _mentions_on_screen(page) == _mentions_in_file(browser_project[0], latest + 1)


def test_two_researchers_code_at_once_from_two_browsers(browser, app_url):
    pages = []
    for coder in ("sam", "tia"):
        context = browser.new_context(viewport={"width": 1400, "height": 1400})
        pages.append(context.new_page())
        open_view(pages[-1], app_url, "review", coder=coder)
    for page in pages:  # click in both before either has finished
        page.locator('[class*="st-key-review_accept_"] button').first.click()
    for page, coder in zip(pages, ("sam", "tia")):
        wait_idle(page)
        page.reload()  # a new session: what it shows comes from the project
        wait_idle(page)
        assert page.locator(f"text=1 of 381 excerpts decided by {coder}").is_visible()
        assert page.locator('[class*="st-key-review_uncode_"] button').count() == 1
    for page in pages:
        page.context.close()


def test_exporting_coded_excerpts_downloads_a_csv(page, app_url, tmp_path):
    open_view(page, app_url, "export")
    page.locator(".st-key-ex_prepare button").first.click()
    wait_idle(page)
    with page.expect_download() as download:
        page.locator(".st-key-ex_download button").first.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".csv"
    assert "TIME_SAVINGS" in saved.read_text(encoding="utf-8-sig")
    screenshot(page, "export-ready")


def test_reviewing_with_the_keyboard(page, app_url):
    open_view(page, app_url, "review", coder="kay")
    first = page.locator("text=/excerpt \\d+ \\(S\\d+:\\d+:\\d+\\)/").first.inner_text()
    page.locator("h1").first.click()  # focus the page, not a widget
    page.keyboard.press("1")
    wait_idle(page)
    page.wait_for_selector("text=1 of 381 excerpts decided by kay")
    page.keyboard.press("n")
    wait_idle(page)
    second = page.locator("text=/excerpt \\d+ \\(S\\d+:\\d+:\\d+\\)/").first.inner_text()
    assert second != first
    page.keyboard.press("x")
    wait_idle(page)
    page.wait_for_selector("text=2 of 381 excerpts decided by kay")
