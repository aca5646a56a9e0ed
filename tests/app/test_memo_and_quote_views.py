"""Memo panels and the Quotes page through Streamlit's AppTest: errors are one message and save nothing, a repeated
save logs nothing, a memo cannot make the browser fetch an image; quotes follow ?code=, the coder filter and sort."""

from __future__ import annotations

import html

from coding.memos.actions import add_memo
from coding.memos.model import PROJECT, MemoTarget, TargetKind
from coding.review import code_excerpt
from coding.store import memos as memo_store
from coding.ui.memo_parts import panel_key
from tests.app.conftest import _open, read_project

KEY = panel_key(PROJECT)


def test_without_a_coder_memos_are_listed_but_not_editable(open_app, project):
    with read_project(project[0]) as store:
        add_memo(store, PROJECT, "Sampling", "Rural first.", "ana")
    at = open_app("memos", coder=None)
    assert any("Choose your coder name" in i.value for i in at.info)
    assert "Sampling" in [m.value.strip("*") for m in at.markdown]
    assert not [b for b in at.button if b.key and (b.key.startswith("memo_") or b.key == f"{KEY}_add_button")]


def test_a_memo_without_a_title_is_one_error_and_saves_nothing(open_app, project):
    at = open_app("memos")
    at.text_area(key=f"{KEY}_text").input("Text but no title.")
    at.button(key=f"{KEY}_add_button").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "a memo needs a title" in at.error[0].value
    with read_project(project[0]) as store:
        assert memo_store.all_events(store) == []
    # the typed text is still there to fix
    assert at.text_area(key=f"{KEY}_text").value == "Text but no title."


def test_saving_an_unchanged_memo_twice_logs_no_edit(open_app, project):
    with read_project(project[0]) as store:
        memo = add_memo(store, PROJECT, "Sampling", "Rural first.", "ana")
    at = open_app("memos")
    at.button(key=f"memo_edit_{memo.id}").click().run()
    at.button(key=f"memo_save_{memo.id}").click().run()
    assert not at.exception and not at.error
    with read_project(project[0]) as store:
        assert [e.action.value for e in memo_store.all_events(store)] == ["add"]


def test_undo_with_nothing_to_undo_says_so(open_app, project):
    at = open_app("memos", coder="zoe")
    at.button(key=f"{KEY}_undo").click().run()
    assert any("zoe has no memo change to undo" in i.value for i in at.info)


def test_an_image_in_a_memo_is_shown_as_a_link_never_fetched(open_app, project):
    with read_project(project[0]) as store:
        add_memo(store, PROJECT, "Map", "See ![the map](https://example.com/map.png).", "ana")
    at = open_app("memos")
    [body] = [m.value for m in at.markdown if "the map" in m.value]
    assert "\\![the map](https://example.com/map.png)" in body  # a link to the address, not an image


