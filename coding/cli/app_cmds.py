"""`qcode app`: the coding app in the browser, served by Streamlit on this machine only, sending no statistics."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from coding.cli.common import DbOption, console, default_db, project
from coding.errors import Problem, QcodeError

APP_FILE = Path(__file__).resolve().parents[2] / "app.py"


def streamlit_command(db: Path, port: int, open_browser: bool = True) -> list[str]:
    """The `streamlit run` command line for a project: localhost only, no usage statistics."""
    return [
        sys.executable, "-m", "streamlit", "run", str(APP_FILE),
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.headless", "false" if open_browser else "true",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "viewer",
        "--", "--db", str(db),
    ]


def open_app(
    db: DbOption = default_db(),
    port: Annotated[int, typer.Option(help="Local port to serve the app on.")] = 8501,
    browser: Annotated[bool, typer.Option("--browser/--no-browser", help="Open a browser tab.")] = True,
) -> None:
    """Open the project in the coding app (http://127.0.0.1:PORT; Ctrl+C stops it)."""
    if not APP_FILE.exists():
        raise QcodeError(Problem("the app's app.py is not beside the qcode package", path=str(APP_FILE),
                                 hint="install qcode from its source folder: pip install -e ."))
    with project(db):  # a missing, locked or newer project is reported here, before the server starts
        pass
    console.print(f"qcode app for {db} on http://127.0.0.1:{port} (Ctrl+C stops it)", markup=False)
    try:
        status = subprocess.call(streamlit_command(db.resolve(), port, browser))
    except KeyboardInterrupt:  # Ctrl+C is how the app is meant to stop
        status = 0
    raise typer.Exit(status)
