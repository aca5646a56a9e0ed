"""App tests: each test gets its own copy of a project built once per session, and an AppTest on app.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.project import REPO, build_sample_project, copy_project

APP = REPO / "app.py"
VIEWS = "coding/ui/views"


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> tuple[Path, Path]:
    return build_sample_project(tmp_path_factory.mktemp("built"))


@pytest.fixture
def project(built_project, tmp_path, monkeypatch) -> Iterator[tuple[Path, Path]]:
    """(project file, codebook YAML) private to the test; the app opens it through QCODE_DB."""
    copy = copy_project(built_project, tmp_path / "copy")
    monkeypatch.setenv("QCODE_DB", str(copy[0]))
    yield copy
    from coding.ui import state

    state._open.clear()  # closes the app's connection to this copy


def _open(view: str | None = None, coder: str | None = "ana") -> AppTest:
    """The app run once (as `coder`), switched to a view and run again."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    if coder:
        at.session_state["coder"] = coder
    at.run()
    if view:
        at.switch_page(f"{VIEWS}/{view}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def open_app(project) -> Callable[..., AppTest]:
    """`open_app("review", coder="ana")` on a copy of the sample project."""
    return _open


@pytest.fixture
def open_bare_app(bare_project) -> Callable[..., AppTest]:
    """`open_bare_app("review")` on a one-interview project without suggestions or themes."""
    return _open


def read_project(path: Path):
    """The project opened beside the app (same process, same DuckDB instance), for asserting on what was saved."""
    from coding.store import open_project

    return open_project(path)


@pytest.fixture
def bare_project(tmp_path, monkeypatch) -> Iterator[Path]:
    """A one-interview project with a codebook and nothing else, opened by the app through QCODE_DB."""
    from tests.app.project import build_bare_project

    path = build_bare_project(tmp_path / "bare")
    monkeypatch.setenv("QCODE_DB", str(path))
    yield path
    from coding.ui import state

    state._open.clear()
