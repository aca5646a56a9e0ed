"""Coding any span in Transcripts: a selection made in the text component (across a turn boundary, and inside an
interviewer turn) is coded, stays highlighted after a reload, and the page's undo takes it back; the project file is
checked at each step."""

from __future__ import annotations

import pytest

from coding.models import SpeakerRole
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from tests.browser.conftest import open_view, screenshot, wait_idle
from tests.browser.session import snapshot

pytestmark = pytest.mark.browser

DOCUMENT = "S03"  # no other browser test codes it
CODE = "COST"

# Select from `skip` characters into turn `first` to `keep` characters into turn `last`, the way a mouse does: a DOM
# Range between two text nodes of the component, then the mouseup the component listens to. Returns the text the
# browser says is selected.
SELECT = """([first, skip, last, keep]) => {
  const node = (turn, at) => {
    for (const seg of document.querySelectorAll(`.turn[data-turn="${turn}"] .body .seg`)) {
      const length = seg.firstChild.data.length;
      if (at <= length) return [seg.firstChild, at];
      at -= length;
    }
    throw new Error("offset past the turn");
  };
  const range = document.createRange();
  range.setStart(...node(first, skip));
  range.setEnd(...node(last, keep));
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  document.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
  return selection.toString();
}"""


def _frame(page):
    handle = page.wait_for_selector('iframe[title*="qcode_text_selection"]')
    frame = handle.content_frame()
    frame.wait_for_selector(".turn .body .seg")
    return frame


def _open_document(page, app_url, coder: str):
    open_view(page, app_url, "transcripts", coder=coder)
    page.locator(".st-key-tx_document").click()
    page.get_by_role("option", name=DOCUMENT, exact=True).click()
    wait_idle(page)
    return _frame(page)


def _turns(browser_project):
    with snapshot(browser_project[0]) as store:
        return doc_store.get_turns(store, DOCUMENT), doc_store.get_document(store, DOCUMENT).text


def _codings(browser_project, coder: str):
    with snapshot(browser_project[0]) as store:
        return [(c.document, c.start, c.end, c.turn, c.code, c.text)
                for c in coding_store.current_codings(store, coder=coder)]


def _code_selection(page) -> None:
    page.locator(".st-key-tx_code").click()
    page.get_by_role("option", name=CODE).first.click()
    page.locator(".st-key-tx_code_selection button").first.click()
    wait_idle(page)


def _select_code_reload_undo(page, app_url, browser_project, coder, first, skip, last, keep, name):
    turns, text = _turns(browser_project)
    by_number = {t.number: t for t in turns}
    start, end = by_number[first].start + skip, by_number[last].start + keep
    selected_text = text[start:end]
    start += len(selected_text) - len(selected_text.lstrip())  # a selection's outer spaces are not coded
    end -= len(selected_text) - len(selected_text.rstrip())
    frame = _open_document(page, app_url, coder)
    selected = frame.evaluate(SELECT, [first, skip, last, keep])
    wait_idle(page)
    assert "\n" in selected if first != last else selected == selected_text
    page.wait_for_selector(f"text=characters {start}-{end}")  # the panel shows what will be coded
    _code_selection(page)
    assert _codings(browser_project, coder) == [(DOCUMENT, start, end, first, CODE, text[start:end])]

    page.reload()
    wait_idle(page)
    frame = _open_document(page, app_url, coder) if page.locator(".st-key-tx_document").count() else _frame(page)
    with snapshot(browser_project[0]) as store:
        [coding] = coding_store.current_codings(store, coder=coder)
    highlighted = frame.evaluate(
        """(id) => Array.from(document.querySelectorAll('.seg.coded'))
                     .filter(s => s.dataset.codings.split(',').includes(String(id)))
                     .map(s => [Number(s.dataset.start), s.textContent, getComputedStyle(s).backgroundColor])""",
        coding.decision_id)
    assert "".join(part for _, part, _ in highlighted) == text[start:end].replace(
        text[by_number[first].end:by_number[last].start], "")  # the speech in it, without the speaker labels
    assert highlighted[0][0] == start and all(color != "rgba(0, 0, 0, 0)" for *_, color in highlighted)
    assert frame.locator(f'[data-testid="coding-chip"]:has-text("· {coder}")').count() == 1
    screenshot(page, f"span-coding-{name}")

    frame.locator(f'.seg.coded[data-codings~="{coding.decision_id}"]').first.click()  # opens the coding
    wait_idle(page)
    page.wait_for_selector(f".st-key-tx_remove_{coding.decision_id}")
    assert frame.locator(".chip.chosen").count() == 1

    page.locator(".st-key-tx_undo button").first.click()
    wait_idle(page)
    assert _codings(browser_project, coder) == []
    frame = _frame(page)
    frame.wait_for_function("(c) => !document.body.innerText.includes('· ' + c)", arg=coder)
    assert frame.locator(f'[data-testid="coding-chip"]:has-text("· {coder}")').count() == 0


