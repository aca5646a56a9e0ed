"""Codebook: edits made in the view are validated, saved as a new version and written back to the YAML file."""

from __future__ import annotations

from coding.codebook import load_codebook_yaml
from coding.review import accept_suggestion
from coding.store import codings as coding_store
from coding.store.codebooks import current_codebook
from tests.app.conftest import read_project


def test_editing_a_definition_saves_a_version_and_writes_the_yaml(open_app, project):
    path, yaml_file = project
    at = open_app("codebook")
    at.button(key="cb_pick_COST").click().run()
    at.text_area(key="cb_definition").input("Money: licences, subscriptions and what happens after grants.")
    at.text_area(key="cb_examples").input("The grant ends in June.\nWe cannot afford the seats.")
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
    at.selectbox(key="cb_parent").select("CONCERNS").run()  # the new code is selected after adding it
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
    at.selectbox(key="cb_merge_target").select("STAFFING").run()
    at.button(key="cb_merge").click().run()
    with read_project(project[0]) as store:
        assert "COST" not in current_codebook(store)[1]
        assert [c.code for c in coding_store.current_codings(store, coder="ana")] == ["STAFFING"]
