"""The README's Search examples run as typed on the sample interviews (semantic ones with the fake embedder here;
the real model's run is `pytest -m model` territory)."""

from __future__ import annotations

import re
import shlex

from typer.testing import CliRunner

from coding.cli.main import app
from tests.conftest import REPO, SAMPLE_CODEBOOK, SAMPLE_TRANSCRIPTS


def _search_block() -> list[list[str]]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Search", 1)[1].split("###", 1)[0]
    block = re.search(r"```\n(.*?)```", section, re.S).group(1)
    return [shlex.split(line.split("  #", 1)[0]) for line in block.splitlines() if line.strip()]


def test_readme_search_examples_work_on_the_sample_project(project_path, monkeypatch):
    monkeypatch.delenv("QCODE_CODER", raising=False)
    runner = CliRunner()
    db = ["--db", str(project_path)]
    for args in (["init"], ["ingest", str(SAMPLE_TRANSCRIPTS), "--metadata", str(SAMPLE_TRANSCRIPTS / "metadata.csv")],
                 ["codebook", "load", str(SAMPLE_CODEBOOK)], ["config", "embedding_model", "fake"]):
        assert runner.invoke(app, [*args, *db]).exit_code == 0
    commands = _search_block()
    assert [c[:2] for c in commands][:3] == [["qcode", "search"]] * 3
    for command in commands:
        assert command[0] == "qcode"
        result = runner.invoke(app, [*command[1:], *db], input="y\n")
        assert result.exit_code == 0, (command, result.output)
        if command[1] == "search":
            assert not re.search(r"\b0 (hits|excerpts)\b", result.output), (command, result.output)
        if "--code" in command:
            assert "coded 1 hit as EQUITY for ana" in result.output
        if command[1] == "undo":
            assert "undid 1 decision(s)" in result.output
