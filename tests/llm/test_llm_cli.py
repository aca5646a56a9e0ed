"""The LLM coder end to end through the CLI against the test server: config, suggest --llm (estimate first, resume),
evaluate --llm, agreement with the pseudo-coder llm, the methods report; and no request without an endpoint."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from coding.cli.main import app
from coding.store import open_project
from coding.store.llm_answers import latest_llm_run
from tests.llm.conftest import TABLE
from tests.reliability.test_offline import no_network  # noqa: F401 (a fixture)

runner = CliRunner()
TURNS = 15  # 3 interviews x 5 respondent turns


def qcode(db: Path, *args: str | Path, env: dict | None = None) -> Result:
    result = runner.invoke(app, [*map(str, args), "--db", str(db)], env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def latest_manifest(db: Path) -> dict:
    store = open_project(db)
    try:
        return latest_llm_run(store).manifest
    finally:
        store.close()


@pytest.fixture
def db(study_project) -> Path:
    """The study (three interviews, the codebook, ana's codings), as `qcode init/ingest/codebook load/import-codings`
    leave it (built once with the same library calls)."""
    return study_project


@pytest.fixture
def configured(db, chat_server) -> Path:
    assert qcode(db, "config", "llm_endpoint", chat_server.base_url).exit_code == 0
    assert qcode(db, "config", "llm_model", chat_server.model).exit_code == 0
    return db


def test_without_an_endpoint_suggest_llm_says_how_to_set_one_and_contacts_nothing(db, no_network):
    result = qcode(db, "suggest", "--llm")
    assert result.exit_code == 1
    assert "no LLM endpoint is set" in result.output and "qcode config llm_endpoint http://" in result.output
    assert qcode(db, "evaluate", "--coder", "ana", "--llm").exit_code == 1
    assert no_network == []


def test_an_endpoint_without_a_model_is_refused_before_any_request(db, no_network):
    assert qcode(db, "config", "llm_endpoint", "http://127.0.0.1:9/v1").exit_code == 0
    result = qcode(db, "suggest", "--llm")
    assert result.exit_code == 1 and "no LLM model is set" in result.output
    assert no_network == []


@pytest.mark.parametrize("key, value, message", [
    ("llm_endpoint", "127.0.0.1:11434", "not an http(s) URL"),
    ("llm_endpoint", "ftp://host/v1", "not an http(s) URL"),
    ("llm_endpoint", "http://127.0.0.1:11434/v1/chat/completions", "names the chat endpoint itself"),
    ("llm_concurrency", "0", "between 1 and 64"),
    ("llm_concurrency", "four", "must be a whole number"),
    ("llm_batch_size", "2.5", "must be a whole number"),
    ("llm_timeout", "0.01", "between 0.1 and 3600"),
])
def test_bad_llm_settings_are_refused_with_the_reason_and_not_stored(db, key, value, message):
    result = qcode(db, "config", key, value)
    assert result.exit_code == 1 and message in result.output
    assert json.loads(qcode(db, "config", key).output) is None


def test_suggest_llm_prints_the_estimate_then_stores_a_run_with_model_host_prompt_and_justifications(
        configured, chat_server):
    estimate = qcode(configured, "suggest", "--llm", "--estimate")
    assert estimate.exit_code == 0
    assert f"{TURNS} of {TURNS} turns to ask (0 already answered), {TURNS} requests" in estimate.output
    assert "prompt tokens" in estimate.output and chat_server.requests == []
    assert "leave this machine" not in estimate.output  # 127.0.0.1 is local

    result = qcode(configured, "suggest", "--llm")
    assert result.exit_code == 0, result.output
    assert f"test-model answered {TURNS} of {TURNS} turns asked" in result.output
    assert len(chat_server.requests) == TURNS

    store = open_project(configured)
    try:
        run = store.conn.execute("SELECT model_id, manifest FROM suggestion_runs ORDER BY id DESC LIMIT 1").fetchone()
        rows = store.conn.execute("SELECT e.text, s.code, s.score, s.evidence FROM suggestions s JOIN excerpts e"
                                  " ON e.id = s.excerpt_id WHERE s.suggested ORDER BY s.excerpt_id").fetchall()
    finally:
        store.close()
    manifest = json.loads(run[1])
    assert run[0] == "llm:test-model"
    assert {k: manifest[k] for k in ("source", "model", "endpoint_host", "prompt_version", "turns_coded")} == {
        "source": "llm", "model": "test-model", "endpoint_host": "127.0.0.1", "prompt_version": "qcode-llm-1",
        "turns_coded": TURNS}
    for text, code, score, evidence in rows:
        assert [code] == [c for phrase, codes in TABLE.items() if phrase in text.lower() for c in codes]
        assert score == 0.9 and evidence.startswith('"')
    assert {code for _, code, _, _ in rows} == {"COST", "PILOTS", "INTEGRITY", "TRAINING"}


def test_a_second_run_asks_nothing_already_answered(configured, chat_server):
    assert qcode(configured, "suggest", "--llm").exit_code == 0
    again = qcode(configured, "suggest", "--llm")
    assert again.exit_code == 0
    assert f"0 of {TURNS} turns to ask ({TURNS} already answered by test-model): nothing to send" in again.output
    assert len(chat_server.requests) == TURNS


def test_failed_turns_are_reported_and_asked_again_on_the_next_run(configured, chat_server):
    chat_server.add_fault("cheating", "unknown_code", times=6)  # both tries of each of the 3 cheating turns
    first = qcode(configured, "suggest", "--llm")
    assert first.exit_code == 0
    assert first.output.count("unknown code ids NOT_A_CODE") == 3 and ", 3 failed (asked again" in first.output
    assert latest_manifest(configured)["turns_failed"] == 3 and latest_manifest(configured)["turns_coded"] == 12
    second = qcode(configured, "suggest", "--llm")
    assert f"3 of {TURNS} turns to ask" in second.output and "answered 3 of 3" in second.output
    assert latest_manifest(configured)["turns_failed"] == 0 and latest_manifest(configured)["turns_coded"] == TURNS
    assert chat_server.turns_asked()[-3:] == [t for t in chat_server.turns_asked() if "cheating" in t][-3:]


def test_documents_and_codes_limit_what_is_asked(configured, chat_server):
    result = qcode(configured, "suggest", "--llm", "--documents", "D02", "--codes", "COST,PILOTS")
    assert result.exit_code == 0 and "answered 5 of 5" in result.output
    system = chat_server.requests[0]["messages"][0]["content"]
    assert "- COST: Cost" in system and "- PILOTS: Pilots" in system and "INTEGRITY" not in system
    assert all("district 2" in text for text in chat_server.turns_asked())


@pytest.mark.parametrize("option, value, message", [
    ("--documents", "D09", "there is no document 'D09'"),
    ("--codes", "COSTS", "no code 'COSTS'"),
])
def test_unknown_documents_or_codes_are_named_before_any_request(configured, chat_server, option, value, message):
    result = qcode(configured, "suggest", "--llm", option, value)
    assert result.exit_code == 1 and message in result.output
    assert chat_server.requests == []


def test_evaluate_llm_prints_the_per_code_table_against_the_coder(configured, chat_server):
    result = qcode(configured, "evaluate", "--coder", "ana", "--llm")
    assert result.exit_code == 0, result.output
    assert "LLM coder (test-model, prompt qcode-llm-1) vs ana" in result.output
    for code in ("COST", "INTEGRITY", "PILOTS", "TRAINING"):
        assert code in result.output
    report = json.loads(qcode(configured, "evaluate", "--coder", "ana", "--llm", "--json").output)
    assert len(chat_server.requests) == TURNS  # the second evaluation reused every answer
    codes = report["codes"]
    # ana: COST and PILOTS as the table; TRAINING also on D01's pilot turn; INTEGRITY never.
    assert codes["COST"]["kappa"] == pytest.approx(1.0) and codes["PILOTS"]["kappa"] == pytest.approx(1.0)
    assert codes["TRAINING"]["recall"] == pytest.approx(3 / 4) and codes["TRAINING"]["precision"] == 1.0
    assert codes["INTEGRITY"]["precision"] == 0.0 and report["failed_turns"] == 0


def test_agreement_with_the_llm_pseudo_coder_matches_evaluate(configured):
    assert qcode(configured, "suggest", "--llm").exit_code == 0
    agreement = json.loads(qcode(configured, "agreement", "--coders", "ana,llm", "--json").output)
    evaluation = json.loads(qcode(configured, "evaluate", "--coder", "ana", "--llm", "--json").output)
    assert {c: r["kappa"] for c, r in agreement["codes"].items()} == {
        c: r["kappa"] for c, r in evaluation["codes"].items()}
    by_excerpt = qcode(configured, "agreement", "--coders", "ana,llm", "--unit", "excerpt")
    assert by_excerpt.exit_code == 0 and "mean kappa" in by_excerpt.output


def test_agreement_with_llm_before_any_llm_run_says_what_to_run(db):
    result = qcode(db, "agreement", "--coders", "ana,llm")
    assert result.exit_code == 1 and "qcode suggest --llm" in result.output


def test_the_methods_report_names_the_model_host_and_prompt(configured, tmp_path):
    assert qcode(configured, "suggest", "--llm").exit_code == 0
    assert qcode(configured, "export", tmp_path / "report.md").exit_code == 0
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    section = report[report.index("## LLM coder"):]
    assert "test-model" in section and "127.0.0.1" in section and "qcode-llm-1" in section


def test_a_non_local_endpoint_warns_that_transcripts_leave_the_machine(db, no_network):
    assert qcode(db, "config", "llm_endpoint", "https://llm.example.edu/v1").exit_code == 0
    assert qcode(db, "config", "llm_model", "m").exit_code == 0
    result = qcode(db, "suggest", "--llm", "--estimate")
    assert result.exit_code == 0
    assert "warning: transcripts will leave this machine: turns are sent to llm.example.edu" in result.output
    assert no_network == []  # the estimate alone sends nothing


def test_the_api_key_comes_from_the_environment_and_is_not_stored(configured, chat_server):
    chat_server.api_key = "k-123"
    assert qcode(configured, "suggest", "--llm").exit_code == 1  # 401 without it
    result = qcode(configured, "suggest", "--llm", env={"QCODE_LLM_KEY": "k-123"})
    assert result.exit_code == 0, result.output
    assert "k-123" not in json.dumps(json.loads(qcode(configured, "config").output))
    assert chat_server.headers[-1]["authorization"] == "Bearer k-123"
    assert chat_server.statuses.count(200) == TURNS


def test_batches_send_several_turns_per_request_and_store_each_turn(configured, chat_server):
    assert qcode(configured, "config", "llm_batch_size", "4").exit_code == 0
    result = qcode(configured, "suggest", "--llm")
    assert result.exit_code == 0 and f"answered {TURNS} of {TURNS}" in result.output
    assert len(chat_server.requests) == 4  # 4 + 4 + 4 + 3 turns
    agreement = json.loads(qcode(configured, "agreement", "--coders", "ana,llm", "--json").output)
    assert agreement["codes"]["COST"]["kappa"] == pytest.approx(1.0)


def test_setting_the_endpoint_to_none_turns_the_llm_coder_off(configured, no_network):
    assert qcode(configured, "config", "llm_endpoint", "none").exit_code == 0
    result = qcode(configured, "suggest", "--llm")
    assert result.exit_code == 1 and "no LLM endpoint is set" in result.output
    assert no_network == []


def test_evaluate_takes_themes_or_llm_not_both(configured, chat_server):
    result = qcode(configured, "evaluate", "--coder", "ana", "--llm", "--themes")
    assert result.exit_code == 2 and "--themes and --llm evaluate different things" in result.output
    assert chat_server.requests == []
