"""`qcode memo add|list|show|edit|delete|undo|redo` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_helpers import wide_qcode as qcode


def _memos(db) -> list[dict]:
    return json.loads(qcode("memo", "list", "--json", "--db", db).stdout)


def test_add_list_show_edit_delete_undo_redo(study_db, tmp_path):
    text = tmp_path / "memo.md"
    text.write_text("# Findings\n\nRural leaders mention *buses*.\n", encoding="utf-8")
    added = qcode("memo", "add", "--title", "Sampling", "--text", "Five leaders.", "--coder", "ana", "--db", study_db)
    assert added.exit_code == 0 and "memo 1 added on project" in added.output
    on_code = qcode("memo", "add", "--on", "code:COST", "--title", "Scope", "--file", text, "--coder", "ben",
                    "--json", "--db", study_db)
    assert json.loads(on_code.stdout)["target"] == "code:COST"
    assert [(m["id"], m["target"], m["title"]) for m in _memos(study_db)] == [(1, "project", "Sampling"),
                                                                            (2, "code:COST", "Scope")]
    shown = qcode("memo", "show", "2", "--db", study_db)
    assert "memo 2 on code:COST: Scope" in shown.output and "Rural leaders mention *buses*." in shown.output
    listed = qcode("memo", "list", "--on", "code:COST", "--db", study_db)
    assert "Scope" in listed.output and "Sampling" not in listed.output
    assert qcode("memo", "edit", "2", "--title", "Scope of COST", "--coder", "ana", "--db", study_db).exit_code == 0
    assert qcode("memo", "show", "2", "--json", "--db", study_db).stdout.count("Scope of COST") == 1
    deleted = qcode("memo", "delete", "1", "--coder", "ana", "--db", study_db)
    assert "memo 1 ('Sampling') deleted" in deleted.output and [m["id"] for m in _memos(study_db)] == [2]
    assert "undid the delete of memo 1" in qcode("memo", "undo", "--coder", "ana", "--db", study_db).output
    assert "undid the edit of memo 2" in qcode("memo", "undo", "--coder", "ana", "--db", study_db).output
    assert [m["title"] for m in _memos(study_db)] == ["Sampling", "Scope"]
    assert "redid the edit of memo 2" in qcode("memo", "redo", "--coder", "ana", "--db", study_db).output
    assert "no memo undo to redo" in qcode("memo", "redo", "--coder", "ana", "--db", study_db).output
    assert "no memo change to undo" in qcode("memo", "undo", "--coder", "carla", "--db", study_db).output


@pytest.mark.parametrize("args, said", [
    (["add", "--on", "document:R9", "--title", "t"], "memo target document:R9: no document 'R9' in this project"),
    (["add", "--on", "code:NOPE", "--title", "t"], "code NOPE: memo target code:NOPE: no such code"),
    (["add", "--on", "coding:4242", "--title", "t"], "no current coding has decision id 4242"),
    (["add", "--on", "theme:1:1", "--title", "t"], "no theme run 1 in this project"),
    (["add", "--on", "interview:R1", "--title", "t"], "'interview:R1' is not a memo target"),
    (["add", "--title", " "], "a memo needs a title"),
    (["add", "--title", "t", "--text", "x", "--file", "memo.md"], "with --text or --file, not both"),
    (["add", "--title", "t", "--file", "missing.md"], "missing.md: file not found"),
    (["edit", "7", "--title", "t"], "memo 7 does not exist"),
    (["delete", "7"], "memo 7 does not exist"),
    (["list", "--on", "document:R9"], "no document 'R9'"),
])
def test_mistakes_are_one_located_line_and_change_nothing(study_db, tmp_path, monkeypatch, args, said):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "memo.md").write_text("x", encoding="utf-8")
    coder = ["--coder", "ana"] if args[0] in ("add", "edit", "delete") else []
    result = qcode("memo", *args, *coder, "--db", study_db)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and said in lines[0], result.stderr
    assert _memos(study_db) == []


def test_a_file_that_is_not_utf8_is_named_with_the_fix(study_db, tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\xe9".encode("latin-1"))
    result = qcode("memo", "add", "--title", "t", "--file", latin, "--coder", "ana", "--db", study_db)
    assert result.exit_code == 1 and f"{latin}: not UTF-8 text" in result.stderr and "save the file as UTF-8" in \
        result.stderr


def test_a_coding_can_be_named_by_document_turn_and_code(study_db):
    added = qcode("memo", "add", "--on", "coding:R1:2:COST", "--title", "Why", "--coder", "ana", "--json",
                  "--db", study_db)
    codings = json.loads(qcode("codings", "--json", "--document", "R1", "--db", study_db).stdout)
    decision = next(c["decision_id"] for c in codings if (c["turn"], c["code"]) == (2, "COST"))
    assert json.loads(added.stdout)["target"] == f"coding:{decision}"
    listed = qcode("memo", "list", "--on", "coding:R1:2:COST", "--json", "--db", study_db)
    assert [m["title"] for m in json.loads(listed.stdout)] == ["Why"]
    both = qcode("memo", "add", "--on", "coding:R1:2:EQUITY", "--title", "t", "--coder", "carla", "--db", study_db)
    assert both.exit_code == 1 and "2 codings match" in both.stderr and "name one as coding:DECISION_ID" in both.stderr