def _quotes(project, code: str = "TRAINING"):
    """Two coders' codings of `code` on three excerpts of S01, then the Quotes page opened at ?code=."""
    with read_project(project[0]) as store:
        code_excerpt(store, "ana", "S01:4:1", code)
        code_excerpt(store, "ana", "S01:6:1", code)
        code_excerpt(store, "bob", "S01:4:1", code)
    at = _open(coder="ana")
    at.query_params["code"] = code
    at.switch_page("coding/ui/views/code.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _rows(at) -> list[str]:
    return [c.key for c in at.checkbox if c.key and c.key.startswith("qp_pick_")]


def test_quotes_follow_the_address_and_the_coder_filter(project):
    at = _quotes(project)
    assert at.selectbox(key="qp_code").value == "TRAINING"
    assert len(_rows(at)) == 3
    at.multiselect(key="qp_coders_TRAINING_0").select("bob").run()
    assert len(_rows(at)) == 1
    assert any("1 of 3 quotes" in c.value for c in at.caption)
    at.multiselect(key="qp_coders_TRAINING_0").unselect("bob").run()
    at.selectbox(key="qp_sort_TRAINING_0").select("coder").run()
    with read_project(project[0]) as store:
        from coding.store.codings import current_codings

        by_id = {c.decision_id: c.coder for c in current_codings(store)}
    assert [by_id[int(k.removeprefix("qp_pick_"))] for k in _rows(at)] == ["ana", "ana", "bob"]


def test_a_code_the_codebook_lacks_in_the_address_is_named(project):
    at = _open(coder="ana")
    at.query_params["code"] = "NO_SUCH_CODE"
    at.switch_page("coding/ui/views/code.py").run()
    assert not at.exception
    assert any("NO\\_SUCH\\_CODE" in w.value for w in at.warning)


def test_a_coding_memo_from_the_quotes_page_is_on_that_coding(project):
    at = _quotes(project)
    first = int(_rows(at)[0].removeprefix("qp_pick_"))
    at.toggle(key=f"qp_memos_{first}").set_value(True).run()
    key = panel_key(MemoTarget(kind=TargetKind.coding, ref=str(first)))
    at.text_input(key=f"{key}_title").input("Good quote")
    at.button(key=f"{key}_add_button").click().run()
    assert not at.error
    with read_project(project[0]) as store:
        [memo] = memo_store.current_memos(store)
    assert memo.target == MemoTarget(kind=TargetKind.coding, ref=str(first))
    assert at.toggle(key=f"qp_memos_{first}").label == "Memos (1)"


def test_analysis_and_the_codebook_tree_link_each_code_to_its_quotes(open_app, project):
    with read_project(project[0]) as store:
        code_excerpt(store, "ana", "S01:4:1", "TRAINING")
        code_excerpt(store, "ana", "S01:6:1", "COST")
    analysis = open_app("analysis")
    links = [(link.proto.page, link.proto.query_string) for link in analysis.get("page_link")]
    assert links == [("code", "code=COST"), ("code", "code=TRAINING")]  # the coded codes, in codebook order
    tree = open_app("codebook")
    from coding.store.codebooks import current_codebook

    with read_project(project[0]) as store:
        ids = current_codebook(store)[1].ids()
    linked = [link.proto.query_string for link in tree.get("page_link") if link.proto.page == "code"]
    assert sorted(linked) == sorted(f"code={code}" for code in ids)


def test_the_same_memo_submitted_again_at_once_is_added_once(open_app, project):
    at = open_app("memos")
    for _ in range(2):  # what a replayed click does: the same input through the callback again
        at.text_input(key=f"{KEY}_title").input("Sampling")
        at.text_area(key=f"{KEY}_text").input("Rural first.")
        at.button(key=f"{KEY}_add_button").click().run()
    assert not at.error
    with read_project(project[0]) as store:
        assert [(m.title, m.text) for m in memo_store.current_memos(store)] == [("Sampling", "Rural first.")]


def test_context_shows_the_quoted_turn_between_its_neighbours(project):
    at = _quotes(project)
    first = int(_rows(at)[0].removeprefix("qp_pick_"))
    at.toggle(key=f"qp_context_{first}").set_value(True).run()
    with read_project(project[0]) as store:
        from coding.analysis.quotes import quote_context
        from coding.store.codings import current_codings

        coding = next(c for c in current_codings(store) if c.decision_id == first)
        turns = quote_context(store, coding.document, coding.turn)
    shown = "\n".join(h.proto.body for h in at.html)
    assert len(turns) == 3
    for turn in turns:
        assert html.escape(turn.text[:40]) in shown
    assert "<mark" in shown  # the quote is marked in its turn


def test_every_memo_filters_by_kind_and_author(open_app, project):
    with read_project(project[0]) as store:
        add_memo(store, PROJECT, "Sampling", "", "ana")
        add_memo(store, MemoTarget(kind=TargetKind.code, ref="COST"), "Cost is about grants", "", "bob")
        add_memo(store, MemoTarget(kind=TargetKind.document, ref="S01"), "S01 is candid", "", "ana")
    at = open_app("memos")
    assert sorted(at.dataframe[0].value["title"]) == ["Cost is about grants", "S01 is candid", "Sampling"]
    at.multiselect(key="memos_authors").select("ana").run()
    assert sorted(at.dataframe[0].value["title"]) == ["S01 is candid", "Sampling"]
    at.multiselect(key="memos_kinds").select(TargetKind.document).run()
    assert list(at.dataframe[0].value["on"]) == ["document:S01"]
