"""qcode works with the network cut off: ingest, embed, themes, suggest and export all run with every socket
connection refused; the shipped Streamlit settings keep the app on localhost and send no usage statistics."""

from __future__ import annotations

import socket
import tomllib

import pytest
from typer.testing import CliRunner

from coding.cli.main import app
from tests.conftest import REPO
from tests.reliability.conftest import CODEBOOK, write_interviews


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to connect anywhere (or to resolve a name) fails the test, and is recorded."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise NetworkUsed(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_the_guard_really_blocks_connections(no_network):
    with pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(NetworkUsed), socket.socket() as sock:
        sock.connect(("127.0.0.1", 9))
    assert len(no_network) == 2


def test_the_whole_pipeline_runs_offline_with_the_fake_embedder(no_network, tmp_path):
    folder = tmp_path / "interviews"
    write_interviews(folder, 6)
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text(CODEBOOK, encoding="utf-8")
    db = tmp_path / "project.duckdb"
    runner = CliRunner()
    steps = [
        ["init"],
        ["ingest", str(folder)],
        ["codebook", "load", str(codebook)],
        ["embed", "--model", "fake"],
        ["themes", "--reducer", "pca", "--model", "fake"],
        ["suggest", "--model", "fake"],
        ["export", str(tmp_path / "codings.csv")],
        ["export", str(tmp_path / "study.qdpx")],
    ]
    for step in steps:
        result = runner.invoke(app, [*step, "--db", str(db)])
        assert result.exit_code == 0, f"{step}: {result.output} {result.exception!r}"
    assert (tmp_path / "codings.csv").stat().st_size > 0
    assert (tmp_path / "study.qdpx").stat().st_size > 0
    assert no_network == []


def test_the_shipped_streamlit_config_binds_to_localhost_and_sends_no_statistics():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["address"] == "127.0.0.1"
