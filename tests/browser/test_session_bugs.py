"""Issue 15's data-loss bugs, each replayed in a real browser as a researcher would hit it, with the project file
checked after the steps (see tests/browser/session.py)."""

from __future__ import annotations

import pytest

from coding.codebook import load_codebook_yaml
from coding.models import DecisionAction
from coding.review import review_queue
from coding.store import codings as coding_store
from coding.store import suggestions as suggestion_store
from coding.store.codebooks import current_codebook
from tests.browser.conftest import choose_option, open_view, screenshot, wait_idle
from tests.browser.session import decided_counter, key_outcomes, open_review, press_keys, shown_excerpt, snapshot

pytestmark = pytest.mark.browser


def _log(store, coder):
    return [d for d in coding_store.all_decisions(store) if d.coder == coder]


def _excerpts_by_pending(store, wanted):
    """Excerpt ids of the latest run with `wanted(number of suggested codes)`, in document order."""
    run = suggestion_store.latest_suggestion_run(store)
    rows = store.conn.execute(
        "SELECT s.excerpt_id, count(*) FILTER (WHERE s.suggested) FROM suggestions s JOIN excerpts e"
        " ON e.id = s.excerpt_id WHERE s.run_id = ? GROUP BY s.excerpt_id, e.document, e.turn, e.idx"
        " ORDER BY e.document, e.turn, e.idx", [run.id]).fetchall()
    return [excerpt for excerpt, suggested in rows if wanted(suggested)]


def test_bug1_editing_one_code_after_another_shows_and_saves_its_own_values(page, app_url, browser_project):
    path, yaml_file = browser_project
    with snapshot(path) as store:
        version, before = current_codebook(store)
    open_view(page, app_url, "codebook", coder="cora")
    for code_id in ("TIME_SAVINGS", "PRIVACY", "COST", "PRIVACY"):
        page.locator(f".st-key-cb_pick_{code_id} button").first.click()
        wait_idle(page)
        code = before.code(code_id)
        assert page.locator('[class*="st-key-cb_name"] input').input_value() == code.name
        assert page.locator('[class*="st-key-cb_definition"] textarea').input_value() == code.definition
        assert page.locator('[class*="st-key-cb_examples"] textarea').input_value() == "\n".join(code.examples)
    page.locator('[class*="st-key-cb_include"] textarea').fill("Any worry about student data.")
    page.locator(".st-key-cb_save button").first.click()
    wait_idle(page)
    page.wait_for_selector(f"text=project version {version + 1}")
    with snapshot(path) as store:
        after = current_codebook(store)[1]
    assert after.code("PRIVACY").model_dump(exclude={"include"}) == before.code("PRIVACY").model_dump(
        exclude={"include"})
    assert after.code("PRIVACY").include == ("Any worry about student data.",)
    assert load_codebook_yaml(yaml_file).code("PRIVACY").definition == before.code("PRIVACY").definition
    page.locator(".st-key-cb_undo button").first.click()  # the edit is undone in the app
    wait_idle(page)
    page.wait_for_selector(f"text=project version {version + 2}")
    with snapshot(path) as store:
        assert current_codebook(store)[1] == before
    assert load_codebook_yaml(yaml_file).code("PRIVACY").include == before.code("PRIVACY").include
    screenshot(page, "bug1-codebook-edit-after-edit")


def test_bug2_fast_keys_are_each_applied_once(page, app_url, browser_project):
    path = browser_project[0]
    open_review(page, app_url, "fay")
    first = shown_excerpt(page)
    press_keys(page, "1nnnnn", gap_ms=150)
    with snapshot(path) as store:
        log = _log(store, "fay")
        assert [(d.action, d.span.excerpt_id) for d in log] == [(DecisionAction.code, first)]
        # N on the decided excerpt, then four undecided ones skipped: the screen shows the fifth undecided one.
        expected = review_queue(store, "fay", limit=5)[4]
    assert shown_excerpt(page) == expected, key_outcomes(page)
    assert decided_counter(page, "fay")[0] == 1
    press_keys(page, "u", gap_ms=0)
    with snapshot(path) as store:
        assert coding_store.current_codings(store, "fay") == []
    assert shown_excerpt(page) == first
    screenshot(page, "bug2-fast-keys")


