"""Codebook: edits made in the view are validated, saved as a new version and written back to the YAML file."""

from __future__ import annotations

from coding.codebook import load_codebook_yaml
from coding.review import accept_suggestion
from coding.store import codings as coding_store
from coding.store.codebooks import current_codebook
from tests.app.conftest import read_project


def _edit(at, field: str) -> str:
    """The key of an edit widget of the form on screen (it carries the form's number)."""
    return f"cb_{field}_{at.session_state['cb_form']}"


def test_editing_a_definition_saves_a_version_and_writes_the_yaml(open_app, project):
    path, yaml_file = project
    at = open_app("codebook")
    at.button(key="cb_pick_COST").click().run()
    at.text_area(key=_edit(at, "definition")).input("Money: licences, subscriptions and what happens after grants.")
    at.text_area(key=_edit(at, "examples")).input("The grant ends in June.\nWe cannot afford the seats.")
    at.button(key="cb_save").click().run()
    assert not at.exception and not at.error
    with read_project(path) as store:
        version, codebook = current_codebook(store)
    assert version == 2
    assert codebook.code("COST").definition == "Money: licences, subscriptions and what happens after grants."
    assert load_codebook_yaml(yaml_file).code("COST").examples == ("The grant ends in June.",
                                                                  "We cannot afford the seats.")


def test_an_invalid_edit_shows_the_codebook_error_and_saves_nothing(open_app, project):
    at = open_app("codebook")
    at.text_input(key="cb_new_name").input("Teacher unions")
    at.text_input(key="cb_new_id").input("9 bad id")
    at.button(key="cb_add").click().run()
    assert not at.exception
    assert any("9 bad id" in e.value for e in at.error)
    with read_project(project[0]) as store:
        assert current_codebook(store)[0] == 1


def test_adding_and_moving_a_code(open_app, project):
    at = open_app("codebook")
    at.text_input(key="cb_new_name").input("Teacher unions")
    at.selectbox(key="cb_new_parent").select("IMPLEMENTATION")
    at.button(key="cb_add").click().run()
    at.selectbox(key=_edit(at, "parent")).select("CONCERNS").run()  # the new code is selected after adding it
    at.button(key="cb_move").click().run()
    with read_project(project[0]) as store:
        codebook = current_codebook(store)[1]
    assert codebook.code("TEACHER_UNIONS").parent == "CONCERNS"
    assert load_codebook_yaml(project[1]).code("TEACHER_UNIONS").parent == "CONCERNS"


def test_a_code_holding_codings_is_merged_not_deleted(open_app, project):
    with read_project(project[0]) as store:
        accept_suggestion(store, "ana", "S01:4:1", "COST")
    at = open_app("codebook")
    at.button(key="cb_pick_COST").click().run()
    at.button(key="cb_delete").click().run()
    assert any("holds 1 codings" in e.value for e in at.error)
    at.selectbox(key=_edit(at, "merge_target")).select("STAFFING").run()
    at.button(key="cb_merge").click().run()
    with read_project(project[0]) as store:
        assert "COST" not in current_codebook(store)[1]
        assert [c.code for c in coding_store.current_codings(store, coder="ana")] == ["STAFFING"]


def test_editing_one_code_after_another_shows_and_saves_that_codes_own_values(open_app, project):
    path, yaml_file = project
    at = open_app("codebook")
    with read_project(path) as store:
        before = current_codebook(store)[1]
    at.button(key="cb_pick_TIME_SAVINGS").click().run()
    at.text_area(key=_edit(at, "definition")).input("typed for TIME_SAVINGS but never saved")
    for code_id in ("PRIVACY", "COST", "TIME_SAVINGS", "PRIVACY"):
        at.button(key=f"cb_pick_{code_id}").click().run()
        code = before.code(code_id)
        assert at.text_input(key=_edit(at, "name")).value == code.name
        assert at.text_area(key=_edit(at, "definition")).value == code.definition
        assert at.text_area(key=_edit(at, "examples")).value == "\n".join(code.examples)
        assert at.selectbox(key=_edit(at, "parent")).value == (code.parent or "(top level)")
    at.text_area(key=_edit(at, "include")).input("Any worry about student data.")
    at.button(key="cb_save").click().run()
    assert not at.exception and not at.error
    with read_project(path) as store:
        after = current_codebook(store)[1]
    privacy = after.code("PRIVACY")
    assert privacy.model_dump(exclude={"include"}) == before.code("PRIVACY").model_dump(exclude={"include"})
    assert privacy.include == ("Any worry about student data.",)
    assert after.code("TIME_SAVINGS") == before.code("TIME_SAVINGS")
    assert load_codebook_yaml(yaml_file).code("PRIVACY").name == before.code("PRIVACY").name


