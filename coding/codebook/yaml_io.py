"""Codebook YAML files: load with every problem located (file, line, code id) and reported at once; dump in a
readable block style that loads back to an equal codebook."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.nodes import Node, ScalarNode

from coding.codebook.messages import explain, split_location
from coding.codebook.model import SKIP_STRUCTURE, Code, Codebook
from coding.codebook.structure import Entry, find_structure_issues
from coding.codebook.yaml_nodes import (
    duplicate_keys,
    line_of,
    locate,
    mapping_value,
    parse_yaml,
    sequence_item,
)
from coding.errors import CodebookError, Problem
from coding.safety.outputs import write_output

# Key order of a dumped code; optional keys are left out when empty.
CODE_KEY_ORDER = tuple(Code.model_fields)


def load_codebook_yaml(path: str | os.PathLike[str]) -> Codebook:
    """Read and check a codebook file; `CodebookError` lists every problem found in it."""
    source_name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise CodebookError(Problem("file not found", path=source_name, hint="check the path")) from None
    except IsADirectoryError:
        raise CodebookError(Problem("is a folder, not a codebook file", path=source_name)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CodebookError(
            Problem(
                f"is not UTF-8 text (byte {error.start})",
                path=source_name,
                hint="save the file as UTF-8 in your editor",
            )
        ) from None
    return codebook_from_yaml_text(text, source_name)


def codebook_from_yaml_text(text: str, source_name: str = "codebook.yaml") -> Codebook:
    """Parse codebook YAML; `source_name` is the file name used in messages."""
    parsed = parse_yaml(text, source_name)
    if parsed.root is None or parsed.data is None:
        raise CodebookError(
            Problem("the file is empty", path=source_name, hint="start with 'name:', 'version:' and 'codes:'")
        )
    if not isinstance(parsed.data, dict):
        raise CodebookError(
            Problem(
                "the codebook must be a mapping with the keys name, version and codes",
                path=source_name,
                line=line_of(parsed.root),
                hint="see codebooks/codebook.schema.json for the layout",
            )
        )
    problems = _collect_problems(parsed.root, parsed.data, source_name)
    if problems:
        problems.sort(key=lambda p: (p.line or 0))
        raise CodebookError(problems)
    return Codebook.model_validate(parsed.data)


def _collect_problems(root: Node, data: dict[str, Any], source_name: str) -> list[Problem]:
    raw_codes = data.get("codes")
    entries = raw_codes if isinstance(raw_codes, list) else []
    codes_node = mapping_value(root, "codes")
    codes_value = codes_node[1] if codes_node else None

    def code_id(index: int | None) -> str | None:
        if index is None or not 0 <= index < len(entries) or not isinstance(entries[index], dict):
            return None
        value = entries[index].get("id")
        return value if isinstance(value, str) else None

    def entry_at(line: int) -> int | None:
        for index in range(len(entries)):
            item = sequence_item(codes_value, index)
            if item is not None and item.start_mark.line < line <= item.end_mark.line + 1:
                return index
        return None

    problems = []
    for key, first_line, line in duplicate_keys(root):
        problems.append(
            Problem(
                f"key '{key}' appears twice here (first at line {first_line}); YAML keeps only the last one",
                path=source_name,
                line=line,
                code=code_id(entry_at(line)),
                hint="merge the two into one key",
            )
        )
    problems.extend(_unquoted_colors(codes_value, entries, source_name, code_id))
    try:
        Codebook.model_validate(data, context={SKIP_STRUCTURE: True})
    except ValidationError as error:
        for detail in error.errors():
            where = split_location(detail["loc"])
            message, hint = explain(detail, where)
            line = locate(root, detail["loc"])
            problems.append(Problem(message, path=source_name, line=line, code=code_id(where.entry), hint=hint))

    structure_entries = [
        Entry(
            index,
            code_id(index),
            _text_or_none(entry, "parent"),
            _text_or_none(entry, "guid"),
        )
        for index, entry in enumerate(entries)
    ]

    def position(index: int) -> str:
        return f"line {locate(root, ('codes', index, 'id'))}"

    for issue in find_structure_issues(structure_entries, position):
        line = locate(root, ("codes", issue.index, issue.field))
        problems.append(Problem(issue.message, path=source_name, line=line, code=issue.code, hint=issue.hint))
    return problems


def _text_or_none(entry: Any, key: str) -> str | None:
    value = entry.get(key) if isinstance(entry, dict) else None
    return value if isinstance(value, str) else None


def _unquoted_colors(
    codes_value: Node | None, entries: list[Any], source_name: str, code_id: Callable[[int | None], str | None]
) -> list[Problem]:
    """`color: #d95f02` without quotes is a comment, so YAML reads no colour at all: say so instead of
    silently dropping it."""
    problems = []
    for index in range(len(entries)):
        pair = mapping_value(sequence_item(codes_value, index), "color")
        if pair is None:
            continue
        key_node, value_node = pair
        if isinstance(value_node, ScalarNode) and value_node.tag.endswith(":null") and value_node.value == "":
            problems.append(
                Problem(
                    "color is empty",
                    path=source_name,
                    line=line_of(key_node),
                    code=code_id(index),
                    hint='YAML reads # as the start of a comment: write the colour in quotes, e.g. color: "#d95f02", '
                    "or remove the line",
                )
            )
    return problems


# --- writing --------------------------------------------------------------------------------------------------


class _BlockDumper(yaml.SafeDumper):
    """Indents list items under their key and writes multi-line text as | blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _represent_text)


def codebook_to_plain(codebook: Codebook) -> dict[str, Any]:
    """The codebook as plain dicts and lists in file key order, empty optional keys left out."""
    codes = []
    for code in codebook.codes:
        entry: dict[str, Any] = {}
        for key in CODE_KEY_ORDER:
            value = getattr(code, key)
            if value is None or value == "" or value == ():
                continue
            entry[key] = list(value) if isinstance(value, tuple) else value
        codes.append(entry)
    return {"name": codebook.name, "version": codebook.version, "codes": codes}


def dump_codebook_yaml(codebook: Codebook) -> str:
    return yaml.dump(
        codebook_to_plain(codebook),
        Dumper=_BlockDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=4096,  # long definitions stay on one line: easier to edit and to diff
    )


def save_codebook_yaml(codebook: Codebook, path: str | os.PathLike[str]) -> Path:
    return write_output(Path(path), dump_codebook_yaml(codebook))
