"""Fixtures: the tiny study of tests/analysis/builder.py, built once per session and copied for each test."""

from __future__ import annotations

import shutil

import pytest

from tests.analysis.builder import build_template, open_copy


@pytest.fixture(scope="session")
def study_template(tmp_path_factory):
    return build_template(tmp_path_factory.mktemp("study"))


@pytest.fixture
def study(study_template, project_path):
    store = open_copy(study_template, project_path)
    yield store
    store.close()


@pytest.fixture
def study_db(study_template, tmp_path):
    """A copy of the study as a closed project file, for the CLI."""
    target = tmp_path / "cli.duckdb"
    shutil.copyfile(study_template, target)
    return target
