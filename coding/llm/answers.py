"""Reading the model's answer: JSON in the requested schema, one entry per turn label, known code ids only.

Anything else is an `InvalidAnswer` for that turn (the caller asks once more, then records a failure); nothing is
repaired or guessed.
"""

from __future__ import annotations

import json
from typing import Any

from coding.llm.models import CodeChoice


class InvalidAnswer(ValueError):
    """The answer for a turn cannot be used; the message says why, for the failure record."""


Parsed = dict[str, tuple[CodeChoice, ...] | InvalidAnswer]


def parse_answer(content: str | None, labels: list[str], code_ids: set[str]) -> Parsed:
    """Per batch label: the chosen codes, or the reason the answer for that turn is unusable."""
    try:
        turns = _turn_entries(content)
    except InvalidAnswer as whole:
        return {label: whole for label in labels}
    by_label: dict[str, Any] = {}
    for entry in turns:
        if isinstance(entry, dict) and isinstance(entry.get("turn"), str):
            by_label.setdefault(entry["turn"].strip(), entry)
    if len(labels) == 1 and len(turns) == 1 and isinstance(turns[0], dict) and labels[0] not in by_label:
        by_label[labels[0]] = turns[0]  # one turn asked, one answered: the label is not needed to match it
    result: Parsed = {}
    for label in labels:
        entry = by_label.get(label)
        if entry is None:
            result[label] = InvalidAnswer(f"the answer has no entry for turn {label}")
            continue
        try:
            result[label] = _choices(entry, code_ids)
        except InvalidAnswer as error:
            result[label] = error
    return result


def _turn_entries(content: str | None) -> list:
    if not content or not content.strip():
        raise InvalidAnswer("the model returned an empty answer")
    text = content.strip()
    if text.startswith("```"):  # some servers wrap JSON in a Markdown fence even in JSON mode
        text = text.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidAnswer(f"the answer is not valid JSON ({error.msg} at character {error.pos}): "
                            f"{_clip(content)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("turns"), list):
        raise InvalidAnswer(f"the answer is JSON but not the requested schema (an object with a 'turns' list): "
                            f"{_clip(content)}")
    return data["turns"]


def _choices(entry: dict, code_ids: set[str]) -> tuple[CodeChoice, ...]:
    raw = entry.get("codes")
    if not isinstance(raw, list):
        raise InvalidAnswer("the answer's 'codes' is not a list")
    best: dict[str, CodeChoice] = {}
    unknown = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("code"), str):
            raise InvalidAnswer(f"a code entry is not an object with a 'code': {_clip(json.dumps(item))}")
        code = item["code"].strip()
        if code not in code_ids:
            unknown.append(code)
            continue
        confidence = item.get("confidence")
        if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 <= confidence <= 1:
            raise InvalidAnswer(f"code {code} has confidence {confidence!r}, not a number from 0 to 1")
        justification = item.get("justification")
        if not isinstance(justification, str):
            raise InvalidAnswer(f"code {code} has no justification text")
        choice = CodeChoice(code=code, justification=justification.strip(), confidence=float(confidence))
        if code not in best or choice.confidence > best[code].confidence:
            best[code] = choice
    if unknown:
        raise InvalidAnswer(f"unknown code ids {', '.join(sorted(set(unknown)))} (not in the codebook sent)")
    return tuple(best.values())


def _clip(text: str | None, limit: int = 120) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "..."