def test_codebook_edits_are_undone_in_the_app_one_at_a_time(open_app, project):
    path, yaml_file = project
    at = open_app("codebook")
    with read_project(path) as store:
        original = current_codebook(store)[1]
    assert at.button(key="cb_undo").disabled  # the loaded codebook is not an edit
    at.button(key="cb_pick_COST").click().run()
    at.text_area(key=_edit(at, "definition")).input("first edit")
    at.button(key="cb_save").click().run()
    at.text_area(key=_edit(at, "definition")).input("second edit")
    at.button(key="cb_save").click().run()
    at.button(key="cb_undo").click().run()
    assert not at.error
    assert at.text_area(key=_edit(at, "definition")).value == "first edit"
    assert load_codebook_yaml(yaml_file).code("COST").definition == "first edit"
    at.button(key="cb_undo").click().run()
    with read_project(path) as store:
        version, codebook = current_codebook(store)
    assert version == 5 and codebook == original
    assert load_codebook_yaml(yaml_file).code("COST").definition == original.code("COST").definition
    assert at.button(key="cb_undo").disabled


def test_a_merge_is_not_half_undone(open_app, project):
    with read_project(project[0]) as store:
        accept_suggestion(store, "ana", "S01:4:1", "COST")
    at = open_app("codebook")
    at.button(key="cb_pick_COST").click().run()
    at.selectbox(key=_edit(at, "merge_target")).select("STAFFING").run()
    at.button(key="cb_merge").click().run()
    at.button(key="cb_undo").click().run()
    assert any("merged COST into STAFFING" in e.value and "recoded" in e.value for e in at.error)
    with read_project(project[0]) as store:
        assert "COST" not in current_codebook(store)[1]


def test_adding_a_child_keeps_a_parent_that_holds_codings_in_every_code_picker(open_app, project):
    from coding.annotated import annotated_transcript
    from coding.review_screen import review_screen
    from coding.theme_review.screen import themes_screen

    with read_project(project[0]) as store:
        accept_suggestion(store, "ana", "S01:4:1", "COST")
    at = open_app("codebook")
    at.text_input(key="cb_new_name").input("Licence costs")
    at.selectbox(key="cb_new_parent").select("COST")
    at.button(key="cb_add").click().run()
    assert not at.error
    assert any("1 on COST itself, still applicable" in h.proto.body for h in at.html)
    with read_project(project[0]) as store:
        assert current_codebook(store)[1].code("LICENCE_COSTS").parent == "COST"
        pickers = {"review": review_screen(store, "ana").codes, "themes": themes_screen(store).codes,
                   "transcripts": annotated_transcript(store, "S01").codes}
        for where, codes in pickers.items():
            ids = [c for c, _ in codes]
            assert "COST" in ids and "LICENCE_COSTS" in ids, where
            assert "CONCERNS" not in ids, where  # a parent without codings of its own stays out
    review = open_app("review", coder="ana")
    review.selectbox(key="review_other").select("COST").run()
    review.button(key="review_apply").click().run()
    assert not review.exception and not review.error


def test_an_undo_offered_for_one_codebook_edit_never_takes_back_a_second(open_app, project):
    """A double click on Undo sends the same offer twice: the second finds that edit gone and undoes nothing."""
    from coding.project_codebook.editing import undo_codebook_edit, undoable_codebook_edit

    path, yaml_file = project
    at = open_app("codebook")
    at.button(key="cb_pick_COST").click().run()
    for text in ("first edit", "second edit"):
        at.text_area(key=_edit(at, "definition")).input(text)
        at.button(key="cb_save").click().run()
    with read_project(path) as store:
        offered = undoable_codebook_edit(store)["version"]
        assert undo_codebook_edit(store, "ana", expected=offered) is not None
        assert undo_codebook_edit(store, "ana", expected=offered) is None  # the replayed click
        assert current_codebook(store)[1].code("COST").definition == "first edit"
    assert load_codebook_yaml(yaml_file).code("COST").definition == "first edit"
    # The page, redrawn, offers the edit before; its Undo takes back exactly that one.
    at.run()
    at.button(key="cb_undo").click().run()
    with read_project(path) as store:
        assert current_codebook(store)[1].code("COST").definition != "first edit"
        assert undoable_codebook_edit(store) is None
