"""Helpers for driving whole review sessions in the browser and checking the project file after each step.

The app lets go of the project after a moment without work (DuckDB allows one process at a time), so a check opens
the project file itself, read-only, as soon as the app has let go; the app waits for the check meanwhile."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from coding.decisions import active_decisions, replay
from coding.store import codings as coding_store
from tests.app.project import REPO
from tests.browser.conftest import wait_idle

EXCERPT_CAPTION = re.compile(r"excerpt \d+ \((\S+:\d+:\d+)\)")


@contextmanager
def snapshot(project: Path):
    """The project as the app has saved it so far: the project file, opened read-only once the app lets go of it."""
    from coding.store import open_project

    with open_project(project, read_only=True, wait=60) as store:
        yield store


def qcode_env(wait: float = 60) -> dict[str, str]:
    """The environment of a `qcode` command run beside the app: offline, waiting up to `wait` s for the project."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
           "QCODE_LOCK_WAIT": str(wait)}
    env.pop("QCODE_DB", None)
    return env


def qcode(*args: str | Path, wait: float = 60) -> subprocess.CompletedProcess:
    """A real `qcode` command in a process of its own, as a researcher runs it while the app is open."""
    return subprocess.run([sys.executable, "-m", "coding.cli.main", *map(str, args)], cwd=REPO, capture_output=True,
                          text=True, timeout=300, env=qcode_env(wait))


def write_quotes_csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A codings CSV by quoted segment: (document, code, segment) rows."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["document", "code", "segment"])
        writer.writerows(rows)
    return path


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


def replayed(store, coder: str) -> tuple[set[str], dict[str, set[str]], dict[str, set[str]], set[str]]:
    """From the log alone: excerpts with a decision in force, codes applied and rejected per excerpt, and the
    excerpts marked "nothing to code here"."""
    log = coding_store.all_decisions(store)
    excerpts = {r[0] for r in store.conn.execute("SELECT id FROM excerpts").fetchall()}
    mine = [d for d in active_decisions(log) if d.coder == coder and d.span and d.span.excerpt_id]
    decided = {d.span.excerpt_id for d in mine} & excerpts
    codings, rejections = replay(log)
    applied: dict[str, set[str]] = {}
    for c in codings.values():
        if c.coder == coder and c.excerpt_id:
            applied.setdefault(c.excerpt_id, set()).add(c.code)
    rejected: dict[str, set[str]] = {}
    for (who, excerpt, code) in rejections:
        if who == coder:
            rejected.setdefault(excerpt, set()).add(code)
    nothing = {d.span.excerpt_id for d in mine if d.action.value == "nothing"}
    return decided, applied, rejected, nothing


def _codes_with(page, prefix: str, disabled: bool = False) -> set[str]:
    selector = f'[class*="st-key-{prefix}"] button' + ("[disabled]" if disabled else "")
    found = set()
    for button in page.locator(selector).all():
        classes = button.locator("xpath=ancestor::*[contains(@class, 'st-key-')][1]").get_attribute("class")
        key = next(c for c in classes.split() if c.startswith(f"st-key-{prefix}"))
        found.add(key.removeprefix(f"st-key-{prefix}"))
    return found


def check_review(page, path: Path, coder: str, step: str) -> None:
    """The Review screen agrees with the replayed log: the counter, and the excerpt's applied and rejected codes."""
    with snapshot(path) as store:
        decided, applied, rejected, nothing = replayed(store, coder)
        if len(decided) != len(coding_store.reviewed_excerpts(store, coder)):
            raise AssertionError(f"{step}: the queue's idea of decided excerpts differs from the replayed log")
    where = f"{step} ({key_outcomes(page)})"
    assert decided_counter(page, coder)[0] == len(decided), where
    excerpt = shown_excerpt(page)
    if excerpt is None:
        return
    assert _codes_with(page, "review_uncode_") == applied.get(excerpt, set()), where
    shown_codes = _codes_with(page, "review_reject_")
    assert _codes_with(page, "review_reject_", disabled=True) == rejected.get(excerpt, set()) & shown_codes, where
    marked = page.locator("text=You marked this excerpt: nothing to code here").count() == 1
    assert marked == (excerpt in nothing), where


def key_outcomes(page) -> str:
    """What the last key presses did, as the Review screen says (for failure messages)."""
    found = page.locator("text=/^Last keys:/")
    return found.first.inner_text() if found.count() else "(no key outcomes shown)"
