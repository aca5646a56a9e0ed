"""Whole coding sessions replayed in a real browser (issue 15): many steps of mixed keys and clicks, several codes
edited in a row, undo chains, reloads, a theme merge, and `qcode` commands writing the project while the app is open.
After every step the Review screen is compared with a replay of the project's decision log
(`coding.decisions.replay`, not the app's own queries), so any step that loses, repeats or misreports a decision
fails at that step."""

from __future__ import annotations

import pytest

from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store.codebooks import current_codebook
from tests.browser.conftest import choose_option, open_view, wait_idle
from tests.browser.session import (check_review, open_review, press_keys, qcode, replayed, shown_excerpt, snapshot,
                                   write_quotes_csv)

pytestmark = pytest.mark.browser


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


def _command(page, *args, check=None):
    """A `qcode` command in its own process while the app is open, then the app's next run (a reload)."""
    def act():
        result = qcode(*args)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        if check is not None:
            check(result)
        page.reload()
        wait_idle(page)
    return act


def _run(page, path, coder: str, steps: list) -> None:
    assert len(steps) >= 20
    for number, (name, act) in enumerate(steps, start=1):
        act()
        check_review(page, path, coder, f"step {number} ({name})")


def test_session_of_keys_clicks_undos_reloads_and_commands(page, app_url, browser_project, tmp_path):
    path, coder = browser_project[0], "sol"
    open_review(page, app_url, coder)
    check_review(page, path, coder, "start")
    accept = '[class*="st-key-review_accept_"] button'
    reject = '[class*="st-key-review_reject_"] button:not([disabled])'
    imported: list[str] = []

    def import_codings():
        """COST on the excerpt on screen and two excerpts sol has not decided, by quote, as one batch."""
        on_screen = shown_excerpt(page)
        with snapshot(path) as store:
            excerpts = {e.id: e for e in doc_store.get_excerpts(store)}
            decided = replayed(store, coder)[0]
        chosen = [excerpts[on_screen]] + [e for e in excerpts.values() if e.id != on_screen and e.id not in decided][:2]
        imported[:] = [e.id for e in chosen]
        rows = write_quotes_csv(tmp_path / "sol.csv", [(e.document, "COST", e.text) for e in chosen])

        def check(result):
            assert "3 of 3 rows imported for sol" in result.stdout, result.stdout
        _command(page, "import-codings", rows, "--coder", coder, "--db", path, check=check)()
        with snapshot(path) as store:
            assert {e for e in imported if "COST" in replayed(store, coder)[1].get(e, set())} == set(imported)
    _run(page, path, coder, [
        ("1", _key(page, "1")), ("N", _key(page, "n")), ("2", _key(page, "2")), ("X", _key(page, "x")),
        ("N", _key(page, "n")), ("U", _key(page, "u")), ("U", _key(page, "u")), ("S", _key(page, "s")),
        ("1", _key(page, "1")), ("reload", _reload(page)), ("X", _key(page, "x")), ("N", _key(page, "n")),
        ("1 N 1 N typed fast", _key(page, "1n1n", gap_ms=120)), ("U", _key(page, "u")),
        ("click Accept", _click(page, accept)), ("click Reject", _click(page, reject)), ("reload", _reload(page)),
        ("U", _key(page, "u")), ("N", _key(page, "n")), ("click Undo", _click(page, ".st-key-review_undo button")),
        ("N N N fast", _key(page, "nnn", gap_ms=100)), ("X", _key(page, "x")), ("U U fast", _key(page, "uu", 150)),
        ("reload", _reload(page)), ("X then N", _key(page, "xn", gap_ms=300)),
        ("qcode import-codings for sol", import_codings), ("1", _key(page, "1")), ("N", _key(page, "n")),
        ("qcode undo --coder sol", _command(page, "undo", "--coder", coder, "--db", path)),
        ("U in the app", _key(page, "u")), ("N", _key(page, "n")), ("X", _key(page, "x")),
        ("qcode redo --coder sol", _command(page, "redo", "--coder", coder, "--db", path)),
        ("reload", _reload(page)), ("N", _key(page, "n")),
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
    from coding.theme_review.actions import theme_listing

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
        choose_option(page, f"theme_merge_target_{listing.run.id}_{tid}", "INTEGRITY", typed="INTEGRITY")
        wait_idle(page)
        page.locator(f".st-key-theme_merge_{listing.run.id}_{tid} button").first.click()
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
        choose_option(page, "review_other", "INTEGRITY", typed="INTEGRITY")
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
