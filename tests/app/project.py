"""A project built with the real library for the app tests: the sample interviews plus one hostile transcript,
the default codebook (from a copy of its YAML file, so edits can be written back) and suggestions computed by the
real pipeline with the fake embedder."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from coding.embedding.fake import HashEmbedder
from coding.project_codebook import CODEBOOK_FILE_SETTING, load_codebook_file
from coding.store import open_project
from coding.store import documents as doc_store
from coding.store.settings import set_setting
from pipelines.ingest import ingest_paths
from pipelines.suggest import run_suggestions

REPO = Path(__file__).resolve().parents[2]
SAMPLE_TRANSCRIPTS = REPO / "transcripts"
SAMPLE_CODEBOOK = REPO / "codebooks" / "district-leaders-ai.yaml"

# Transcript text is untrusted: the app must show this as typed and run nothing.
HOSTILE = """Interview X01

Interviewer: Anything else?

Pat Q. Hacker: <script>window.qcodeHacked = true</script> **not bold** and <b>not bold either</b>. We spent the grant on licenses.
"""


def build_sample_project(folder: Path) -> tuple[Path, Path]:
    """Make `folder/project.duckdb` and `folder/codebook.yaml`; returns both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    transcripts = folder / "transcripts"
    shutil.copytree(SAMPLE_TRANSCRIPTS, transcripts)
    (transcripts / "X01.txt").write_text(HOSTILE, encoding="utf-8")
    codebook = folder / "codebook.yaml"
    shutil.copy(SAMPLE_CODEBOOK, codebook)
    path = folder / "project.duckdb"
    with open_project(path, create=True) as store:
        report = ingest_paths(store, [transcripts])
        assert report.ingested_any and not report.all_problems, report.all_problems
        load_codebook_file(store, codebook, created_by="setup")
        set_setting(store, "embedding_model", "fake")
        run_suggestions(store, HashEmbedder())
        store.conn.execute("CHECKPOINT")
    return path, codebook


def copy_project(built: tuple[Path, Path], target: Path) -> tuple[Path, Path]:
    """A private copy of a built project whose codebook file setting points at a private copy of the YAML."""
    target.mkdir(parents=True, exist_ok=True)
    path, codebook = target / "project.duckdb", target / "codebook.yaml"
    shutil.copy(built[0], path)
    shutil.copy(built[1], codebook)
    with open_project(path) as store:
        set_setting(store, CODEBOOK_FILE_SETTING, str(codebook.resolve()))
    return path, codebook


def fake_theme_run(store) -> int:
    """A stored theme run made by hand (three themes, a few unthemed excerpts), for testing the Themes view."""
    from coding.models import CodeScore, Theme, ThemeMember, ThemeMention, ThemeRun
    from coding.store.themes import save_theme_run

    excerpts = doc_store.get_excerpts(store)
    groups = {1: [e for e in excerpts if e.document == "S01"], 2: [e for e in excerpts if e.document == "S02"],
              3: [e for e in excerpts if e.document == "S03"]}
    themes = [
        Theme(theme=1, label="time saved planning", keywords=["time", "planning", "hours"], size=len(groups[1]),
              documents=1, speakers=1, status="matched", codes=[CodeScore(code="TIME_SAVINGS", score=0.71)]),
        Theme(theme=2, label="rural connectivity", keywords=["internet", "rural", "bus"], size=len(groups[2]),
              documents=1, speakers=1, status="straddles",
              codes=[CodeScore(code="EQUITY", score=0.52), CodeScore(code="COST", score=0.49)]),
        Theme(theme=3, label="union negotiations", keywords=["union", "contract"], size=len(groups[3]), documents=1,
              speakers=1, status="new"),
    ]
    members = [ThemeMember(excerpt_id=e.id, theme=t, representative_rank=i + 1 if i < 3 else None)
               for t, group in groups.items() for i, e in enumerate(group)]
    outliers = [e for e in excerpts if e.document == "S04"][:4]
    members += [ThemeMember(excerpt_id=e.id, theme=-1, nearest_theme=1, similarity=0.8 - 0.2 * i)
                for i, e in enumerate(outliers)]
    # theme 3 also comes up in the first two excerpts of S05, which stay outside it
    mentions = [ThemeMention(excerpt_id=e.id, theme=3, score=0.5 - 0.1 * i)
                for i, e in enumerate([e for e in excerpts if e.document == "S05"][:2])]
    run = ThemeRun(model_id="fake-hash-64", codebook_version=1, manifest={"settings": {}})
    return save_theme_run(store, run, themes, {t.theme: np.zeros(64, dtype=np.float32) for t in themes}, members,
                          mentions=mentions)


TINY = """Interview T01

Interviewer: How is AI showing up in your district?

Dr. Rivera: We started a pilot with forty teachers. They use it for lesson plans.

Interviewer: And the budget?

Dr. Rivera: The licenses worry me. The grant ends next June.
"""


def build_bare_project(folder: Path) -> Path:
    """One short interview and the default codebook: no suggestions, no themes, no codings."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "T01.txt").write_text(TINY, encoding="utf-8")
    path = folder / "bare.duckdb"
    with open_project(path, create=True) as store:
        ingest_paths(store, [folder / "T01.txt"])
        load_codebook_file(store, SAMPLE_CODEBOOK, created_by="setup")
        set_setting(store, CODEBOOK_FILE_SETTING, None)  # never write back to the repository's codebook
        set_setting(store, "embedding_model", "fake")
    return path