def test_a_selection_across_a_turn_boundary_is_coded_kept_and_undone(page, app_url, browser_project):
    turns, _ = _turns(browser_project)
    # A respondent turn followed by an interviewer turn: the selection runs from one into the other.
    pairs = [(a, b) for a, b in zip(turns, turns[1:])
             if a.role == SpeakerRole.respondent and b.role == SpeakerRole.interviewer and len(a.text) > 30]
    first, second = pairs[0]
    _select_code_reload_undo(page, app_url, browser_project, "spanner", first.number, len(first.text) - 25,
                             second.number, 12, "across-turns")


def test_a_selection_inside_an_interviewer_turn_is_coded_kept_and_undone(page, app_url, browser_project):
    turns, _ = _turns(browser_project)
    asked = [t for t in turns if t.role == SpeakerRole.interviewer and len(t.text) > 40][1]
    _select_code_reload_undo(page, app_url, browser_project, "asker", asked.number, 5, asked.number, 30,
                             "interviewer-turn")


# The component alone, in a page of its own (it then talks to itself as its parent): what a selection reports.
HARNESS = """async ([args, first, skip, last, keep]) => {
  const values = [];
  window.addEventListener("message", e => {
    if (e.data && e.data.type === "streamlit:setComponentValue") values.push(e.data.value);
  });
  window.postMessage({type: "streamlit:render", args: args}, "*");
  await new Promise(r => setTimeout(r, 50));
  const node = (turn, at) => {
    for (const seg of document.querySelectorAll(`.turn[data-turn="${turn}"] .body .seg`)) {
      const length = seg.firstChild.data.length;
      if (at <= length) return [seg.firstChild, at];
      at -= length;
    }
  };
  const range = document.createRange();
  if (first === 0) range.setStart(document.querySelector('.turn[data-turn="2"] .head'), 0);
  else range.setStart(...node(first, skip));
  range.setEnd(...node(last, keep));
  window.getSelection().removeAllRanges();
  window.getSelection().addRange(range);
  document.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
  await new Promise(r => setTimeout(r, 50));
  return values;
}"""


def test_the_component_reports_offsets_in_code_points_and_from_a_heading_the_speech(browser):
    from coding.ui.text_selection import parse_event
    from tests.app.project import REPO

    text = "Title\n\nAna: Café 😀 ok, 𝔘𝔫𝔦 text.\n\nBo: Reply here."
    first_start, second_start = text.index("Café"), text.index("Reply")
    args = {"turns": [{"number": 1, "speaker": "Ana", "role": "respondent", "start": first_start,
                       "text": "Café 😀 ok, 𝔘𝔫𝔦 text.", "time": ""},
                      {"number": 2, "speaker": "Bo", "role": "interviewer", "start": second_start,
                       "text": "Reply here.", "time": ""}],
            "codings": [], "selected": None, "chosen": None}
    component = (REPO / "coding/ui/selection_frontend/index.html").read_text(encoding="utf-8")
    page = browser.new_page()
    page.set_content(component)
    # From just after the emoji and the gothic letters (two UTF-16 units each) to inside the next turn.
    after = "Café 😀 ok, 𝔘𝔫𝔦"
    [value] = page.evaluate(HARNESS, [args, 1, len(after.encode("utf-16-le")) // 2, 2, 5])
    event = parse_event(value)
    assert (event.kind, event.start, event.end) == ("select", first_start + len(after), second_start + 5)
    assert text[event.start:event.end] == " text.\n\nBo: Reply"
    page.close()
    # A selection that starts on a speaker heading starts at that turn's speech.
    page = browser.new_page()
    page.set_content(component)
    [value] = page.evaluate(HARNESS, [args, 0, 0, 2, 5])
    assert (parse_event(value).start, parse_event(value).end) == (second_start, second_start + 5)
    page.close()
