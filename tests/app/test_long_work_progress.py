"""Long work shows that it is alive (issue 15): every stage after embedding says its name and item count, in the
CLI (a line per stage with its time) and in the app (the job's progress text)."""

from __future__ import annotations

from typer.testing import CliRunner

from coding.cli.main import app as cli
from coding.ui.jobs import Job, describe


def _stderr(result) -> str:
    try:
        return result.stderr
    except ValueError:  # an older click mixes the streams
        return result.output


def test_qcode_themes_reports_each_stage_with_its_count_and_time(project):
    result = CliRunner().invoke(cli, ["themes", "--reducer", "pca", "--db", str(project[0])])
    assert result.exit_code == 0, result.output
    lines = _stderr(result)
    for stage in ("reduce", "cluster", "keywords", "describe", "evidence", "group", "save"):
        assert f"themes: {stage} (" in lines, (stage, lines)
        assert f"themes: {stage} done in " in lines, (stage, lines)
    assert "themes: evidence (381 items)" in lines  # every excerpt of the project


def test_qcode_suggest_reports_each_stage_with_its_count_and_time(project):
    result = CliRunner().invoke(cli, ["suggest", "--db", str(project[0])])
    assert result.exit_code == 0, result.output
    lines = _stderr(result)
    for stage in ("learn and score", "evidence", "save"):
        assert f"suggest: {stage} (" in lines and f"suggest: {stage} done in " in lines, (stage, lines)


def test_a_job_in_the_app_names_its_stage_and_count():
    job = Job(kind="themes", label="Finding themes")
    assert describe(job).startswith("Finding themes: starting")
    job.progress(120, 380)
    assert "Finding themes: 120 of 380 (" in describe(job)
    job.stage("cluster", 380)
    text = describe(job)
    assert text.startswith("Finding themes: cluster, 380 items (") and "s in this stage" in text
