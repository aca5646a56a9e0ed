"""The prompt: the codebook's structured fields once (system message), then one block per turn (user message), and
the JSON schema the answer must follow. Changing any wording here must raise PROMPT_VERSION: stored answers are
keyed by it, and the methods report names it."""

from __future__ import annotations

import hashlib

from coding.codebook import Code
from coding.llm.models import TurnPrompt, TurnText

PROMPT_VERSION = "qcode-llm-1"

_INSTRUCTIONS = """You are a careful qualitative researcher coding interview transcripts with a codebook.
For each respondent turn you are given, decide which codes of the codebook apply to what the respondent says
(the interviewer's question is context only). Apply a code only when the turn fits its definition and include
rules and none of its exclude rules; apply no code when none fits. Use only the code ids listed below.
For every code you apply, give a short justification that quotes the words of the turn that support it, and your
confidence from 0 to 1. Answer with JSON only, in the requested schema, with one entry per turn label."""


def _field(title: str, items: tuple[str, ...] | str) -> list[str]:
    if isinstance(items, str):
        return [f"  {title}: {items}"] if items.strip() else []
    return [f"  {title}:", *(f"    - {item}" for item in items)] if items else []


def codebook_prompt(codes: list[Code]) -> str:
    """The system message: instructions and, per code, id, name, definition, include/exclude rules, examples."""
    lines = [_INSTRUCTIONS, "", "Codebook:"]
    for code in codes:
        lines.append(f"- {code.id}: {code.name}")
        lines += _field("Definition", code.definition)
        lines += _field("Include when", code.include)
        lines += _field("Exclude when", code.exclude)
        lines += _field("Examples", code.examples)
        lines += _field("Not examples", code.counterexamples)
    return "\n".join(lines)


def turn_block(turn: TurnText) -> str:
    question = turn.question.strip() or "(none)"
    return f"Interviewer question: {question}\nRespondent turn: {turn.text.strip()}"


def answer_key(system_prompt: str, block: str) -> str:
    """What the answer depends on besides model and prompt version: the codebook prompt and this turn's block."""
    return hashlib.sha256(f"{system_prompt}\x1f{block}".encode("utf-8")).hexdigest()


def turn_prompt(system_prompt: str, turn: TurnText) -> TurnPrompt:
    block = turn_block(turn)
    return TurnPrompt(document=turn.document, turn=turn.turn, block=block, key=answer_key(system_prompt, block))


def batch_labels(count: int) -> list[str]:
    return [f"T{i + 1}" for i in range(count)]


def user_message(prompts: list[TurnPrompt]) -> str:
    parts = [f"[{label}]\n{p.block}" for label, p in zip(batch_labels(len(prompts)), prompts)]
    return "Code these turns:\n\n" + "\n\n".join(parts)


def response_schema(code_ids: list[str]) -> dict:
    """JSON schema of an answer: {"turns": [{"turn": "T1", "codes": [{code, justification, confidence}]}]}."""
    choice = {
        "type": "object",
        "properties": {"code": {"type": "string", "enum": list(code_ids)},
                       "justification": {"type": "string"},
                       "confidence": {"type": "number", "minimum": 0, "maximum": 1}},
        "required": ["code", "justification", "confidence"],
        "additionalProperties": False,
    }
    turn = {
        "type": "object",
        "properties": {"turn": {"type": "string"}, "codes": {"type": "array", "items": choice}},
        "required": ["turn", "codes"],
        "additionalProperties": False,
    }
    return {"type": "object", "properties": {"turns": {"type": "array", "items": turn}}, "required": ["turns"],
            "additionalProperties": False}


def request_body(model: str, system_prompt: str, prompts: list[TurnPrompt], schema: dict) -> dict:
    """An OpenAI chat-completions request: no streaming, deterministic, the answer constrained to the schema."""
    return {
        "model": model,
        "messages": [{"role": "system", "content": system_prompt},
                     {"role": "user", "content": user_message(prompts)}],
        "temperature": 0,
        "stream": False,
        "response_format": {"type": "json_schema",
                            "json_schema": {"name": "qcode_codes", "strict": True, "schema": schema}},
    }
