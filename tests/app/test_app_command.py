"""`qcode app` starts Streamlit on localhost for the chosen project, without usage statistics."""

from __future__ import annotations

import subprocess

from typer.testing import CliRunner

from coding.cli import app_cmds
from coding.cli.main import app


def test_qcode_app_runs_streamlit_on_localhost_for_the_project(project, monkeypatch):
    calls = []
    monkeypatch.setattr(app_cmds, "run_until_stopped", lambda command: calls.append(command) or 0)
    result = CliRunner().invoke(app, ["app", "--db", str(project[0]), "--port", "8765", "--no-browser"])
    assert result.exit_code == 0, result.output
    command = calls[0]
    assert command[command.index("run") + 1] == str(app_cmds.APP_FILE)
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert command[command.index("--server.port") + 1] == "8765"
    assert command[command.index("--browser.gatherUsageStats") + 1] == "false"
    assert command[command.index("--server.headless") + 1] == "true"
    assert command[-2:] == ["--db", str(project[0].resolve())]


def test_qcode_app_reports_a_missing_project_without_starting_a_server(tmp_path, monkeypatch):
    monkeypatch.setattr(subprocess, "Popen", lambda *args, **kwargs: 1 / 0)
    result = CliRunner().invoke(app, ["app", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1
    assert "no project here" in result.output


def test_the_shipped_streamlit_config_binds_to_localhost_and_sends_no_statistics():
    import tomllib

    config = tomllib.loads((app_cmds.APP_FILE.parent / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"
    assert config["server"]["headless"] is True
    assert config["browser"]["gatherUsageStats"] is False
