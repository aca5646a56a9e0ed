"""Ctrl+C is Ctrl+C however it arrives. Landing inside a DuckDB statement, it comes back as DuckDB's own "Query
interrupted" error rather than KeyboardInterrupt; a command must still end as any interrupted command does (exit
status 130, as for SIGINT), not with a traceback."""

from __future__ import annotations

import threading

import duckdb
import pytest
from typer.testing import CliRunner

import coding.cli.export_cmds as export_cmds
from coding.cli.main import app
from coding.store.connection import interrupted


@pytest.mark.parametrize("error, expected", [
    (KeyboardInterrupt(), True),
    (duckdb.InterruptException("INTERRUPT Error: Interrupted!"), True),
    (RuntimeError("Query interrupted"), True),
    (RuntimeError("Query failed"), False),
    (ValueError("Query interrupted"), False),
    (duckdb.IOException("No space left on device"), False),
])
def test_ctrl_c_is_recognised_in_each_form_it_takes(error, expected):
    assert interrupted(error) is expected


def test_a_statement_duckdb_interrupts_raises_what_is_recognised_as_ctrl_c():
    connection = duckdb.connect(":memory:")
    timer = threading.Timer(0.3, connection.interrupt)
    timer.start()
    try:
        with pytest.raises(BaseException) as raised:
            connection.execute("SELECT count(*) FROM range(10000000000) a WHERE a.range % 7 = 3").fetchall()
    finally:
        timer.cancel()
        connection.close()
    assert interrupted(raised.value), repr(raised.value)


def test_ctrl_c_inside_a_statement_ends_the_command_without_a_traceback(tmp_path, monkeypatch):
    db = str(tmp_path / "project.duckdb")
    assert CliRunner().invoke(app, ["init", "--db", db]).exit_code == 0

    def interrupted_export(*args, **kwargs):
        raise RuntimeError("Query interrupted")

    monkeypatch.setattr(export_cmds, "write_export", interrupted_export)
    result = CliRunner().invoke(app, ["export", str(tmp_path / "codings.csv"), "--db", db])
    assert result.exit_code == 130, (result.output, result.exception)
    assert not isinstance(result.exception, RuntimeError) and "Traceback" not in result.output
    assert not (tmp_path / "codings.csv").exists()