def test_bug3_none_of_these_is_undone_as_one_group(page, app_url, browser_project):
    path = browser_project[0]
    with snapshot(path) as store:
        excerpt = _excerpts_by_pending(store, lambda n: n >= 2)[0]
    open_review(page, app_url, "xia", excerpt)
    assert shown_excerpt(page) == excerpt
    press_keys(page, "x", gap_ms=0)
    with snapshot(path) as store:
        rejected = coding_store.current_rejections(store, "xia")
        assert len(rejected) >= 2 and {r[1] for r in rejected} == {excerpt}
        assert len({d.batch for d in _log(store, "xia")}) == 1
    assert decided_counter(page, "xia")[0] == 1
    page.locator(".st-key-review_undo button").first.click()  # one click takes the whole group back
    wait_idle(page)
    with snapshot(path) as store:
        assert coding_store.current_rejections(store, "xia") == []
    assert decided_counter(page, "xia")[0] == 0
    assert page.locator(".st-key-review_none button").first.inner_text() == "None of these"


def test_bug4_nothing_to_code_here_is_a_logged_undoable_decision(page, app_url, browser_project):
    path = browser_project[0]
    with snapshot(path) as store:
        excerpt = _excerpts_by_pending(store, lambda n: n == 0)[0]
    open_review(page, app_url, "noa", excerpt)
    assert page.locator(".st-key-review_none button").first.inner_text() == "Nothing to code here"
    press_keys(page, "x", gap_ms=0)
    with snapshot(path) as store:
        assert [(d.action, d.span.excerpt_id) for d in _log(store, "noa")] == [(DecisionAction.nothing, excerpt)]
        assert excerpt not in review_queue(store, "noa", order="document")
    assert decided_counter(page, "noa")[0] == 1
    press_keys(page, "u", gap_ms=0)
    with snapshot(path) as store:
        assert excerpt in review_queue(store, "noa", order="document")
    assert decided_counter(page, "noa")[0] == 0
    press_keys(page, "x", gap_ms=0)
    page.goto(f"{app_url}/review?coder=noa&excerpt={excerpt}")  # a reload: the decision is in the project
    wait_idle(page)
    page.wait_for_selector("text=nothing to code here")
    assert decided_counter(page, "noa")[0] == 1
    with snapshot(path) as store:
        assert excerpt not in review_queue(store, "noa", order="document")


def test_bug8_the_decided_counter_goes_down_after_an_undo(page, app_url, browser_project):
    open_review(page, app_url, "una")
    for key in "1n1":  # each on the screen it is meant for (a key typed ahead of the screen is refused)
        press_keys(page, key, gap_ms=0)
    assert decided_counter(page, "una")[0] == 2, key_outcomes(page)
    press_keys(page, "u", gap_ms=0)
    assert decided_counter(page, "una")[0] == 1
    press_keys(page, "u", gap_ms=0)
    assert decided_counter(page, "una")[0] == 0
    with snapshot(browser_project[0]) as store:
        assert coding_store.reviewed_excerpts(store, "una") == set()


def test_bug7_frequencies_leave_out_documents_not_yet_coded(page, app_url, tmp_path):
    """Coder lee (of the browser project) coded S01 (suburban) and S02 (rural) only: no urban document. Other tests
    code more as they run, so the analysis is filtered to lee."""
    open_view(page, app_url, "analysis", coder="vic")
    choose_option(page, "an_coders", "lee", typed="lee", exact=True)
    page.keyboard.press("Escape")
    wait_idle(page)
    page.get_by_role("tab", name="By attribute").click()
    wait_idle(page)
    with page.expect_download() as download:
        page.locator('[class*="st-key-an_codes-by-district_type_csv"] button').first.click()
    saved = tmp_path / "by-type.csv"
    download.value.save_as(saved)
    table = saved.read_text(encoding="utf-8")
    assert "0 of 3 (0%)" not in table
    assert "not yet coded (3 documents)" in table  # the urban column: S03, S06, S09
    page.wait_for_selector("text=/Percentages count the 2 of \\d+ documents coded so far/")
    assert page.locator("text=/not yet coded .*S03/").count() == 1


