"""How a quote is attributed: a template over the quote's fields and its document's attributes, with presets.

Fields: document, turn, speaker, speaker_role, start_time, end_time, title, code, code_name, coder, every document
attribute by name, and `attributes` (the document's text attributes joined with ", "). A field a document lacks is
left out and the separators around it tidied, so "{role}, {region}" reads "Midwest" when role is missing.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping

from coding.errors import Problem, QcodeError

CITATION_PRESETS: dict[str, str] = {
    "attributes": "{attributes}; {document}, turn {turn}",
    "document": "{document}, turn {turn}",
    "speaker": "{speaker}; {document}, turn {turn}",
    "timestamp": "{document}, turn {turn} ({start_time})",
    "district": "{role}, {district_type} district, {region}; {document}, turn {turn}",
}
DEFAULT_CITATION = "attributes"
BUILTIN_FIELDS = ("document", "turn", "speaker", "speaker_role", "start_time", "end_time", "title", "code",
                  "code_name", "coder", "attributes")


class CitationError(QcodeError):
    """A citation style names a preset or field that does not exist."""


def citation_template(style: str | None, attribute_names: Iterable[str] = ()) -> str:
    """The template for a preset name or a template string, after checking its fields exist."""
    style = style or DEFAULT_CITATION
    template = CITATION_PRESETS.get(style, style)
    if "{" not in template:
        raise CitationError(Problem(f"unknown citation style '{style}'",
                                    hint=f"use a preset ({', '.join(CITATION_PRESETS)}) or a template such as "
                                         f"'{{role}}, {{region}}; {{document}}, turn {{turn}}'"))
    known = set(BUILTIN_FIELDS) | set(attribute_names)
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as error:
        raise CitationError(Problem(f"citation template '{template}' is malformed ({error})",
                                    hint="fields are written in braces, e.g. {document}")) from None
    unknown = [name for name in fields if name not in known]
    if unknown:
        raise CitationError(Problem(f"citation field '{{{unknown[0]}}}' is not a field or document attribute",
                                    hint=f"fields are: {', '.join(sorted(known))}"))
    return template


def format_citation(template: str, fields: Mapping[str, object]) -> str:
    """Fill the template. A piece between separators (, ; parentheses) whose fields are all missing is dropped
    with its words ("{district_type} district"); a missing field next to a present one is just left empty."""
    values = {k: str(v) for k, v in fields.items() if v is not None and str(v).strip()}
    pieces = []
    for piece in re.split(r"([,;()])", template):
        names = [name for _, name, _, _ in string.Formatter().parse(piece) if name]
        if names and not any(name in values for name in names):
            continue
        pieces.append(string.Formatter().vformat(piece, (), _Blank(values)))
    text = "".join(pieces)
    text = re.sub(r"\(\s*\)", "", text)
    # A run of separators left by a dropped piece keeps its strongest: ",;" -> ";", ", ," -> ","
    text = re.sub(r"\s*[,;](?:\s*[,;])+", lambda m: ";" if ";" in m.group(0) else ",", text)
    text = re.sub(r"^\s*[,;]\s*|\s*[,;]\s*$", "", text)
    return re.sub(r"\s{2,}", " ", text).strip()


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def citation_fields(base: Mapping[str, object], attributes: Mapping[str, object]) -> dict[str, object]:
    """The fields of one quote: its own (document, turn, speaker, ...) plus its document's attributes."""
    text_values = [str(v) for v in attributes.values() if isinstance(v, str) and v.strip()]
    return {**attributes, **base, "attributes": ", ".join(text_values)}
