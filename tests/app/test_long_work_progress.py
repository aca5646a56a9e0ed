"""Long work shows that it is alive (issue 15): every stage after embedding says its name and item count, in the
CLI (a line per stage with its time) and in the app (the job's progress text)."""

from __future__ import annotations

import io
import re

from typer.testing import CliRunner

from coding.cli.main import app as cli
from coding.ui.jobs import Job, describe
from tests.conftest import SAMPLE_TRANSCRIPTS


def _stderr(result) -> str:
    try:
        return result.stderr
    except ValueError:  # an older click mixes the streams
        return result.output


def test_qcode_themes_reports_each_stage_with_its_count_and_time(project):
    result = CliRunner().invoke(cli, ["themes", "--reducer", "pca", "--db", str(project[0])])
    assert result.exit_code == 0, result.output
    lines = _stderr(result)
    for stage in ("reduce", "cluster", "keywords", "mentions", "describe", "evidence", "group", "save"):
        assert f"themes: {stage} (" in lines, (stage, lines)
        assert f"themes: {stage} done in " in lines, (stage, lines)
    assert "themes: evidence (381 items)" in lines  # every excerpt of the project


def test_qcode_suggest_reports_each_stage_with_its_count_and_time(project):
    imported = CliRunner().invoke(cli, ["import-codings", str(SAMPLE_TRANSCRIPTS / "sample-codings.csv"),
                                        "--coder", "ana", "--db", str(project[0])])
    assert imported.exit_code == 0, imported.output
    result = CliRunner().invoke(cli, ["suggest", "--db", str(project[0])])
    assert result.exit_code == 0, result.output
    lines = _stderr(result)
    for stage in ("code prototypes", "zero-shot", "learn", "score", "evidence", "save"):
        assert f"suggest: {stage} (" in lines and f"suggest: {stage} done in " in lines, (stage, lines)
    assert "suggest: score (381 items)" in lines  # every excerpt of the project


def test_the_cli_bar_counts_inside_a_stage_under_its_name(monkeypatch):
    from rich.console import Console

    from coding.cli import progress as cli_progress

    screen = Console(file=io.StringIO(), force_terminal=True, width=120)
    monkeypatch.setattr(cli_progress, "error_console", screen)
    with cli_progress.pipeline_progress("suggest", "embedding with fake") as (progress, stage):
        progress(40, 40)
        stage("learn", 12)
        progress(7, 12)
        during = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.file.getvalue())  # without colours and cursor moves
    assert "suggest: learn (12 items)..." in during
    bar = during.split("suggest: learn (12 items)...")[-1]
    assert re.search(r"suggest: learn\W+7/12", bar), bar


def test_a_job_in_the_app_names_its_stage_and_count():
    job = Job(kind="themes", label="Finding themes")
    assert describe(job).startswith("Finding themes: starting")
    job.progress(120, 380)
    assert "Finding themes: 120 of 380 (" in describe(job)
    job.stage("cluster", 380)
    text = describe(job)
    assert text.startswith("Finding themes: cluster, 380 items (") and "s in this stage" in text


def test_a_job_in_a_stage_that_counts_says_how_far_it_is():
    job = Job(kind="suggest", label="Computing suggestions")
    job.progress(380, 380)  # embedding
    job.stage("learn", 12)
    assert describe(job).startswith("Computing suggestions: learn, 12 items (")
    job.progress(7, 12)
    assert describe(job).startswith("Computing suggestions: learn, 7 of 12 (") and job.fraction == 7 / 12
    job.stage("score", 20_000)
    job.progress(3_000, 20_000)
    assert describe(job).startswith("Computing suggestions: score, 3,000 of 20,000 (")
    job.stage("evidence", 20_000)  # a stage that does not count starts without the last one's count
    assert describe(job).startswith("Computing suggestions: evidence, 20,000 items (")
