"""Pydantic validation errors turned into sentences a researcher can act on (never a pydantic dump)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from coding.codebook.model import Code, Codebook
from coding.codebook.structure import did_you_mean
from coding.errors import Problem

CODE_KEYS = tuple(Code.model_fields)
CODEBOOK_KEYS = tuple(Codebook.model_fields)
LIST_KEYS = ("include", "exclude", "examples", "counterexamples")


@dataclass(frozen=True)
class Located:
    """Where an error points inside the codebook data: which code entry, which key, which list item."""

    entry: int | None  # index in `codes`, None for the codebook's own keys
    key: str | None
    item: int | None  # index inside a list value
    in_code: bool  # the key belongs to a code (not to the codebook itself)


def split_location(loc: tuple[int | str, ...], *, in_codebook: bool = True) -> Located:
    """('codes', 3, 'examples', 1) -> entry 3, key 'examples', item 1. `in_codebook=False` for a bare Code."""
    parts = list(loc)
    entry = None
    if in_codebook:
        if parts[:1] == ["codes"] and len(parts) >= 2 and isinstance(parts[1], int):
            entry, parts = parts[1], parts[2:]
    key = parts[0] if parts and isinstance(parts[0], str) else None
    item = parts[1] if len(parts) >= 2 and isinstance(parts[1], int) else None
    return Located(entry, key, item, in_code=entry is not None or not in_codebook)


def describe_value(value: Any) -> str:
    """What YAML made of a value, in words."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the true/false value {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value}"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"'{value}'"


def explain(error: ErrorDetails, where: Located) -> tuple[str, str | None]:
    """(message, hint) for one pydantic error."""
    kind = error["type"]
    value = error.get("input")
    key = where.key
    allowed = CODE_KEYS if where.in_code else CODEBOOK_KEYS

    if kind == "extra_forbidden":
        guess = did_you_mean(str(key), allowed)
        hint = f"did you mean '{guess}'?" if guess else f"allowed keys are: {', '.join(allowed)}"
        return f"unknown key '{key}'", hint
    if kind == "invalid_key":
        return f"'{value}' is not a valid key", f"keys are names such as: {', '.join(allowed)}"
    if kind == "missing":
        if key == "id":
            return "code has no 'id'", "add a line 'id: SOME_ID' of letters, digits, _ . or -; codings refer to it"
        if key == "name" and where.in_code:
            return "code has no 'name'", "add 'name: <short label>' under the id"
        return f"missing '{key}'", "add 'name: <title of the codebook>' at the top of the file"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        if where.entry is not None:
            return (
                f"code entry {where.entry + 1} is {describe_value(value)}, not a code",
                "start each code with '- id: ...' and put 'name: ...' on the next line, indented to match",
            )
        return "the codebook must be a mapping with name, version and codes", "see codebooks/codebook.schema.json"
    if kind in {"list_type", "tuple_type"}:
        if key == "codes":
            return f"'codes' must be a list, but YAML read {describe_value(value)}", "start each code with '- id: ...'"
        return (
            f"'{key}' must be a list of texts, but YAML read {describe_value(value)}",
            "write each item on its own line starting with '- '",
        )
    if kind == "string_type":
        if where.item is not None:
            hint = "put the item in quotes"
            if isinstance(value, dict):
                hint = "put the item in quotes: YAML reads 'words: more words' as a key and a value"
            return f"item {where.item + 1} of '{key}' must be text, but YAML read {describe_value(value)}", hint
        hint = "write a single text value" if isinstance(value, (list, tuple, dict)) else "put the value in quotes"
        return f"'{key}' must be text, but YAML read {describe_value(value)}", hint
    if kind == "string_pattern_mismatch":
        if key == "id":
            return (
                f"id '{value}' is not a valid code id",
                "start with a letter and use only letters, digits, '_', '.' and '-', e.g. COST or cost.budget",
            )
        if key == "color":
            return f"color '{value}' is not a #rrggbb colour", 'write six hex digits in quotes, e.g. color: "#d95f02"'
        if key == "guid":
            return f"guid '{value}' is not a GUID", "use 8-4-4-4-12 hex digits, or remove the guid line"
    if kind == "string_too_short":
        return f"'{key}' must not be empty", "give it some text"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"'{key}' must be a whole number, but YAML read {describe_value(value)}", f"e.g. {key}: 3"
    if kind == "greater_than_equal":
        return f"'{key}' must be at least {error.get('ctx', {}).get('ge')}", f"e.g. {key}: 1"
    text = error["msg"].removeprefix("Value error, ")
    return f"'{key}': {text[:1].lower()}{text[1:]}" if key else text, None


def problems_from_validation_error(
    error: ValidationError, *, code_id: str | None = None, in_codebook: bool = False
) -> list[Problem]:
    """Unlocated problems (no file, no line) for a model built in code, e.g. by an edit."""
    problems = []
    for detail in error.errors():
        where = split_location(detail["loc"], in_codebook=in_codebook)
        message, hint = explain(detail, where)
        problems.append(Problem(message, code=code_id, hint=hint))
    return problems
