"""Every view opens in a real browser without an error (a screenshot of each goes to test-output/), and the app
makes no request outside the machine: Chromium opens every view (and every Analysis tab) while every request it makes
is recorded, and any that leaves localhost fails the test. Requests to other hosts are answered with an abort at once,
so a regression shows up as a failure, not as a wait for the network. The page itself is checked too: no link,
script, image or frame points off the machine (the page icon is a <link> that a headless browser may not fetch).
One visit per view does both checks."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import open_view, screenshot, wait_idle

VIEWS = ["overview", "transcripts", "search", "import_files", "themes", "review", "codebook", "analysis", "code",
         "export", "memos"]

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
NO_NETWORK_SCHEMES = {"data", "blob", "about", "javascript"}
RESOURCE_URLS = """() => Array.from(document.querySelectorAll(
    'link[href], script[src], img[src], iframe[src], source[src], video[src], audio[src], embed[src], object[data]'))
  .map(e => e.href || e.src || e.data)"""


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in NO_NETWORK_SCHEMES or (parts.scheme in ("http", "https", "ws", "wss")
                                                  and parts.hostname in LOCAL_HOSTS)


def test_is_local_tells_the_machine_from_the_internet():
    assert is_local("http://127.0.0.1:8501/static/js/main.js") and is_local("ws://localhost:8501/_stcore/stream")
    assert is_local("data:image/svg+xml;base64,AAAA") and is_local("blob:http://127.0.0.1:8501/x")
    assert not is_local("https://fonts.gstatic.com/s/i/short-term/release/materialsymbolsrounded/label/24px.svg")
    assert not is_local("https://cdn.jsdelivr.net/npm/vega@5") and not is_local("http://127.0.0.1.evil.org/")


@pytest.fixture
def recorded(browser):
    """A browser context that records every URL it requests and aborts those that would leave the machine."""
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    urls: list[str] = []
    context.on("request", lambda request: urls.append(request.url))

    def route(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page, urls
    context.close()


@pytest.mark.browser
def test_every_view_opens_without_an_error_and_makes_no_request_outside_the_machine(recorded, app_url):
    page, urls = recorded
    referenced: list[str] = []
    for view in VIEWS:
        open_view(page, app_url, view)
        assert page.locator('[data-testid="stException"]').count() == 0, view
        assert page.locator("h1").first.is_visible(), view
        screenshot(page, view)
        if view == "analysis":
            tabs = page.get_by_role("tab").all()
            assert len(tabs) == 5  # Frequencies, By attribute, Co-occurrence, By document, Agreement
            for tab in tabs:
                tab.click()
                wait_idle(page)
        page.wait_for_timeout(500)  # late requests (icons, fonts) of this view
        referenced += page.evaluate(RESOURCE_URLS)
    assert any(urlsplit(url).hostname in LOCAL_HOSTS for url in urls)  # the recording works
    outside = sorted({url for url in urls if not is_local(url)})
    assert outside == [], outside
    pointing_out = sorted({url for url in referenced if url and not is_local(url)})
    assert pointing_out == [], pointing_out
