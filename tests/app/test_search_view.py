"""Search page: text hits as the library finds them, filters, one-line errors, coding the ticked hits as one
undoable batch, and semantic search from a sentence, a typed excerpt id or the address."""

from __future__ import annotations

from coding.models import SpeakerRole
from coding.search import SearchFilters
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from pipelines.search import search_text
from tests.app.conftest import read_project

SEARCH = "search"


def _html(at) -> str:
    return "\n".join(h.proto.body for h in at.html)


def _hit_boxes(at):
    return [c for c in at.checkbox if c.key and c.key.startswith("search_hit_")]


def _search(at, query: str, mode: str = "words"):
    at.radio(key="search_mode").set_value(mode).run()
    at.text_input(key="search_query").input(query).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_filtered_text_search_lists_exactly_the_library_hits(open_app, project):
    at = _search(open_app(SEARCH), "budget")
    at.multiselect(key="search_where").set_value([("district_type", "rural"), ("district_type", "urban")]).run()
    at.selectbox(key="search_role").set_value(SpeakerRole.respondent).run()
    with read_project(project[0]) as store:
        expected = search_text(store, "budget", filters=SearchFilters(
            where={"district_type": ["rural", "urban"]}, role=SpeakerRole.respondent))
        everywhere = search_text(store, "budget").total
    assert 0 < expected.total < everywhere
    assert any(m.value.startswith(f"{expected.total} hits for") for m in at.markdown)
    labels = [box.label for box in _hit_boxes(at)]
    assert labels == [f"{h.document} · turn {h.turn} · {h.speaker} \\(respondent\\)".replace(".", "\\.")
                      for h in expected.hits]
    shown = _html(at)
    for hit in expected.hits:
        assert f'<mark style="background:#fde68a;padding:0 .1em">{hit.text}</mark>' in shown


def test_a_bad_regex_is_one_line_and_lists_nothing(open_app):
    at = _search(open_app(SEARCH), "teach(er", mode="regex")
    assert [e.value.splitlines()[0] for e in at.error] == [e.value for e in at.error]
    assert "is not a valid regular expression" in at.error[0].value and "position 5" in at.error[0].value
    assert not _hit_boxes(at)


def test_transcript_text_in_a_hit_is_escaped(open_app):
    at = _search(open_app(SEARCH), "window.qcodeHacked")
    shown = _html(at)
    assert "&lt;script&gt;" in shown and "<script>" not in shown


def test_coding_the_ticked_hits_is_one_batch_that_one_undo_takes_back(open_app, project):
    at = _search(open_app(SEARCH, coder="ana"), "privacy")
    boxes = _hit_boxes(at)
    assert len(boxes) >= 3
    boxes[1].uncheck().run()
    at.selectbox(key="search_code").select("PRIVACY").run()
    at.button(key="search_code_hits").click().run()
    with read_project(project[0]) as store:
        hits = search_text(store, "privacy").hits
        codings = coding_store.current_codings(store, coder="ana")
        batches = store.conn.execute("SELECT DISTINCT batch FROM decisions WHERE coder = 'ana'").fetchall()
    wanted = [h for i, h in enumerate(hits[:len(boxes)]) if i != 1]
    assert sorted((c.document, c.start, c.end, c.code) for c in codings) == sorted(
        (h.document, h.start, h.end, "PRIVACY") for h in wanted)
    assert len(batches) == 1
    assert any(f"Coded {len(wanted)} hits with PRIVACY for ana" in s.value for s in at.success)
    at.button(key="search_code_hits").click().run()  # again: nothing new is logged
    with read_project(project[0]) as store:
        assert store.conn.execute("SELECT count(*) FROM decisions WHERE coder = 'ana'").fetchone()[0] == len(wanted)
    assert any("Nothing new to code with PRIVACY" in i.value for i in at.info)


