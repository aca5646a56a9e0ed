"""Edits return new codebooks and refuse anything that would break the hierarchy, naming the code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from coding.codebook import Code, Codebook, add_code, delete_code, merge_codes, move_code, update_code
from coding.errors import CodebookError


def order(codebook: Codebook) -> list[str]:
    return [c.id for c in codebook.codes]


def refused(call: Callable[..., Codebook], *args: Any, **kwargs: Any) -> CodebookError:
    with pytest.raises(CodebookError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_add_code_places_it_as_the_last_child_of_its_parent(small_codebook: Codebook) -> None:
    edited = add_code(small_codebook, Code(id="EQUITY", name="Equity", parent="CONCERNS"))
    assert [c.id for c in edited.children("CONCERNS")] == ["COST", "PRIVACY", "EQUITY"]
    assert order(edited).index("EQUITY") == order(edited).index("VENDOR_DATA") + 1  # after the whole branch
    assert "EQUITY" not in small_codebook  # the original is untouched


def test_add_top_level_code_goes_last(small_codebook: Codebook) -> None:
    edited = add_code(small_codebook, Code(id="OTHER", name="Other"))
    assert order(edited)[-1] == "OTHER" and edited.roots()[-1].id == "OTHER"


def test_add_code_refuses_a_used_id_or_unknown_parent(small_codebook: Codebook) -> None:
    error = refused(add_code, small_codebook, Code(id="COST", name="Cost 2"))
    assert error.problems[0].code == "COST" and "already used" in str(error)
    error = refused(add_code, small_codebook, Code(id="NEW", name="New", parent="CONCERN"))
    assert error.problems[0].code == "CONCERN"
    assert "did you mean CONCERNS?" in str(error)


def test_update_code_renames_and_changes_rules_keeping_the_id(small_codebook: Codebook) -> None:
    edited = update_code(
        small_codebook,
        "COST",
        name="Cost and sustainability",
        definition="Prices and budgets.",
        include=["subscriptions"],
        exclude=["salaries (STAFFING)"],
        examples=["It's free right now."],
        counterexamples=["We have time."],
        color="#d95f02",
    )
    cost = edited.code("COST")
    assert (cost.name, cost.definition, cost.color) == ("Cost and sustainability", "Prices and budgets.", "#d95f02")
    assert (cost.include, cost.exclude) == (("subscriptions",), ("salaries (STAFFING)",))
    assert (cost.examples, cost.counterexamples) == (("It's free right now.",), ("We have time.",))
    assert cost.parent == "CONCERNS" and order(edited) == order(small_codebook)
    assert small_codebook.code("COST").name == "Cost"


def test_update_code_leaves_unnamed_fields_and_none_clears_the_colour(small_codebook: Codebook) -> None:
    edited = update_code(small_codebook, "OPPORTUNITIES", color=None)
    assert edited.code("OPPORTUNITIES").color is None
    assert edited.code("OPPORTUNITIES").name == "Opportunities"


def test_update_code_refuses_invalid_values_naming_the_code(small_codebook: Codebook) -> None:
    error = refused(update_code, small_codebook, "COST", color="orange")
    assert error.problems[0].code == "COST"
    assert "#rrggbb" in str(error) and "pydantic" not in str(error)
    error = refused(update_code, small_codebook, "COST", name="")
    assert "'name' must not be empty" in str(error)
    error = refused(update_code, small_codebook, "COSTS", name="x")
    assert error.problems[0].code == "COSTS" and "did you mean COST?" in str(error)


def test_move_code_takes_descendants_along(small_codebook: Codebook) -> None:
    edited = move_code(small_codebook, "PRIVACY", "OPPORTUNITIES")
    assert edited.path("VENDOR_DATA") == "OPPORTUNITIES/PRIVACY/VENDOR_DATA"
    assert [c.id for c in edited.children("OPPORTUNITIES")] == ["TIME", "PRIVACY"]
    assert order(edited)[-2:] == ["PRIVACY", "VENDOR_DATA"]


def test_move_code_to_the_top_level(small_codebook: Codebook) -> None:
    edited = move_code(small_codebook, "COST", None)
    assert edited.code("COST").parent is None
    assert [c.id for c in edited.roots()] == ["CONCERNS", "OPPORTUNITIES", "COST"]


def test_move_code_refuses_loops(small_codebook: Codebook) -> None:
    error = refused(move_code, small_codebook, "CONCERNS", "VENDOR_DATA")
    assert error.problems[0].code == "CONCERNS"
    assert "would loop" in str(error)
    assert refused(move_code, small_codebook, "COST", "COST").problems[0].code == "COST"
    assert refused(move_code, small_codebook, "COST", "NOWHERE").problems[0].code == "NOWHERE"


def test_delete_leaf_code(small_codebook: Codebook) -> None:
    edited = delete_code(small_codebook, "TIME")
    assert "TIME" not in edited and len(edited.codes) == len(small_codebook.codes) - 1


def test_delete_code_with_children_is_refused_unless_reparenting(small_codebook: Codebook) -> None:
    error = refused(delete_code, small_codebook, "CONCERNS")
    assert error.problems[0].code == "CONCERNS"
    assert "COST, PRIVACY" in str(error) and "reparent_children=True" in str(error)
    edited = delete_code(small_codebook, "PRIVACY", reparent_children=True)
    assert edited.code("VENDOR_DATA").parent == "CONCERNS"
    top = delete_code(small_codebook, "CONCERNS", reparent_children=True)
    assert [c.id for c in top.roots()] == ["COST", "PRIVACY", "OPPORTUNITIES"]


def test_merge_appends_examples_and_rules_and_moves_children(small_codebook: Codebook) -> None:
    base = update_code(small_codebook, "PRIVACY", examples=["Where does the data go?", "It's pricey."])
    merged = merge_codes(base, "PRIVACY", "COST")
    cost = merged.code("COST")
    assert cost.examples == ("It's pricey.", "Where does the data go?")  # no repeats
    assert cost.include == ("student data",)
    assert merged.code("VENDOR_DATA").parent == "COST"
    assert "PRIVACY" not in merged


def test_merge_child_into_its_parent(small_codebook: Codebook) -> None:
    merged = merge_codes(small_codebook, "PRIVACY", "CONCERNS")
    assert [c.id for c in merged.children("CONCERNS")] == ["COST", "VENDOR_DATA"]


def test_merge_refuses_self_target_inside_source_and_unknown_codes(small_codebook: Codebook) -> None:
    assert refused(merge_codes, small_codebook, "COST", "COST").problems[0].code == "COST"
    error = refused(merge_codes, small_codebook, "CONCERNS", "VENDOR_DATA")
    assert error.problems[0].code == "CONCERNS" and "inside" in str(error)
    assert refused(merge_codes, small_codebook, "NOPE", "COST").problems[0].code == "NOPE"
    assert refused(merge_codes, small_codebook, "COST", "NOPE").problems[0].code == "NOPE"