def test_bug6_a_theme_merge_codes_only_the_ticked_members_and_keeps_rejections(page, app_url, browser_project):
    from coding.review import review_item
    from coding.store.codebooks import current_codebook as codebook_now
    from coding.theme_review.actions import theme_listing
    from coding.ui.review_parts import rows

    path = browser_project[0]
    with snapshot(path) as store:
        listing = theme_listing(store)
        members = [m.excerpt_id for m in listing.members[2]]
        first = review_item(store, members[0], "tom", codebook_now(store)[1])
        code = rows(first)[0].code  # a code the Review screen offers to reject on the first member
    open_review(page, app_url, "tom", members[0])
    page.locator(f".st-key-review_reject_{code} button").first.click()
    wait_idle(page)
    open_view(page, app_url, "themes", coder="tom")
    page.get_by_text("Act on this theme").nth(1).click()  # the second theme's card
    wait_idle(page)
    page.get_by_text("a bulk action codes (untick to leave one out)").first.click()
    wait_idle(page)
    run = listing.run.id
    boxes = page.locator(f'[class*="st-key-theme_member_{run}_2_"] label')
    assert boxes.count() == len(members)  # every member is listed, not only the three quotes
    boxes.nth(1).click()  # leave the second member out
    wait_idle(page)
    choose_option(page, f"theme_merge_target_{run}_2", code, typed=code)  # the list is virtual: filter it to the code
    wait_idle(page)
    page.locator(f".st-key-theme_merge_{run}_2 button").first.click()
    wait_idle(page)
    with snapshot(path) as store:
        codings = [c for c in coding_store.current_codings(store, "tom") if c.code == code]
        assert ("tom", members[0], code) in coding_store.current_rejections(store, "tom")
        notes = {d.note for d in _log(store, "tom") if d.action == DecisionAction.code}
    assert sorted(c.excerpt_id for c in codings) == sorted(members[2:])
    assert {c.source.value for c in codings} == {"theme"}
    assert notes == {f"run {listing.run.id} theme 2: merged into {code}"}
    screenshot(page, "bug6-theme-merge")


def test_bug5_a_parent_that_holds_codings_stays_applicable_after_adding_a_child(page, app_url, browser_project):
    path = browser_project[0]
    open_view(page, app_url, "codebook", coder="pia")
    page.get_by_text("Add a code").first.click()
    page.locator(".st-key-cb_new_name input").fill("Planning hours")
    choose_option(page, "cb_new_parent", "TIME_SAVINGS", typed="TIME_SAVINGS")
    page.locator(".st-key-cb_add button").first.click()
    wait_idle(page)
    with snapshot(path) as store:
        assert current_codebook(store)[1].code("PLANNING_HOURS").parent == "TIME_SAVINGS"
    open_review(page, app_url, "pia")
    shown = shown_excerpt(page)
    choose_option(page, "review_other", "TIME_SAVINGS", typed="TIME_SAVINGS")  # still offered, beside its new child
    wait_idle(page)
    page.locator(".st-key-review_apply button").first.click()
    wait_idle(page)
    with snapshot(path) as store:
        assert [(c.excerpt_id, c.code) for c in coding_store.current_codings(store, "pia")] == [
            (shown, "TIME_SAVINGS")]


def test_choosing_a_code_low_in_the_tree_brings_its_edit_form_into_view(page, app_url):
    page.set_viewport_size({"width": 1400, "height": 700})
    open_view(page, app_url, "codebook", coder="sue")
    page.locator(".st-key-cb_pick_VENDORS button").first.click()  # the last code: the page scrolls down to it
    wait_idle(page)
    page.wait_for_function(
        """() => { const el = document.querySelector('[class*="st-key-cb_name_"] input');
                   if (!el) return false; const box = el.getBoundingClientRect();
                   return box.top >= 0 && box.bottom <= window.innerHeight; }""", timeout=10_000)
    assert page.locator('[class*="st-key-cb_name_"] input').input_value() == "Vendors and procurement"
