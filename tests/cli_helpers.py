"""Running the `qcode` CLI in-process from tests."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from coding.cli.main import app

runner = CliRunner()


def qcode(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    """Run the CLI in-process; a user mistake must never surface as a traceback or an uncaught exception."""
    result = runner.invoke(app, [str(a) for a in args], env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def wide_qcode(*args: str | Path) -> Result:
    """`qcode` with a 200-column terminal, so tables are not wrapped."""
    return qcode(*args, env={"COLUMNS": "200"})
