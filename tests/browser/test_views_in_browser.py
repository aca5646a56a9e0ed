"""Every view opens in a real browser; a screenshot of each goes to test-output/."""

from __future__ import annotations

import pytest

from tests.browser.conftest import open_view, screenshot

VIEWS = ["overview", "transcripts", "search", "import_files", "themes", "review", "codebook", "analysis", "code",
         "export", "memos"]


@pytest.mark.browser
@pytest.mark.parametrize("view", VIEWS)
def test_each_view_opens_without_an_error(page, app_url, view):
    open_view(page, app_url, view)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").first.is_visible()
    screenshot(page, view)
