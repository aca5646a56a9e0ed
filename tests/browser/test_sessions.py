"""Whole coding sessions replayed in a real browser (issue 15): many steps of mixed keys and clicks, several codes
edited in a row, undo chains, reloads and a theme merge. After every step the Review screen is compared with a
replay of the project's decision log (`coding.decisions.replay`, not the app's own queries), so any step that
loses, repeats or misreports a decision fails at that step."""

from __future__ import annotations

import pytest

from coding.decisions import active_decisions, replay
from coding.store import codings as coding_store
from coding.store.codebooks import current_codebook
from tests.browser.conftest import open_view, wait_idle
from tests.browser.session import decided_counter, key_outcomes, open_review, press_keys, shown_excerpt, snapshot

pytestmark = pytest.mark.browser


def _replayed(store, coder: str) -> tuple[set[str], dict[str, set[str]], dict[str, set[str]], set[str]]:
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


def check_review(page, path, coder: str, step: str) -> None:
    """The Review screen agrees with the replayed log: the counter, and the excerpt's applied and rejected codes."""
    with snapshot(path) as store:
        decided, applied, rejected, nothing = _replayed(store, coder)
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


def _key(page, keys: str, gap_ms: int = 0):
    return lambda: press_keys(page, keys, gap_ms=gap_ms)


def _click(page, selector: str):
    def act():
        page.locator(selector).first.click()
        wait_idle(page)
    return act


def _reload(page):
    def act():
        page.reload()
        wait_idle(page)
    return act


def _run(page, path, coder: str, steps: list) -> None:
    assert len(steps) >= 20
    for number, (name, act) in enumerate(steps, start=1):
        act()
        check_review(page, path, coder, f"step {number} ({name})")


def test_session_of_keys_clicks_undos_and_reloads(page, app_url, browser_project):
    path, coder = browser_project[0], "sol"
    open_review(page, app_url, coder)
    check_review(page, path, coder, "start")
    accept = '[class*="st-key-review_accept_"] button'
    reject = '[class*="st-key-review_reject_"] button:not([disabled])'
    _run(page, path, coder, [
        ("1", _key(page, "1")), ("N", _key(page, "n")), ("2", _key(page, "2")), ("X", _key(page, "x")),
        ("N", _key(page, "n")), ("U", _key(page, "u")), ("U", _key(page, "u")), ("S", _key(page, "s")),
        ("1", _key(page, "1")), ("reload", _reload(page)), ("X", _key(page, "x")), ("N", _key(page, "n")),
        ("1 N 1 N typed fast", _key(page, "1n1n", gap_ms=120)), ("U", _key(page, "u")),
        ("click Accept", _click(page, accept)), ("click Reject", _click(page, reject)), ("reload", _reload(page)),
        ("U", _key(page, "u")), ("N", _key(page, "n")), ("click Undo", _click(page, ".st-key-review_undo button")),
        ("N N N fast", _key(page, "nnn", gap_ms=100)), ("X", _key(page, "x")), ("U U fast", _key(page, "uu", 150)),
        ("reload", _reload(page)), ("X then N", _key(page, "xn", gap_ms=300)),
    ])


