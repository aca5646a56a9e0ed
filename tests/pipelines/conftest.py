"""A project built from the sample interviews with the default codebook (fake embedder keeps it fast)."""

from __future__ import annotations

import shutil

import pytest

from coding.project_codebook import load_codebook_file
from coding.store import open_project
from pipelines.ingest import ingest_paths

from tests.conftest import SAMPLE_CODEBOOK, SAMPLE_TRANSCRIPTS


@pytest.fixture(scope="session")
def sample_project_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    codebook = folder / "codebook.yaml"
    shutil.copy(SAMPLE_CODEBOOK, codebook)
    path = folder / "sample.duckdb"
    store = open_project(path, create=True)
    ingest_paths(store, [SAMPLE_TRANSCRIPTS])
    load_codebook_file(store, codebook)
    store.close()
    return path


@pytest.fixture
def sample_store(sample_project_file, tmp_path):
    copy = tmp_path / "project.duckdb"
    shutil.copy(sample_project_file, copy)
    store = open_project(copy)
    yield store
    store.close()
