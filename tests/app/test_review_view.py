"""Review: decisions clicked in the view are saved at once under the coder's name."""

from __future__ import annotations

from coding.store import codings as coding_store
from tests.app.conftest import read_project


def _shown(at) -> str:
    return at.session_state["review_current"]


def test_accepting_a_suggestion_saves_a_coding_under_the_coder(open_app, project):
    at = open_app("review", coder="ana")
    excerpt = _shown(at)
    accept = next(b for b in at.button if b.key and b.key.startswith("review_accept_"))
    code = accept.key.removeprefix("review_accept_")
    accept.click().run()
    assert not at.exception
    with read_project(project[0]) as store:
        codings = coding_store.current_codings(store, coder="ana")
    assert [(c.excerpt_id, c.code, c.source.value) for c in codings] == [(excerpt, code, "accepted-suggestion")]
    assert at.button(key=f"review_uncode_{code}")  # the row now offers to remove it
    assert "1 of 381" in at.get("progress")[0].proto.text


def test_reject_then_next_moves_to_another_excerpt_and_undo_brings_it_back(open_app, project):
    at = open_app("review", coder="ben")
    first = _shown(at)
    reject = next(b for b in at.button if b.key and b.key.startswith("review_reject_"))
    code = reject.key.removeprefix("review_reject_")
    reject.click().run()
    with read_project(project[0]) as store:
        assert coding_store.current_rejections(store, "ben") == [("ben", first, code)]
    at.button(key="review_next").click().run()
    assert _shown(at) != first
    at.button(key="review_undo").click().run()
    assert _shown(at) == first
    with read_project(project[0]) as store:
        assert coding_store.current_rejections(store, "ben") == []


def test_choosing_another_code_and_skipping(open_app, project):
    at = open_app("review", coder="cy")
    first = _shown(at)
    at.selectbox(key="review_other").select("POLICY").run()
    at.button(key="review_apply").click().run()
    with read_project(project[0]) as store:
        assert [(c.excerpt_id, c.code) for c in coding_store.current_codings(store, coder="cy")] == [(first, "POLICY")]
    at.button(key="review_skip").click().run()
    second = _shown(at)
    assert second != first
    at.button(key="review_skip").click().run()
    assert _shown(at) not in (first, second)


def test_document_order_starts_at_the_first_excerpt_of_the_chosen_document(open_app):
    at = open_app("review", coder="dee")
    at.radio(key="review_order").set_value("document").run()
    at.selectbox(key="review_document").select("S03").run()
    assert _shown(at) == "S03:2:1" or _shown(at).startswith("S03:")
    assert "Nothing left" not in " ".join(s.value for s in at.success)


def test_without_a_coder_the_view_asks_for_one(open_app):
    at = open_app("review", coder=None)
    assert any("coder name" in i.value for i in at.info)
    at.text_input(key="coder_input").input("eve").run()
    at.button(key="coder_start").click().run()
    assert at.session_state["coder"] == "eve"
    assert at.session_state["review_current"]


def test_without_suggestions_the_order_control_says_document_order(open_bare_app):
    at = open_bare_app("review", coder="ana")
    assert at.radio(key="review_order").value == "document" and at.radio(key="review_order").disabled


def test_scores_are_labelled_and_explained(open_app):
    at = open_app("review", coder="ana")
    shown = "\n".join(h.proto.body for h in at.html)
    assert "score 0." in shown
    assert any("estimate (0 to 1) that the code applies" in c.value for c in at.caption)


def test_after_new_suggestions_the_queue_restarts_from_its_head(open_app, project):
    from coding.embedding.fake import HashEmbedder
    from coding.review import review_queue
    from pipelines.suggest import run_suggestions

    at = open_app("review", coder="ana")
    first = _shown(at)
    at.button(key="review_skip").click().run()
    at.button(key="review_skip").click().run()
    assert _shown(at) != first
    with read_project(project[0]) as store:
        run_suggestions(store, HashEmbedder())
        head = review_queue(store, "ana", limit=1)[0]
    at.run()
    assert _shown(at) == head  # skips of the old queue are forgotten; the new queue starts at its head
