"""Bad codebook files given to `qcode codebook load`: one located line per problem, no new codebook version."""

from __future__ import annotations

from pathlib import Path

from tests.badinput.conftest import assert_refused


def _yaml(tmp_path: Path, text: str, name: str = "codebook.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEAD = "name: Broken\nversion: 2\ncodes:\n"


def test_yaml_syntax_error_names_the_line(run, tmp_path):
    path = _yaml(tmp_path, HEAD + "  - id: COST\n    name: [Cost\n  - id: PILOTS\n")
    assert_refused(run("codebook", "load", path), path, where=f"{path}:")


def test_duplicate_code_ids_name_the_second_line(run, tmp_path):
    path = _yaml(tmp_path, HEAD + "  - id: COST\n    name: Cost\n  - id: COST\n    name: Cost again\n")
    errors = assert_refused(run("codebook", "load", path), path, where=f"{path}:")
    assert any("COST" in line for line in errors)


def test_unknown_parent_names_the_code(run, tmp_path):
    path = _yaml(tmp_path, HEAD + "  - id: COST\n    name: Cost\n    parent: NOWHERE\n")
    errors = assert_refused(run("codebook", "load", path), path, where=f"{path}:")
    assert any("NOWHERE" in line for line in errors)


def test_parent_cycle_is_refused(run, tmp_path):
    path = _yaml(tmp_path, HEAD + "  - id: A\n    name: A\n    parent: B\n  - id: B\n    name: B\n    parent: A\n")
    errors = assert_refused(run("codebook", "load", path), path, where=f"{path}:")
    assert any("cycle" in line.lower() or "loop" in line.lower() or "circular" in line.lower() for line in errors)


def test_wrong_types_name_the_line(run, tmp_path):
    path = _yaml(tmp_path, HEAD + "  - id: COST\n    name: Cost\n    examples: 42\n  - id: [1, 2]\n    name: Bad\n")
    assert_refused(run("codebook", "load", path), path, where=f"{path}:")


def test_codes_that_is_not_a_list_is_refused(run, tmp_path):
    path = _yaml(tmp_path, "name: Broken\nversion: 2\ncodes: everything\n")
    assert_refused(run("codebook", "load", path), path, where=f"{path}:")


def test_unknown_keys_name_the_line(run, tmp_path):
    path = _yaml(tmp_path, HEAD + "  - id: COST\n    name: Cost\n    colour: red\n")
    errors = assert_refused(run("codebook", "load", path), path, where=f"{path}:")
    assert any("colour" in line for line in errors)


def test_every_problem_gets_its_own_line(run, tmp_path):
    path = _yaml(tmp_path, HEAD + "  - id: COST\n    name: Cost\n    colour: red\n"
                                  "  - id: PILOTS\n    name: Pilots\n    parent: NOWHERE\n")
    errors = assert_refused(run("codebook", "load", path), path)
    assert len(errors) >= 2


def test_binary_codebook_is_refused(run, tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_bytes(b"\x00\x01\x02" * 100)
    assert_refused(run("codebook", "load", path), path)


def test_qdc_with_an_external_entity_is_refused(run, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    path = _yaml(tmp_path, f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
                           '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="1" name="&e;" '
                           'isCodable="true"/></Codes></CodeBook>', name="codebook.qdc")
    outcome = run("codebook", "load", path)
    assert_refused(outcome, path)
    assert "top secret" not in outcome.output
