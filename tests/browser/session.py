"""Helpers for driving whole review sessions in the browser and checking the project file after each step.

The app holds the project open (DuckDB allows one writing process), so a check reads a snapshot: a copy of the
project file and its write-ahead log, opened beside it. Every decision the app saves is committed to that log first,
so the copy holds exactly what the app has saved."""

from __future__ import annotations

import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from tests.browser.conftest import wait_idle

EXCERPT_CAPTION = re.compile(r"excerpt \d+ \((\S+:\d+:\d+)\)")


@contextmanager
def snapshot(project: Path):
    """The project as the app has saved it so far, opened read-write on a private copy."""
    from coding.store import open_project

    folder = Path(tempfile.mkdtemp(prefix="qcode-snapshot-"))
    copy = folder / project.name
    shutil.copy(project, copy)
    wal = project.with_name(project.name + ".wal")
    if wal.exists():
        shutil.copy(wal, copy.with_name(copy.name + ".wal"))
    try:
        with open_project(copy) as store:
            yield store
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def shown_excerpt(page) -> str | None:
    """The excerpt id the Review screen shows (None when it shows none)."""
    caption = page.locator("text=/excerpt \\d+ \\(S\\d+:\\d+:\\d+\\)/")
    if caption.count() == 0:
        return None
    return EXCERPT_CAPTION.search(caption.first.inner_text()).group(1)


def decided_counter(page, coder: str) -> tuple[int, int]:
    text = page.locator(f"text=/\\d+ of \\d+ excerpts decided by {coder}/").first.inner_text()
    decided, total = re.search(r"(\d+) of (\d+)", text).groups()
    return int(decided), int(total)


def keys_settled(page, timeout: float = 60.0) -> None:
    """Wait until the keyboard has no press waiting for the server and the app has finished drawing."""
    # Without the keyboard frame (an app with button shortcuts only) there is nothing to wait for but the app.
    page.wait_for_function(
        """() => { const f = document.querySelector('iframe[title*="qcode_review_keys"]');
                   if (!f) return true;
                   const s = f.contentDocument && f.contentDocument.querySelector('#status');
                   return s && s.textContent === ''; }""", timeout=int(timeout * 1000))
    wait_idle(page)


def press_keys(page, keys: str, gap_ms: int = 150) -> None:
    """Type `keys` on the page (not in a widget) `gap_ms` apart, as a fast researcher would, then let them settle."""
    page.locator("h1").first.click()
    for key in keys:
        page.keyboard.press(key)
        page.wait_for_timeout(gap_ms)
    keys_settled(page)


def open_review(page, app_url: str, coder: str, excerpt: str | None = None) -> None:
    query = f"?coder={coder}" + (f"&excerpt={excerpt}" if excerpt else "")
    page.goto(f"{app_url}/review{query}")
    wait_idle(page)


def key_outcomes(page) -> str:
    """What the last key presses did, as the Review screen says (for failure messages)."""
    found = page.locator("text=/^Last keys:/")
    return found.first.inner_text() if found.count() else "(no key outcomes shown)"
