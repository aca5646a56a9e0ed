"""Fixtures shared by every suite: a throwaway project and the paths of the sample material."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE_TRANSCRIPTS = REPO / "transcripts"
SAMPLE_CODEBOOK = REPO / "codebooks" / "district-leaders-ai.yaml"
SHARED = REPO.parent / "shared"
CORPUS_DEV = SHARED / "corpus-dev"
REFI_QDA = SHARED / "refi-qda"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch, tmp_path):
    """Keep a developer's QCODE_DB and hub settings out of tests, and never touch the network hub."""
    monkeypatch.delenv("QCODE_DB", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture
def project_path(tmp_path) -> Path:
    return tmp_path / "project.duckdb"


@pytest.fixture
def store(project_path):
    from coding.store import open_project

    project = open_project(project_path, create=True)
    yield project
    project.close()


def corpus_dev_or_skip() -> Path:
    if not (CORPUS_DEV / "transcripts").is_dir():
        pytest.skip("../shared/corpus-dev is not present")
    return CORPUS_DEV
