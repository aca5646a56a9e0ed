"""Search in a real browser: a filtered text search lists what the library finds, a bad pattern is one line, the
ticked hits are coded as one batch that one Undo takes back, and semantic search runs from a typed sentence and from
Review's "Find passages like this"."""

from __future__ import annotations

import re

import pytest

from coding.embedding.fake import HashEmbedder
from coding.search import SearchFilters
from coding.store import codings as coding_store
from pipelines.search import search_like, search_text
from tests.browser.conftest import open_view, screenshot, wait_idle
from tests.browser.session import snapshot

pytestmark = pytest.mark.browser

CODER = "sol"  # no other browser test codes as sol: the project file is shared by the session
HIT_BOXES = '[class*="st-key-search_hit_"]'
HEADING = re.compile(r"^(\S+) · turn (\d+) · ")


def _search(page, query: str, mode: str | None = None) -> None:
    if mode:
        page.locator(".st-key-search_mode").get_by_text(mode, exact=True).click()
        wait_idle(page)
    box = page.locator(".st-key-search_query input")
    box.fill(query)
    box.press("Enter")
    wait_idle(page)


def _listed(page, selector: str) -> list[tuple[str, int]]:
    """(document, turn) of every hit on screen, in order."""
    found = []
    for text in page.locator(selector).all_inner_texts():
        match = HEADING.search(text.strip())
        assert match, text
        found.append((match.group(1), int(match.group(2))))
    return found


def _hits_summary(page) -> str:
    return page.locator("text=/^\\d+ (hits?|excerpts?) (for|most like)/").first.inner_text()


def test_a_filtered_text_search_lists_the_library_hits_and_a_bad_pattern_is_one_line(page, app_url,
                                                                                     browser_project):
    open_view(page, app_url, "search", coder=CODER)
    _search(page, "budget")
    page.locator(".st-key-search_where").click()
    page.get_by_role("option", name="district_type: rural", exact=True).click()
    page.keyboard.press("Escape")
    wait_idle(page)
    with snapshot(browser_project[0]) as store:
        expected = search_text(store, "budget", filters=SearchFilters(where={"district_type": ["rural"]}))
        unfiltered = search_text(store, "budget").total
    assert 0 < expected.total < unfiltered
    assert _hits_summary(page).startswith(f"{expected.total} hit")
    assert _listed(page, HIT_BOXES) == [(h.document, h.turn) for h in expected.hits]
    marks = page.locator("mark").all_inner_texts()
    assert [m.lower() for m in marks] == ["budget"] * expected.total
    screenshot(page, "search-filtered")

    _search(page, "budget(s", mode="Regular expression")
    errors = page.locator('[data-testid="stAlertContentError"] [data-testid="stMarkdownContainer"]').all_inner_texts()
    assert len(errors) == 1 and "is not a valid regular expression" in errors[0] and "\n" not in errors[0].strip()
    assert page.locator(HIT_BOXES).count() == 0


def test_untick_one_hit_code_the_rest_as_one_batch_and_undo_it(page, app_url, browser_project):
    open_view(page, app_url, "search", coder=CODER)
    _search(page, "privacy")
    boxes = page.locator(HIT_BOXES)
    listed = _listed(page, HIT_BOXES)
    assert len(listed) >= 3
    boxes.nth(1).locator("label").click()  # leave the second hit out
    wait_idle(page)
    page.locator(".st-key-search_code").click()
    page.get_by_role("option", name=re.compile(r"^PRIVACY\b")).first.click()
    wait_idle(page)
    button = page.get_by_role("button", name=re.compile(r"^Code \d+ ticked hits?$"))
    assert button.inner_text() == f"Code {len(listed) - 1} ticked hits"
    screenshot(page, "search-ticked")
    button.click()
    wait_idle(page)
    page.wait_for_selector(f"text=Coded {len(listed) - 1} hits with PRIVACY for {CODER}")
    with snapshot(browser_project[0]) as store:
        hits = search_text(store, "privacy").hits
        wanted = [h for i, h in enumerate(hits) if i != 1]
        codings = coding_store.current_codings(store, coder=CODER)
        batches = store.conn.execute("SELECT DISTINCT batch FROM decisions WHERE coder = ?", [CODER]).fetchall()
    assert sorted((c.document, c.start, c.end, c.code) for c in codings) == sorted(
        (h.document, h.start, h.end, "PRIVACY") for h in wanted)
    assert len(batches) == 1 and batches[0][0]
    screenshot(page, "search-coded")

    page.locator(".st-key-search_undo button").click()
    wait_idle(page)
    page.wait_for_selector(f"text=Undone: {len(wanted)} codings of PRIVACY")
    with snapshot(browser_project[0]) as store:
        assert coding_store.current_codings(store, coder=CODER) == []
        undos = store.conn.execute("SELECT count(*), count(DISTINCT batch) FROM decisions WHERE coder = ? AND"
                                   " action = 'undo'", [CODER]).fetchone()
    assert undos == (len(wanted), 1)  # one step: one batch of undos


def test_semantic_search_from_a_sentence_and_from_an_excerpt_on_review(page, app_url, browser_project):
    sentence = "the grant runs out and the licenses cost too much"
    open_view(page, app_url, "search", coder=CODER)
    _search(page, sentence, mode="Passages like this")
    assert _hits_summary(page).startswith(f"20 excerpts most like “{sentence}”")
    with snapshot(browser_project[0]) as store:
        expected = search_like(store, HashEmbedder(), sentence=sentence)
    heading = '[data-testid="stHtml"]:has-text("similarity")'
    assert _listed(page, heading) == [(h.document, h.turn) for h in expected.hits]

    open_view(page, app_url, "review", coder=CODER)
    shown = page.locator("text=/excerpt \\d+ \\(S\\d+:\\d+:\\d+\\)/").first.inner_text()
    excerpt_id = re.search(r"\((\S+:\d+:\d+)\)", shown).group(1)
    page.get_by_role("link", name="Find passages like this").click()
    page.wait_for_selector("h1:has-text('Search')")
    wait_idle(page)
    assert f"like={excerpt_id}" in page.url.replace("%3A", ":")
    assert _hits_summary(page).startswith(f"20 excerpts most like excerpt {excerpt_id}")
    with snapshot(browser_project[0]) as store:
        like = search_like(store, HashEmbedder(), excerpt_id=excerpt_id)
    assert _listed(page, heading) == [(h.document, h.turn) for h in like.hits]
    assert excerpt_id not in {h.excerpt_id for h in like.hits}
    screenshot(page, "search-like-excerpt")
