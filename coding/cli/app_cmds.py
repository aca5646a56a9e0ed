"""`qcode app`: the coding app in the browser, served by Streamlit on this machine only, sending no statistics."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from coding.cli.common import DbOption, console, default_db, project
from coding.errors import Problem, QcodeError

APP_FILE = Path(__file__).resolve().parents[2] / "app.py"


def streamlit_command(db: Path, port: int) -> list[str]:
    """The `streamlit run` command line for a project: localhost only, no usage statistics, and headless, because a
    non-headless first run stops at Streamlit's e-mail prompt (qcode opens the browser itself)."""
    return [
        sys.executable, "-m", "streamlit", "run", str(APP_FILE),
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.headless", "true",
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
    url = f"http://127.0.0.1:{port}"
    console.print(f"qcode app for {db} on {url} (Ctrl+C stops it)", markup=False)
    if browser:
        opener = threading.Timer(3.0, webbrowser.open, [url])  # once the server has had time to start
        opener.daemon = True
        opener.start()
    raise typer.Exit(run_until_stopped(streamlit_command(db.resolve(), port)))


def run_until_stopped(command: list[str], grace: float = 30.0) -> int:
    """Run the server until it ends. Ctrl+C or SIGTERM to this process stops the server with SIGTERM and waits for
    it, so that it checkpoints and closes the project (`subprocess.call` would SIGKILL it and leave the session's
    decisions in the WAL)."""
    server = subprocess.Popen(command)
    try:
        return server.wait()
    except (KeyboardInterrupt, SystemExit):  # Ctrl+C is how the app is meant to stop
        if server.poll() is None:
            server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        return 0
