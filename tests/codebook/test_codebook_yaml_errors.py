"""Every mistake in a codebook file is reported with the file, its line, the code id and what to do."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from coding.codebook import codebook_from_yaml_text, load_codebook_yaml
from coding.errors import CodebookError, Problem

HEADER = "name: Test codebook\nversion: 1\ncodes:\n"  # codes start on line 4


def problems(body: str, source_name: str = "codebook.yaml") -> list[Problem]:
    text = HEADER + textwrap.dedent(body)
    with pytest.raises(CodebookError) as caught:
        codebook_from_yaml_text(text, source_name)
    return caught.value.problems


def only(body: str) -> Problem:
    found = problems(body)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_unknown_parent_names_file_line_code_and_closest_id() -> None:
    problem = only(
        """\
        - id: CONCERNS
          name: Concerns
        - id: COST
          name: Cost and sustainability
          parent: CONCERN
        """
    )
    assert str(problem) == (
        "codebook.yaml:8 (code COST): parent 'CONCERN' is not a code in this codebook (did you mean CONCERNS?)"
    )


def test_unknown_parent_without_close_match_says_how_to_fix() -> None:
    problem = only("- id: COST\n  name: Cost\n  parent: ZZZ\n")
    assert (problem.line, problem.code) == (6, "COST")
    assert "add a code with id 'ZZZ'" in (problem.hint or "")


def test_duplicate_code_id_is_reported_with_line_of_both_codes() -> None:
    problem = only("- id: COST\n  name: Cost\n- id: COST\n  name: Cost again\n")
    assert (problem.path, problem.line, problem.code) == ("codebook.yaml", 6, "COST")
    assert "already used by the code at line 4" in problem.message
    assert problem.hint


def test_parent_loop_is_reported_once_at_first_code_of_the_loop() -> None:
    problem = only("- id: A\n  name: a\n  parent: B\n- id: B\n  name: b\n  parent: A\n")
    assert (problem.line, problem.code) == (6, "A")
    assert "A -> B -> A" in problem.message


def test_code_that_is_its_own_parent_is_reported() -> None:
    problem = only("- id: SELF\n  name: Self\n  parent: SELF\n")
    assert (problem.line, problem.code) == (6, "SELF")
    assert "its own parent" in problem.message


def test_unknown_key_is_reported_at_its_line_with_suggestion() -> None:
    problem = only("- id: COST\n  name: Cost\n  colr: '#ffffff'\n")
    assert (problem.line, problem.code) == (6, "COST")
    assert problem.message == "unknown key 'colr'"
    assert problem.hint == "did you mean 'color'?"


def test_unknown_top_level_key_lists_allowed_keys() -> None:
    found = problems("- id: A\n  name: a\nauthor: me\n")
    assert [(p.line, p.code, p.message) for p in found] == [(6, None, "unknown key 'author'")]
    assert "name, version, codes" in (found[0].hint or "")


def test_wrong_type_is_reported_with_what_yaml_read() -> None:
    problem = only("- id: COST\n  name: Cost\n  definition:\n    - one\n    - two\n")
    assert (problem.line, problem.code) == (6, "COST")
    assert problem.message == "'definition' must be text, but YAML read a list"


def test_rules_given_as_text_instead_of_list_are_reported() -> None:
    problem = only("- id: COST\n  name: Cost\n  include: prices and budgets\n")
    assert (problem.line, problem.code) == (6, "COST")
    assert "'include' must be a list of texts" in problem.message
    assert "- " in (problem.hint or "")


def test_example_with_unquoted_colon_points_at_the_item() -> None:
    problem = only("- id: COST\n  name: Cost\n  examples:\n    - fine\n    - Superintendent: it costs too much\n")
    assert (problem.line, problem.code) == (8, "COST")
    assert problem.message.startswith("item 2 of 'examples' must be text")
    assert "quotes" in (problem.hint or "")


def test_invalid_code_id_is_reported() -> None:
    problem = only("- id: 2COST\n  name: Cost\n")
    assert (problem.line, problem.code) == (4, "2COST")
    assert "not a valid code id" in problem.message


def test_number_as_code_id_asks_for_quotes() -> None:
    problem = only("- id: 2024\n  name: Year\n")
    assert problem.line == 4
    assert problem.message == "'id' must be text, but YAML read the number 2024"


def test_missing_name_points_at_the_code_entry() -> None:
    problem = only("- id: A\n  name: a\n- id: COST\n  definition: Money\n")
    assert (problem.line, problem.code) == (6, "COST")
    assert problem.message == "code has no 'name'"


def test_unquoted_hex_colour_is_reported_instead_of_silently_dropped() -> None:
    problem = only("- id: COST\n  name: Cost\n  color: #d95f02\n")
    assert (problem.line, problem.code) == (6, "COST")
    assert "quotes" in (problem.hint or "")


def test_malformed_colour_is_reported() -> None:
    problem = only("- id: COST\n  name: Cost\n  color: 'orange'\n")
    assert (problem.line, problem.code) == (6, "COST")
    assert "#rrggbb" in problem.message


def test_key_written_twice_in_a_code_is_reported() -> None:
    problem = only("- id: COST\n  name: Cost\n  examples: ['a']\n  examples: ['b']\n")
    assert (problem.line, problem.code) == (7, "COST")
    assert "first at line 6" in problem.message


def test_entry_that_is_not_a_mapping_is_reported() -> None:
    problem = only("- id: A\n  name: a\n- just some words\n")
    assert problem.line == 6
    assert "code entry 2" in problem.message


def test_yaml_syntax_error_names_file_and_line() -> None:
    with pytest.raises(CodebookError) as caught:
        codebook_from_yaml_text('name: x\ncodes:\n  - id: A\n    name: "unclosed\n', "mine.yaml")
    [problem] = caught.value.problems
    assert problem.path == "mine.yaml" and problem.line is not None
    assert problem.message.startswith("YAML syntax error")
    assert "started at line 4" in problem.message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_bad_indentation_is_a_syntax_error_at_its_line() -> None:
    with pytest.raises(CodebookError) as caught:
        codebook_from_yaml_text("name: x\ncodes:\n  - id: A\n  name: b\n", "codebook.yaml")
    assert caught.value.problems[0].line == 4
    assert "another key" in caught.value.problems[0].message


def test_all_problems_of_a_file_are_reported_together_in_line_order() -> None:
    found = problems(
        """\
        - id: CONCERNS
          name: Concerns
        - id: COST
          name: Cost
          parent: CONCERN
          colour: "#ffffff"
        - id: COST
          name: Cost again
        - id: 9LIVES
          name: Cats
          examples: [ok, {a: b}]
        """
    )
    assert [(p.line, p.code) for p in found] == [(8, "COST"), (9, "COST"), (10, "COST"), (12, "9LIVES"), (14, "9LIVES")]
    assert all(p.path == "codebook.yaml" for p in found)
    assert all(p.hint for p in found)


def test_messages_never_show_pydantic_internals() -> None:
    with pytest.raises(CodebookError) as caught:
        codebook_from_yaml_text("name: 5\nversion: two\ncodes: {}\nextra: 1\n", "codebook.yaml")
    text = str(caught.value)
    assert len(caught.value.problems) == 4
    for internal in ("pydantic", "Input should", "validation error", "Traceback", "type="):
        assert internal not in text


def test_loading_from_disk_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text(HEADER + "- id: A\n  name: a\n  parent: B\n", encoding="utf-8")
    with pytest.raises(CodebookError) as caught:
        load_codebook_yaml(path)
    assert str(caught.value).startswith(f"{path}:6 (code A): ")


def test_missing_empty_and_non_utf8_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="file not found"):
        load_codebook_yaml(tmp_path / "absent.yaml")
    (tmp_path / "empty.yaml").write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(CodebookError, match="empty"):
        load_codebook_yaml(tmp_path / "empty.yaml")
    (tmp_path / "latin1.yaml").write_bytes("name: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(CodebookError, match="UTF-8"):
        load_codebook_yaml(tmp_path / "latin1.yaml")


def test_tab_indentation_gets_its_own_hint() -> None:
    with pytest.raises(CodebookError) as caught:
        codebook_from_yaml_text("name: x\ncodes:\n\t- id: A\n", "codebook.yaml")
    assert caught.value.problems[0].line == 3
    assert caught.value.problems[0].hint == "indent with spaces, not tabs"


def test_number_used_as_a_key_is_reported_at_its_line() -> None:
    problem = only("- id: A\n  name: a\n  5: five\n")
    assert (problem.line, problem.code, problem.message) == (6, "A", "'5' is not a valid key")


def test_top_level_list_is_rejected_with_layout_hint() -> None:
    with pytest.raises(CodebookError) as caught:
        codebook_from_yaml_text("- id: A\n  name: a\n", "codebook.yaml")
    assert caught.value.problems[0].line == 1
    assert "name, version and codes" in str(caught.value)
