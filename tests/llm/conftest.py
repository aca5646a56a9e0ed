"""A small study (three interviews, a codebook with every structured field, codings by 'ana') and a fake model
server on 127.0.0.1 that codes by a fixed table of phrases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coding.codings.import_codings import import_codings
from coding.project_codebook import load_codebook_file, require_codebook
from coding.store import open_project
from coding.store.settings import set_setting
from pipelines.ingest import ingest_paths
from tests.llm.server import FakeChatServer

CODEBOOK = """name: LLM test codebook
version: 1
codes:
  - id: CONCERNS
    name: Concerns
    definition: Worries about AI.
  - id: COST
    name: Cost
    parent: CONCERNS
    definition: Money, budgets and licenses.
    include: [Talk of budgets or prices]
    exclude: [Staff time without money (use TRAINING)]
    examples: [The budget will not stretch to licenses.]
    counterexamples: [We spent a week on it.]
  - id: INTEGRITY
    name: Integrity
    parent: CONCERNS
    definition: Cheating and plagiarism.
  - id: PILOTS
    name: Pilots
    definition: Trials of AI tools in schools.
  - id: TRAINING
    name: Training
    definition: Professional development for staff.
"""

# phrase in a respondent turn -> the codes the fake model gives it
TABLE = {"budget": ["COST"], "pilot": ["PILOTS"], "cheating": ["INTEGRITY"], "workshop": ["TRAINING"]}

ANSWERS = [
    "The budget is the first thing the board asks about.",
    "We ran a pilot in two middle schools this spring.",
    "Teachers worry about cheating on essays.",
    "A workshop in August got most principals started.",
    "Honestly the weather has been lovely.",
]


def interview(number: int) -> str:
    parts = [f"Interview {number}\n"]
    for i, answer in enumerate(ANSWERS):
        parts.append(f"Interviewer: Question {i} in interview {number}?\n")
        parts.append(f"Dr. Lee: {answer} That was true in district {number}, part {i}.\n")
    return "\n".join(parts)


def write_study(folder: Path, documents: int = 3) -> tuple[Path, Path, Path]:
    """(transcripts folder, codebook file, ana's codings CSV). Ana agrees with the table except that she never
    codes INTEGRITY and also codes TRAINING on the pilot turn of the first interview."""
    transcripts = folder / "interviews"
    transcripts.mkdir(parents=True)
    rows = ["document,turn,code"]
    for number in range(1, documents + 1):
        name = f"D{number:02d}"
        (transcripts / f"{name}.txt").write_text(interview(number), encoding="utf-8")
        rows += [f"{name},2,COST", f"{name},4,PILOTS", f"{name},8,TRAINING"]
    rows.append("D01,4,TRAINING")
    codebook = folder / "codebook.yaml"
    codebook.write_text(CODEBOOK, encoding="utf-8")
    codings = folder / "ana.csv"
    codings.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return transcripts, codebook, codings


@pytest.fixture
def chat_server():
    server = FakeChatServer(dict(TABLE)).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def study_project_file(tmp_path_factory) -> Path:
    """The study ingested, its codebook loaded and ana's codings imported, built once; tests work on copies."""
    transcripts, codebook_file, codings = write_study(tmp_path_factory.mktemp("llm-study"))
    path = transcripts.parent / "study.duckdb"
    store = open_project(path, create=True)
    try:
        ingest_paths(store, [transcripts])
        load_codebook_file(store, codebook_file)
        import_codings(store, codings, "ana", require_codebook(store)[1])
    finally:
        store.close()
    return path


@pytest.fixture
def study_project(study_project_file, tmp_path) -> Path:
    copy = tmp_path / "project.duckdb"
    shutil.copy(study_project_file, copy)
    return copy


@pytest.fixture
def llm_store(study_project, chat_server):
    """A copy of the study project with the fake server configured."""
    store = open_project(study_project)
    set_setting(store, "llm_endpoint", chat_server.base_url)
    set_setting(store, "llm_model", chat_server.model)
    set_setting(store, "llm_timeout", 5.0)
    yield store
    store.close()