def test_session_editing_several_codes_in_a_row_between_reviews(page, app_url, browser_project):
    path, coder = browser_project[0], "cam"
    edited: dict[str, str] = {}

    def edit(code_id: str, definition: str):
        def act():
            open_view(page, app_url, "codebook", coder=coder)
            page.locator(f".st-key-cb_pick_{code_id} button").first.click()
            wait_idle(page)
            with snapshot(path) as store:
                saved = current_codebook(store)[1].code(code_id)
            # the form shows this code's own saved values, whatever was edited before
            assert page.locator('[class*="st-key-cb_name"] input').input_value() == saved.name
            assert page.locator('[class*="st-key-cb_definition"] textarea').input_value() == saved.definition
            page.locator('[class*="st-key-cb_definition"] textarea').fill(definition)
            page.locator(".st-key-cb_save button").first.click()
            wait_idle(page)
            edited[code_id] = definition
            with snapshot(path) as store:
                codebook = current_codebook(store)[1]
            for other, text in edited.items():
                assert codebook.code(other).definition == text, other
            open_review(page, app_url, coder)
        return act

    def undo_edit(code_id: str):
        def act():
            open_view(page, app_url, "codebook", coder=coder)
            page.locator(".st-key-cb_undo button").first.click()
            wait_idle(page)
            edited.pop(code_id)
            with snapshot(path) as store:
                codebook = current_codebook(store)[1]
            assert all(codebook.code(c).definition == text for c, text in edited.items())
            assert codebook.code(code_id).definition != "third edit"
            open_review(page, app_url, coder)
        return act

    open_review(page, app_url, coder)
    _run(page, path, coder, [
        ("1", _key(page, "1")), ("edit COST", edit("COST", "first edit")), ("N", _key(page, "n")),
        ("edit PRIVACY", edit("PRIVACY", "second edit")), ("2", _key(page, "2")),
        ("edit TRAINING", edit("TRAINING", "third edit")), ("undo the TRAINING edit", undo_edit("TRAINING")),
        ("X", _key(page, "x")), ("U", _key(page, "u")), ("U", _key(page, "u")), ("U", _key(page, "u")),
        ("N", _key(page, "n")), ("1", _key(page, "1")), ("reload", _reload(page)), ("S", _key(page, "s")),
        ("edit COST again", edit("COST", "fourth edit")), ("X", _key(page, "x")), ("N", _key(page, "n")),
        ("1 typed twice", _key(page, "11", gap_ms=80)), ("U", _key(page, "u")), ("reload", _reload(page)),
    ])


def test_session_with_a_theme_merge_and_undo_chains(page, app_url, browser_project):
    from coding.theme_actions import theme_listing

    path, coder = browser_project[0], "mel"
    with snapshot(path) as store:
        listing = theme_listing(store)  # the latest run (another test may have clustered again)
        sizes = [len(listing.members.get(t.theme, [])) for t in listing.themes]
        position = sizes.index(max(sizes))  # the largest theme, as the page lists them
        tid = listing.themes[position].theme
        members = [m.excerpt_id for m in listing.members[tid]]

    def merge():
        open_view(page, app_url, "themes", coder=coder)
        page.get_by_text("Act on this theme").nth(position).click()
        wait_idle(page)
        page.locator(f".st-key-theme_merge_target_{tid}").click()
        page.keyboard.type("INTEGRITY")
        page.get_by_role("option", name="INTEGRITY").first.click()
        wait_idle(page)
        page.locator(f".st-key-theme_merge_{tid} button").first.click()
        wait_idle(page)
        with snapshot(path) as store:
            coded = {c.excerpt_id for c in coding_store.current_codings(store, coder) if c.code == "INTEGRITY"}
        assert set(members) - coded <= rejected_integrity()  # only a rejection keeps a member uncoded
        open_review(page, app_url, coder, members[0])

    def rejected_integrity() -> set[str]:
        with snapshot(path) as store:
            return {e for _, e, code in coding_store.current_rejections(store, coder) if code == "INTEGRITY"}

    def reject_integrity_on_first():
        open_review(page, app_url, coder, members[1])
        page.locator(".st-key-review_other").click()
        page.keyboard.type("INTEGRITY")
        page.get_by_role("option", name="INTEGRITY").first.click()
        wait_idle(page)
        page.locator(".st-key-review_apply button").first.click()
        wait_idle(page)
        page.locator(".st-key-review_reject_INTEGRITY button").first.click()
        wait_idle(page)

    open_review(page, app_url, coder)
    _run(page, path, coder, [
        ("1", _key(page, "1")), ("N", _key(page, "n")), ("reject INTEGRITY on a member", reject_integrity_on_first),
        ("merge the theme into INTEGRITY", merge), ("N", _key(page, "n")), ("2", _key(page, "2")),
        ("U (the 2)", _key(page, "u")), ("U (the whole merge)", _key(page, "u")), ("reload", _reload(page)),
        ("N", _key(page, "n")), ("X", _key(page, "x")), ("U", _key(page, "u")),
        ("merge again", merge), ("S", _key(page, "s")), ("1", _key(page, "1")), ("N N fast", _key(page, "nn", 120)),
        ("click Undo", _click(page, ".st-key-review_undo button")), ("reload", _reload(page)),
        ("U", _key(page, "u")), ("X", _key(page, "x")), ("N", _key(page, "n")),
    ])
