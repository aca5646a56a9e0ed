"""YAML parsing that keeps line numbers: the composed node tree next to the plain data, and lookups from a
pydantic error location (('codes', 3, 'parent')) back to the line in the file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from coding.errors import CodebookError, Problem


@dataclass(frozen=True)
class ParsedYaml:
    root: Node | None  # None for an empty file
    data: Any


def parse_yaml(text: str, source_name: str) -> ParsedYaml:
    """Parse one YAML document, keeping nodes for line numbers. A syntax error raises `CodebookError` at its line."""
    try:
        # The loader checks the characters as it is built, so a control character fails here, not while parsing.
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        raise CodebookError(Problem(f"the file contains a character YAML does not allow ({error.reason})",
                                    path=source_name, line=line,
                                    hint="save the codebook as plain UTF-8 text")) from None
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as error:
        raise CodebookError(_syntax_problem(error, source_name)) from None
    except yaml.YAMLError as error:  # unmarked: e.g. a control character in the stream
        raise CodebookError(Problem(f"YAML syntax error: {error}", path=source_name)) from None
    finally:
        loader.dispose()
    return ParsedYaml(root, data)


# PyYAML names tokens by their symbols; say what they mean.
_TOKEN_WORDS = {"'?'": "another key", "'-'": "a list item", "<block end>": "the end of the indented block"}


def _syntax_problem(error: yaml.MarkedYAMLError, source_name: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark is not None else None
    what = error.problem or "invalid YAML"
    if error.context:
        context = error.context
        if error.context_mark is not None and error.context_mark.line + 1 != line:
            context += f" (started at line {error.context_mark.line + 1})"
        what = f"{context}, {what}"
    for token, words in _TOKEN_WORDS.items():
        what = what.replace(token, words)
    hint = (
        "check the indentation and quoting on this line and the lines before it; "
        "text containing ': ' or starting with a quote or # must be quoted as a whole"
    )
    if "'\\t'" in what:
        hint = "indent with spaces, not tabs"
    return Problem(f"YAML syntax error: {what}", path=source_name, line=line, hint=hint)


def line_of(node: Node) -> int:
    return node.start_mark.line + 1


def mapping_value(node: Node | None, key: str) -> tuple[Node, Node] | None:
    """(key node, value node) of the last occurrence of `key` (the one YAML keeps), or None."""
    if not isinstance(node, MappingNode):
        return None
    found = None
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            found = (key_node, value_node)
    return found


def sequence_item(node: Node | None, index: int) -> Node | None:
    if isinstance(node, SequenceNode) and 0 <= index < len(node.value):
        return node.value[index]
    return None


def locate(root: Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The line a location points at: the key's line for a key, the item's line for a list item, and the
    enclosing mapping's first line for a key that is missing."""
    if root is None:
        return None
    node: Node = root
    line = line_of(root)
    for step in loc:
        if isinstance(step, str) or isinstance(node, MappingNode):  # an int step into a mapping is a number key
            pair = mapping_value(node, str(step))
            if pair is None:
                return line
            node = pair[1]
            line = line_of(pair[0])
        else:
            item = sequence_item(node, step)
            if item is None:
                return line
            node = item
            line = line_of(item)
    return line


def duplicate_keys(node: Node | None) -> list[tuple[str, int, int]]:
    """(key, first line, repeated line) for each key written twice in one mapping, anywhere in the tree.
    YAML silently keeps only the last value, which loses rules or examples without a word."""
    found = []
    stack = [node] if node is not None else []
    visited: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in visited:  # aliases share nodes
            continue
        visited.add(id(current))
        if isinstance(current, MappingNode):
            first: dict[str, int] = {}
            for key_node, value_node in current.value:
                if isinstance(key_node, ScalarNode):
                    if key_node.value in first:
                        found.append((key_node.value, first[key_node.value], line_of(key_node)))
                    else:
                        first[key_node.value] = line_of(key_node)
                stack.append(value_node)
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)
    return sorted(found, key=lambda f: f[2])
