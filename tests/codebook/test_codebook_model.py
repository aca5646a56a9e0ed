from __future__ import annotations

import pytest
from pydantic import ValidationError

from coding.codebook import Code, Codebook
from coding.errors import CodebookError, NotFound


def ids(codes: list[Code]) -> list[str]:
    return [c.id for c in codes]


def test_depth_first_puts_parents_before_children_and_keeps_sibling_file_order(small_codebook: Codebook) -> None:
    assert ids(small_codebook.depth_first()) == ["CONCERNS", "COST", "PRIVACY", "VENDOR_DATA", "OPPORTUNITIES", "TIME"]


def test_roots_children_and_leaves(small_codebook: Codebook) -> None:
    assert ids(small_codebook.roots()) == ["CONCERNS", "OPPORTUNITIES"]
    assert ids(small_codebook.children("CONCERNS")) == ["COST", "PRIVACY"]
    assert ids(small_codebook.children(None)) == ["CONCERNS", "OPPORTUNITIES"]
    assert ids(small_codebook.leaves()) == ["COST", "VENDOR_DATA", "TIME"]
    assert small_codebook.is_leaf("COST") and not small_codebook.is_leaf("PRIVACY")


def test_ancestors_path_depth_and_descendants(small_codebook: Codebook) -> None:
    assert ids(small_codebook.ancestors("VENDOR_DATA")) == ["PRIVACY", "CONCERNS"]
    assert small_codebook.path("VENDOR_DATA") == "CONCERNS/PRIVACY/VENDOR_DATA"
    assert small_codebook.path("CONCERNS") == "CONCERNS"
    assert small_codebook.depth("VENDOR_DATA") == 2
    assert ids(small_codebook.descendants("CONCERNS")) == ["COST", "PRIVACY", "VENDOR_DATA"]
    assert small_codebook.descendants("TIME") == []


def test_unknown_code_lookup_raises_not_found_with_suggestion(small_codebook: Codebook) -> None:
    assert small_codebook.get("NOPE") is None
    assert "COST" in small_codebook and "NOPE" not in small_codebook
    with pytest.raises(NotFound) as caught:
        small_codebook.code("COSTS")
    assert caught.value.problems[0].code == "COSTS"
    assert "did you mean COST?" in str(caught.value)


def test_building_a_codebook_with_duplicate_ids_raises_codebook_error_naming_the_id() -> None:
    with pytest.raises(CodebookError) as caught:
        Codebook(name="x", codes=[Code(id="A", name="a"), Code(id="A", name="again")])
    assert caught.value.problems[0].code == "A"
    assert "already used" in str(caught.value)


def test_building_a_codebook_with_a_parent_loop_raises_codebook_error() -> None:
    with pytest.raises(CodebookError) as caught:
        Codebook(
            name="x",
            codes=[
                Code(id="A", name="a", parent="C"),
                Code(id="B", name="b", parent="A"),
                Code(id="C", name="c", parent="B"),
            ],
        )
    [problem] = caught.value.problems
    assert problem.code == "A"
    assert "A -> C -> B -> A" in problem.message


def test_code_rejects_unknown_keys_and_malformed_values() -> None:
    with pytest.raises(ValidationError):
        Code(id="A", name="a", colour="#ffffff")  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        Code(id="9A", name="a")
    with pytest.raises(ValidationError):
        Code(id="A", name="a", color="red")


def test_models_are_immutable(small_codebook: Codebook) -> None:
    with pytest.raises(ValidationError):
        small_codebook.code("COST").name = "Other"  # type: ignore[misc]
    assert isinstance(small_codebook.codes, tuple)
    assert isinstance(small_codebook.code("COST").examples, tuple)


def test_empty_optional_keys_read_as_empty() -> None:
    code = Code.model_validate({"id": "A", "name": "a", "include": None, "definition": None})
    assert code.include == () and code.definition == ""


def test_code_leading_into_a_loop_is_not_reported_separately() -> None:
    with pytest.raises(CodebookError) as caught:
        Codebook(
            name="x",
            codes=[
                Code(id="D", name="d", parent="A"),
                Code(id="A", name="a", parent="B"),
                Code(id="B", name="b", parent="A"),
            ],
        )
    assert [(p.code, p.message) for p in caught.value.problems] == [
        ("A", "parent chain loops back to 'A': A -> B -> A")
    ]
