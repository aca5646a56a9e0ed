import pytest

from coding.codebook import codebook_from_yaml_text, load_codebook_yaml
from coding.errors import CodebookError
from coding.codings.import_codings import import_codings
from coding.project_codebook import delete_code_in_project, load_codebook_file, save_version
from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store

from .conftest import CODEBOOK, write_csv


def _code_turn_2_as_cost(store, tmp_path):
    path = write_csv(tmp_path, "c.csv", "document,turn,code\nT1,2,COST\n")
    import_codings(store, path, "gold", codebook_store.current_codebook(store)[1])


def test_renaming_a_code_in_a_new_version_keeps_its_codings(coded_project, tmp_path):
    _code_turn_2_as_cost(coded_project, tmp_path)
    renamed = codebook_from_yaml_text(CODEBOOK.replace("name: Cost\n", "name: Money matters\n"), "v2.yaml")
    version = save_version(coded_project, renamed)
    assert version == 2
    assert codebook_store.current_codebook(coded_project)[1].code("COST").name == "Money matters"
    assert [c.code for c in coding_store.current_codings(coded_project)] == ["COST"]


def test_a_version_that_drops_a_coded_code_is_refused(coded_project, tmp_path):
    _code_turn_2_as_cost(coded_project, tmp_path)
    without_cost = CODEBOOK.split("  - id: COST")[0] + "  - id: INTEGRITY" + CODEBOOK.split("  - id: INTEGRITY")[1]
    with pytest.raises(CodebookError, match="drops code COST, which holds 1 codings"):
        save_version(coded_project, codebook_from_yaml_text(without_cost, "v2.yaml"))
    assert codebook_store.current_codebook(coded_project)[0] == 1


def test_deleting_a_coded_code_needs_merge_into(coded_project, tmp_path):
    _code_turn_2_as_cost(coded_project, tmp_path)
    with pytest.raises(CodebookError, match="--merge-into"):
        delete_code_in_project(coded_project, "COST", None, "ana")
    delete_code_in_project(coded_project, "COST", "INTEGRITY", "ana")
    assert "COST" not in codebook_store.current_codebook(coded_project)[1]
    assert [(c.coder, c.code) for c in coding_store.current_codings(coded_project)] == [("gold", "INTEGRITY")]


def test_loading_a_yaml_codebook_remembers_the_file_for_write_back(coded_project, tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text(CODEBOOK, encoding="utf-8")
    version, codebook = load_codebook_file(coded_project, path)
    delete_code_in_project(coded_project, "PILOTS", None, "ana")
    assert "PILOTS" not in load_codebook_yaml(path)
    assert version == 2 and "PILOTS" in codebook


def test_a_read_only_codebook_file_is_never_rewritten(coded_project, tmp_path):
    path = tmp_path / "shared.yaml"
    path.write_text(CODEBOOK, encoding="utf-8")
    load_codebook_file(coded_project, path)
    path.chmod(0o444)
    before = path.read_bytes()
    delete_code_in_project(coded_project, "PILOTS", None, "ana")
    assert path.read_bytes() == before
    assert "PILOTS" not in codebook_store.current_codebook(coded_project)[1]