def test_undo_on_the_search_page_takes_the_batch_back(open_app, project):
    at = _search(open_app(SEARCH, coder="ana"), "budget")
    at.selectbox(key="search_code").select("COST").run()
    at.button(key="search_code_hits").click().run()
    at.button(key="search_undo").click().run()
    with read_project(project[0]) as store:
        assert coding_store.current_codings(store, coder="ana") == []
        assert store.conn.execute("SELECT count(*) FROM decisions WHERE action = 'undo'").fetchone()[0] > 0
    assert any(i.value.startswith("Undone:") for i in at.info)


def test_without_a_coder_hits_are_listed_without_boxes(open_app):
    at = _search(open_app(SEARCH, coder=None), "budget")
    assert not _hit_boxes(at) and "budget" in _html(at).lower()
    assert any("Choose your coder name" in c.value for c in at.caption)


def test_semantic_search_from_a_sentence_and_from_a_typed_excerpt_id(open_app, project):
    at = _search(open_app(SEARCH), "the grant ends and licenses cost money", mode="semantic")
    assert any(m.value.startswith("20 excerpts most like") for m in at.markdown)
    assert "similarity" in _html(at)
    at.button(key="search_more").click().run()
    assert any(m.value.startswith("40 excerpts most like") for m in at.markdown)
    with read_project(project[0]) as store:
        excerpt = doc_store.get_excerpts(store, "S02")[3]
    at.text_input(key="search_query").input(excerpt.id).run()
    assert any(m.value.startswith("20 excerpts most like excerpt") for m in at.markdown)
    assert excerpt.text.split()[0] in _html(at)  # the excerpt compared with is shown above its neighbours
    assert not _hit_boxes(at)


def test_the_address_names_the_excerpt_to_compare_with(open_app, project):
    at = open_app(SEARCH)
    with read_project(project[0]) as store:
        excerpt = doc_store.get_excerpts(store, "S03")[0]
    at.query_params["like"] = excerpt.id
    at.run()
    assert not at.exception
    assert any(m.value.startswith("20 excerpts most like excerpt") for m in at.markdown)
    assert f"({excerpt.document}, turn {excerpt.turn})" in " ".join(c.value for c in at.caption).replace("\\", "")
    at.query_params["like"] = "S03:999:1"
    at.run()
    assert any("no excerpt 'S03:999:1'" in e.value.replace("\\", "") for e in at.error)


def test_semantic_search_without_vectors_says_how_to_make_them(open_bare_app):
    at = _search(open_bare_app(SEARCH), "licenses", mode="semantic")
    assert any("qcode embed" in i.value.replace("\\", "") for i in at.info)
    assert not at.error


def test_review_links_the_excerpt_on_screen_to_passages_like_it(open_app):
    at = open_app("review")
    shown = at.session_state["review_current"]
    links = [link.proto for link in at.get("page_link") if link.proto.page == SEARCH]
    assert [(link.label, link.query_string) for link in links] == [
        ("Find passages like this", "like=" + shown.replace(":", "%3A"))]


def test_show_more_lists_more_hits_and_keeps_the_boxes_as_they_were(open_app, project):
    from coding.ui.search_parts import TEXT_PAGE

    at = _search(open_app(SEARCH, coder="ana"), "the")
    with read_project(project[0]) as store:
        total = search_text(store, "the").total
    assert total > 2 * TEXT_PAGE
    assert len(_hit_boxes(at)) == TEXT_PAGE
    assert any(f"Only the {TEXT_PAGE} hits listed are coded" in c.value for c in at.caption)
    _hit_boxes(at)[0].uncheck().run()
    at.button(key="search_more").click().run()
    boxes = _hit_boxes(at)
    assert len(boxes) == 2 * TEXT_PAGE and not boxes[0].value and all(b.value for b in boxes[1:])
    at.selectbox(key="search_code").select("POLICY").run()
    at.button(key="search_code_hits").click().run()
    with read_project(project[0]) as store:
        coded = coding_store.current_codings(store, coder="ana")
        first = search_text(store, "the", limit=2 * TEXT_PAGE).hits
    assert sorted((c.document, c.start) for c in coded) == sorted((h.document, h.start) for h in first[1:])
