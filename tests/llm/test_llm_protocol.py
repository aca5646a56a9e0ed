"""The client against a real HTTP server on 127.0.0.1: what it sends, and how it handles rate limits, server errors,
timeouts, malformed answers and unusable servers. No model is involved; the protocol handling is under test."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from coding.codebook.yaml_io import codebook_from_yaml_text
from coding.llm.client import EndpointError
from coding.llm.coder import LlmCoder
from coding.llm.models import TurnAnswer, TurnText
from coding.llm.project import chosen_codes
from coding.llm.settings import LlmSettings
from tests.llm.conftest import ANSWERS, CODEBOOK

CODES = chosen_codes(codebook_from_yaml_text(CODEBOOK))


def turns(count: int = len(ANSWERS)) -> list[TurnText]:
    return [TurnText(document="D01", turn=2 * i + 2, question=f"Question {i}?", text=ANSWERS[i % len(ANSWERS)]
                     + f" (turn {i})") for i in range(count)]


def run(server, items=None, stop=None, **settings) -> dict[int, TurnAnswer]:
    options = {"endpoint": server.base_url, "model": server.model, "timeout": 5.0, **settings}
    coder = LlmCoder(LlmSettings(**options), CODES)
    answers: dict[int, TurnAnswer] = {}

    def keep(answer: TurnAnswer) -> None:
        assert answer.turn not in answers, "a turn was answered twice"
        answers[answer.turn] = answer

    coder.code(coder.prompts(items if items is not None else turns()), keep, stop)
    return answers


def codes_of(answer: TurnAnswer) -> list[str]:
    return [c.code for c in answer.codes]


def test_every_turn_is_answered_from_the_table_with_justification_and_confidence(chat_server):
    answers = run(chat_server)
    assert [codes_of(answers[t]) for t in (2, 4, 6, 8, 10)] == [["COST"], ["PILOTS"], ["INTEGRITY"], ["TRAINING"], []]
    cost = answers[2].codes[0]
    assert cost.justification.startswith('"The budget') and cost.confidence == 0.9
    assert all(a.status == "ok" and a.attempts == 1 and a.seconds is not None for a in answers.values())


def test_the_request_is_a_non_streaming_chat_completion_with_the_model_and_the_codebook(chat_server):
    run(chat_server, turns(1))
    body = chat_server.requests[0]
    assert body["model"] == "test-model" and body["stream"] is False
    assert body["response_format"]["type"] == "json_schema"
    assert "Money, budgets and licenses." in body["messages"][0]["content"]
    assert "Question 0?" in body["messages"][1]["content"]
    assert "authorization" not in chat_server.headers[0]  # no key set, none sent


def test_the_key_is_sent_as_a_bearer_token(chat_server):
    chat_server.api_key = "s3cret"
    answers = run(chat_server, turns(2), api_key="s3cret")
    assert all(a.status == "ok" for a in answers.values())
    assert chat_server.headers[0]["authorization"] == "Bearer s3cret"


def test_a_wrong_key_stops_the_run_with_a_hint_about_the_variable(chat_server):
    chat_server.api_key = "s3cret"
    with pytest.raises(EndpointError, match=r"HTTP 401.*refused the request's key.*QCODE_LLM_KEY"):
        run(chat_server, api_key="wrong")


def test_an_unknown_model_stops_the_run_naming_the_model(chat_server):
    with pytest.raises(EndpointError, match=r"HTTP 404.*model 'llama-nope'.*ollama list"):
        run(chat_server, model="llama-nope")


def test_a_server_that_is_not_running_stops_the_run_with_the_address():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nothing listens there
    settings = LlmSettings(endpoint=f"http://127.0.0.1:{port}/v1", model="m", timeout=2.0)
    coder = LlmCoder(settings, CODES)
    with pytest.raises(EndpointError, match=rf"cannot reach the model server at http://127.0.0.1:{port}/v1"):
        coder.code(coder.prompts(turns(3)), lambda a: None)


@pytest.mark.parametrize("status", ["429", "500"])
def test_a_rate_limit_or_server_error_is_tried_again(chat_server, status):
    chat_server.add_fault("budget", status, times=2)
    answers = run(chat_server)
    assert answers[2].status == "ok" and codes_of(answers[2]) == ["COST"]
    assert chat_server.statuses.count(int(status)) == 2
    assert len(chat_server.requests) == len(ANSWERS) + 2


def test_a_server_error_that_persists_is_recorded_as_a_failure_for_that_turn_only(chat_server):
    chat_server.add_fault("pilot", "500", times=99)
    answers = run(chat_server)
    assert answers[4].status == "failed" and answers[4].codes == ()
    assert "HTTP 500" in answers[4].error and "3 tries" in answers[4].error
    assert all(answers[t].status == "ok" for t in (2, 6, 8, 10))


def test_a_slow_answer_times_out_cleanly_and_the_turn_is_recorded_as_failed(chat_server):
    chat_server.slow_seconds = 1.5
    chat_server.add_fault("cheating", "slow", times=99)
    started = time.perf_counter()
    answers = run(chat_server, timeout=0.3, transport_retries=1)
    assert answers[6].status == "failed" and "no answer within 0.3 s" in answers[6].error
    assert all(answers[t].status == "ok" for t in (2, 4, 8, 10))
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("fault", ["malformed", "unknown_code", "not_completion"])
def test_an_unusable_answer_is_asked_once_more(chat_server, fault):
    chat_server.add_fault("workshop", fault, times=1)
    answers = run(chat_server)
    assert answers[8].status == "ok" and codes_of(answers[8]) == ["TRAINING"] and answers[8].attempts == 2
    assert chat_server.turns_asked().count(ANSWERS[3] + " (turn 3)") == 2


@pytest.mark.parametrize("fault, reason", [("malformed", "not valid JSON"),
                                           ("unknown_code", "unknown code ids NOT_A_CODE"),
                                           ("not_completion", "not a chat completion")])
def test_an_answer_unusable_twice_is_recorded_as_a_failure_never_guessed(chat_server, fault, reason):
    chat_server.add_fault("workshop", fault, times=2)
    answers = run(chat_server)
    assert answers[8].status == "failed" and answers[8].codes == () and answers[8].attempts == 2
    assert reason in answers[8].error
    assert chat_server.turns_asked().count(ANSWERS[3] + " (turn 3)") == 2


def test_a_batch_asks_several_turns_per_request_and_asks_again_only_for_the_turn_left_out(chat_server):
    chat_server.add_fault("cheating", "missing_turn", times=1)
    answers = run(chat_server, batch_size=5)
    assert [codes_of(answers[t]) for t in (2, 4, 6, 8, 10)] == [["COST"], ["PILOTS"], ["INTEGRITY"], ["TRAINING"], []]
    assert len(chat_server.requests) == 2
    assert chat_server.turns_asked()[5:] == [ANSWERS[2] + " (turn 2)"]
    assert answers[6].attempts == 2 and answers[2].attempts == 1


@pytest.mark.parametrize("concurrency", [1, 3])
def test_requests_run_concurrently_up_to_the_limit(chat_server, concurrency):
    chat_server.slow_seconds = 0.4
    for answer in ANSWERS:
        chat_server.add_fault(answer[:12], "slow", times=99)
    answers = run(chat_server, turns(8), concurrency=concurrency)
    assert len(answers) == 8 and all(a.status == "ok" for a in answers.values())
    assert chat_server.most_in_flight == concurrency


def test_a_stop_sends_no_further_request_and_keeps_the_answers_in_flight(chat_server):
    stop = threading.Event()
    delivered: list[TurnAnswer] = []
    coder = LlmCoder(LlmSettings(endpoint=chat_server.base_url, model=chat_server.model, concurrency=1), CODES)

    def keep(answer):
        delivered.append(answer)
        if len(delivered) == 3:
            stop.set()

    coder.code(coder.prompts(turns(20)), keep, stop)
    assert 3 <= len(delivered) < 20
    assert len(chat_server.requests) == len(delivered)  # every request sent was delivered, none after the stop


def test_a_redirect_is_not_followed_so_no_other_host_is_contacted(chat_server):
    chat_server.add_fault("budget", "redirect", times=99)
    answers = run(chat_server)
    assert answers[2].status == "failed" and "HTTP 307" in answers[2].error
    assert all(answers[t].status == "ok" for t in (4, 6, 8, 10))


def test_proxy_variables_are_ignored_so_turns_go_only_to_the_endpoint(chat_server, monkeypatch):
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(variable, "http://127.0.0.1:9")  # nothing listens there: using it would fail
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    answers = run(chat_server)
    assert all(a.status == "ok" for a in answers.values()) and len(chat_server.requests) == len(ANSWERS)
