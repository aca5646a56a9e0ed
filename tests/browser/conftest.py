"""The browser suite: `streamlit run app.py` on a free localhost port over a project built from the sample
interviews (fake embedder), driven by Debian's Chromium through Playwright. Skips when Chromium is absent."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.app.project import REPO, build_sample_project, fake_theme_run

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / "test-output"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not start within {timeout} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def browser_project(tmp_path_factory) -> tuple[Path, Path]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    pytest.importorskip("playwright.sync_api")
    built = build_sample_project(tmp_path_factory.mktemp("browser"))
    _add_codings_and_themes(built[0])
    return built


def _add_codings_and_themes(path: Path) -> None:
    """Two coders' codings of S01 and S02 and a theme run, so that Analysis and Themes have something to show."""
    from coding.review import code_excerpt
    from coding.store import open_project
    from coding.store import documents as doc_store

    with open_project(path) as store:
        codes = ["TIME_SAVINGS", "TRAINING", "POLICY", "COST", "PRIVACY", "INTEGRITY"]
        for document in ("S01", "S02"):
            for i, excerpt in enumerate(doc_store.get_excerpts(store, document)[:12]):
                code_excerpt(store, "lee", excerpt.id, codes[i % len(codes)])
                code_excerpt(store, "kim", excerpt.id, codes[(i + (i % 3 == 0)) % len(codes)])
        fake_theme_run(store)
        store.conn.execute("CHECKPOINT")


def start_app(db: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """`streamlit run app.py` over project `db` on a free localhost port, output to `log`; (server, url) once it
    answers its health check."""
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.pop("QCODE_DB", None)
    command = [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none", "--", "--db", str(db)]
    with log.open("w") as handle:
        server = subprocess.Popen(command, cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server, log)
    except BaseException:
        stop_app(server)
        raise
    return server, url


def stop_app(server: subprocess.Popen, timeout: float = 10) -> None:
    server.terminate()
    try:
        server.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.kill()


@contextmanager
def serving(db: Path, log: Path, stop_timeout: float = 10) -> Iterator[tuple[str, subprocess.Popen]]:
    """The app serving `db` for the length of the block: (url, server)."""
    server, url = start_app(db, log)
    try:
        yield url, server
    finally:
        stop_app(server, stop_timeout)


@pytest.fixture(scope="session")
def app_url(browser_project, tmp_path_factory) -> Iterator[str]:
    with serving(browser_project[0], tmp_path_factory.mktemp("server") / "streamlit.log") as (url, _):
        yield url


@pytest.fixture(scope="session")
def browser(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    opened = context.new_page()
    opened.set_default_timeout(20_000)
    yield opened
    context.close()


def open_view(page, app_url: str, view: str, coder: str | None = "ana") -> None:
    """Go to a view (its url path) as `coder` and wait until the script has finished drawing it."""
    query = f"?coder={coder}" if coder else ""
    path = "" if view == "overview" else view  # the default page lives at the root
    page.goto(f"{app_url}/{path}{query}")
    wait_idle(page)


def wait_idle(page, settle: float = 0.8, timeout: float = 60.0) -> None:
    """Streamlit is done when the page has its title and no script has been running for `settle` seconds (the
    running indicator only appears after a short delay, so one quiet moment is not enough)."""
    page.wait_for_selector("h1", timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    quiet_since: float | None = None
    while time.monotonic() < deadline:
        busy = page.locator('[data-testid="stStatusWidgetRunningIcon"], [data-testid="stSkeleton"]').count() > 0
        now = time.monotonic()
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= settle:
            return
        page.wait_for_timeout(100)
    raise TimeoutError("the app was still running after {timeout} s")


def choose_option(page, key: str, name, typed: str | None = None, exact: bool = False, tries: int = 3) -> None:
    """Open the select box with widget key `key`, type `typed` to filter its (virtual) list, and click the first
    option named `name`. A list that re-renders under the pointer (seen on a loaded machine: "element is not
    stable", then "detached") is closed and opened again, up to `tries` times."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(tries):
        page.locator(f".st-key-{key}").click()
        if typed:
            page.keyboard.type(typed)
        try:
            page.get_by_role("option", name=name, exact=exact).first.click(timeout=8_000)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
            page.keyboard.press("Escape")
            wait_idle(page)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target
