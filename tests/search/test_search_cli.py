"""`qcode search`: the JSON contract, code-all-hits with and without confirmation, and one-line errors."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from coding.cli.main import app
from coding.store import open_project
from coding.store import codings as coding_store

HIT_FIELDS = {"document", "turn", "speaker", "role", "start", "end", "text", "before", "after", "excerpt_id", "score",
              "attributes"}


@pytest.fixture
def project_file(search_project, project_path):
    search_project.close()
    return project_path


def _run(project_file, *args, input=None):
    return CliRunner().invoke(app, ["search", *args, "--db", str(project_file)], input=input)


def test_json_contract(project_file):
    result = _run(project_file, "budget", "--where", "district_type=rural", "--role", "respondent", "--limit", "1",
                  "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {k: payload[k] for k in ("mode", "query", "total", "model_id", "unembedded")} == {
        "mode": "text", "query": "budget", "total": 2, "model_id": None, "unembedded": 0}
    assert len(payload["hits"]) == 1
    with open_project(project_file) as store:
        texts = dict(store.conn.execute("SELECT name, text FROM documents").fetchall())
    for hit in payload["hits"]:
        assert set(hit) == HIT_FIELDS
        assert texts[hit["document"]][hit["start"]:hit["end"]] == hit["text"]
        assert hit["role"] == "respondent" and hit["attributes"]["district_type"] == "rural"


def test_semantic_json(project_file):
    assert CliRunner().invoke(app, ["embed", "--model", "fake", "--db", str(project_file)]).exit_code == 0
    result = _run(project_file, "privacy questions from the board", "--semantic", "--model", "fake", "--json",
                  "--limit", "3")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["mode"] == "semantic" and payload["model_id"] == "fake-hash-64" and len(payload["hits"]) == 3
    scores = [h["score"] for h in payload["hits"]]
    assert scores == sorted(scores, reverse=True)
    like = json.loads(_run(project_file, "--like", payload["hits"][0]["excerpt_id"], "--model", "fake",
                           "--json").stdout)
    assert payload["hits"][0]["excerpt_id"] not in {h["excerpt_id"] for h in like["hits"]}


def test_code_all_hits_after_confirmation(project_file):
    declined = _run(project_file, "budget", "--code", "COST", "--coder", "ana", input="n\n")
    assert declined.exit_code == 1 and "nothing coded" in declined.output
    assert "R1" in declined.stdout and "U1" in declined.stdout  # the preview lists every hit first
    with open_project(project_file) as store:
        assert coding_store.current_codings(store) == []
    accepted = _run(project_file, "budget", "--code", "COST", "--coder", "ana", input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert "coded 5 hits as COST for ana" in accepted.output
    with open_project(project_file) as store:
        assert len(coding_store.current_codings(store, coder="ana")) == 5
    undo = CliRunner().invoke(app, ["undo", "--coder", "ana", "--db", str(project_file)])
    assert "undid 5 decision(s)" in undo.output


def test_code_with_yes_and_json(project_file):
    result = _run(project_file, "privacy", "--code", "PRIVACY", "--coder", "ben", "--yes", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["coded"]["hits"] == 2 and payload["coded"]["code"] == "PRIVACY" and payload["coded"]["batch"]


@pytest.mark.parametrize("args, message", [
    (["(", "--regex"], "'(' is not a valid regular expression"),
    (["budget", "--where", "region=South"], "no document has the attribute 'region'"),
    (["budget", "--code", "NOPE", "--coder", "ana", "--yes"], "unknown code 'NOPE'"),
    (["budget", "--code", "COST"], "--code needs --coder NAME"),
    (["budget", "--code", "COST", "--coder", "ana", "--json"], "--code with --json cannot ask for confirmation"),
    (["budget", "--like", "R1:2:1"], "give either TEXT or --like EXCERPT_ID, not both"),
    ([], "nothing to search for"),
    (["x", "--semantic", "--model", "fake"], "no excerpt has a vector from fake-hash-64 yet"),
])
def test_mistakes_are_one_line_and_change_nothing(project_file, args, message, monkeypatch):
    monkeypatch.delenv("QCODE_CODER", raising=False)
    result = _run(project_file, *args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    with open_project(project_file) as store:
        assert store.conn.execute("SELECT count(*) FROM decisions").fetchone()[0] == 0


def test_a_listing_shows_the_first_hundred_but_coding_takes_every_hit(project_file, tmp_path):
    from coding.cli.search_cmds import TEXT_LIMIT

    folder = tmp_path / "long"
    folder.mkdir()
    answer = " ".join(["Privacy matters."] * (TEXT_LIMIT + 5))
    (folder / "L1.txt").write_text(f"Interview L1\n\nInterviewer: And?\n\nMs. Kim: {answer}\n", encoding="utf-8")
    assert CliRunner().invoke(app, ["ingest", str(folder), "--db", str(project_file)]).exit_code == 0
    listed = json.loads(_run(project_file, "privacy matters", "--json").stdout)
    assert listed["total"] == TEXT_LIMIT + 5 and len(listed["hits"]) == TEXT_LIMIT
    coded = json.loads(_run(project_file, "privacy matters", "--code", "PRIVACY", "--coder", "ana", "--yes",
                            "--json").stdout)
    assert len(coded["hits"]) == TEXT_LIMIT + 5 and coded["coded"]["hits"] == TEXT_LIMIT + 5
    partial = _run(project_file, "privacy", "--limit", "3", "--code", "PRIVACY", "--coder", "ben", "--yes")
    assert "only the 3 hits shown are coded" in partial.output


def test_coding_the_same_hits_again_logs_nothing_and_says_so(project_file):
    assert _run(project_file, "privacy", "--code", "PRIVACY", "--coder", "ana", "--yes").exit_code == 0
    again = _run(project_file, "privacy", "--code", "PRIVACY", "--coder", "ana", "--yes", "--json")
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["coded"] == {"code": "PRIVACY", "coder": "ana", "hits": 0, "already": 2,
                                                 "batch": None}
    wider = _run(project_file, "privacy|budget", "--regex", "--code", "PRIVACY", "--coder", "ana", "--yes")
    assert "coded 5 hits as PRIVACY for ana" in wider.output and "2 hits already had it" in wider.output
    with open_project(project_file) as store:
        assert store.conn.execute("SELECT count(*) FROM decisions").fetchone()[0] == 7
