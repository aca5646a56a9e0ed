"""The prompt carries the codebook's structured fields; answers are read strictly (no repair, no guessing)."""

from __future__ import annotations

import json

import pytest

from coding.codebook import Codebook
from coding.codebook.yaml_io import codebook_from_yaml_text
from coding.llm.answers import InvalidAnswer, parse_answer
from coding.llm.models import TurnText
from coding.llm.project import chosen_codes
from coding.llm.prompt import PROMPT_VERSION, codebook_prompt, request_body, response_schema, turn_prompt
from tests.llm.conftest import CODEBOOK

CODES = {"COST", "PILOTS"}


@pytest.fixture
def codebook() -> Codebook:
    return codebook_from_yaml_text(CODEBOOK)


def answer(*turns) -> str:
    return json.dumps({"turns": [{"turn": label, "codes": codes} for label, codes in turns]})


def choice(code: str, confidence: float = 0.8, justification: str = '"the budget"') -> dict:
    return {"code": code, "justification": justification, "confidence": confidence}


def test_the_system_prompt_holds_every_structured_field_of_each_code(codebook):
    prompt = codebook_prompt(chosen_codes(codebook))
    cost = prompt[prompt.index("- COST: Cost"):prompt.index("- INTEGRITY")]
    for text in ["Money, budgets and licenses.", "Talk of budgets or prices", "Staff time without money",
                 "The budget will not stretch to licenses.", "We spent a week on it."]:
        assert text in cost
    assert "CONCERNS" not in prompt  # a parent is not a code to apply; its leaves are


def test_chosen_codes_expand_a_parent_to_its_leaves_and_name_unknown_ids(codebook):
    assert [c.id for c in chosen_codes(codebook, ["CONCERNS", "PILOTS"])] == ["COST", "INTEGRITY", "PILOTS"]
    with pytest.raises(Exception, match="no code 'COSTS'.*did you mean COST"):
        chosen_codes(codebook, ["COSTS"])


def test_the_request_asks_for_a_json_schema_answer_without_streaming(codebook):
    codes = chosen_codes(codebook, ["COST", "PILOTS"])
    system = codebook_prompt(codes)
    prompt = turn_prompt(system, TurnText(document="D01", turn=4, question="What did it cost?", text="A lot."))
    body = request_body("m", system, [prompt], response_schema([c.id for c in codes]))
    assert body["stream"] is False and body["temperature"] == 0
    schema = body["response_format"]["json_schema"]["schema"]
    assert schema["properties"]["turns"]["items"]["properties"]["codes"]["items"]["properties"]["code"]["enum"] == [
        "COST", "PILOTS"]
    assert "What did it cost?" in body["messages"][1]["content"] and "A lot." in body["messages"][1]["content"]


def test_the_answer_key_changes_with_the_turn_the_question_and_the_codebook(codebook):
    system = codebook_prompt(chosen_codes(codebook))
    base = TurnText(document="D01", turn=2, question="Q?", text="The budget.")
    key = turn_prompt(system, base).key
    assert turn_prompt(system, base.model_copy(update={"document": "D09", "turn": 7})).key == key  # content only
    assert turn_prompt(system, base.model_copy(update={"text": "The budget!"})).key != key
    assert turn_prompt(system, base.model_copy(update={"question": "Q2?"})).key != key
    assert turn_prompt(codebook_prompt(chosen_codes(codebook, ["COST"])), base).key != key
    assert PROMPT_VERSION


def test_a_valid_batch_answer_gives_each_turn_its_codes():
    parsed = parse_answer(answer(("T1", [choice("COST", 0.7)]), ("T2", [])), ["T1", "T2"], CODES)
    assert [(c.code, c.confidence, c.justification) for c in parsed["T1"]] == [("COST", 0.7, '"the budget"')]
    assert parsed["T2"] == ()


def test_a_repeated_code_keeps_its_most_confident_entry():
    parsed = parse_answer(answer(("T1", [choice("COST", 0.4), choice("COST", 0.9)])), ["T1"], CODES)
    assert [c.confidence for c in parsed["T1"]] == [0.9]


def test_a_json_answer_in_a_markdown_fence_is_read():
    parsed = parse_answer("```json\n" + answer(("T1", [choice("PILOTS")])) + "\n```", ["T1"], CODES)
    assert [c.code for c in parsed["T1"]] == ["PILOTS"]


@pytest.mark.parametrize("content, reason", [
    (None, "empty answer"),
    ("   ", "empty answer"),
    ('{"turns": [{"turn": "T1", "codes": [', "not valid JSON"),
    ("Sure! COST applies.", "not valid JSON"),
    ('["COST"]', "not the requested schema"),
    ('{"codes": []}', "not the requested schema"),
])
def test_an_unreadable_answer_fails_every_turn_of_the_request(content, reason):
    parsed = parse_answer(content, ["T1", "T2"], CODES)
    assert all(isinstance(parsed[label], InvalidAnswer) and reason in str(parsed[label]) for label in ("T1", "T2"))


@pytest.mark.parametrize("codes, reason", [
    ([choice("COST"), choice("BUDGET")], "unknown code ids BUDGET"),
    ([choice("cost")], "unknown code ids cost"),
    ([choice("COST", 1.5)], "confidence 1.5"),
    ([choice("COST", -0.1)], "confidence -0.1"),
    ([{"code": "COST", "confidence": True, "justification": "x"}], "confidence True"),
    ([{"code": "COST", "confidence": 0.5}], "no justification"),
    (["COST"], "not an object"),
    ("COST", "not a list"),
])
def test_an_invalid_turn_entry_fails_that_turn_only(codes, reason):
    parsed = parse_answer(answer(("T1", codes), ("T2", [choice("PILOTS")])), ["T1", "T2"], CODES)
    assert isinstance(parsed["T1"], InvalidAnswer) and reason in str(parsed["T1"])
    assert [c.code for c in parsed["T2"]] == ["PILOTS"]


def test_a_turn_missing_from_a_batch_answer_fails_and_the_others_count():
    parsed = parse_answer(answer(("T2", [choice("PILOTS")])), ["T1", "T2"], CODES)
    assert "no entry for turn T1" in str(parsed["T1"])
    assert [c.code for c in parsed["T2"]] == ["PILOTS"]


def test_a_single_turn_answer_with_another_label_still_matches_the_one_turn_asked():
    parsed = parse_answer(answer(("turn 1", [choice("COST")])), ["T1"], CODES)
    assert [c.code for c in parsed["T1"]] == ["COST"]
