"""A small ingested project with a codebook, built with the real library."""

from __future__ import annotations

from pathlib import Path

import pytest

from coding.codebook import codebook_from_yaml_text
from coding.store import codebooks as codebook_store
from pipelines.ingest import ingest_paths

INTERVIEW = """Study interview T1

Interviewer: How is AI showing up in your district?

Dr. Rivera: We started a pilot with forty teachers. They use it for lesson plans.
The budget is tight, so the licenses worry me.

Interviewer: What about students?

Dr. Rivera: Cheating is the first thing parents ask about. We rewrote the honor code last spring.
3/7
Honestly the “plagiarism detectors” don’t work well.
"""

CODEBOOK = """name: Test codebook
version: 1
codes:
  - id: CONCERNS
    name: Concerns
  - id: COST
    name: Cost
    parent: CONCERNS
    definition: Money, budgets and licenses.
  - id: INTEGRITY
    name: Cheating
    parent: CONCERNS
    definition: Cheating and plagiarism.
  - id: PILOTS
    name: Pilots
    definition: Pilots and trials.
"""


@pytest.fixture
def coded_project(store, tmp_path):
    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "T1.txt").write_text(INTERVIEW, encoding="utf-8")
    report = ingest_paths(store, [folder])
    assert report.ingested_any
    codebook_store.save_codebook(store, codebook_from_yaml_text(CODEBOOK, "test.yaml"))
    return store


def write_csv(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
