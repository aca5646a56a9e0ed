"""How a quote is attributed: a template over the quote's fields and its document's attributes, with presets.

Fields: document, turn, speaker, speaker_role, start_time, end_time, title, code, code_name, coder, every document
attribute by name, and `attributes` (the document's text attributes joined with ", "). A field a document lacks is
left out and the separators around it tidied, so "{role}, {region}" reads "Midwest" when role is missing.
A field may carry a padded width or a maximum length ({turn:0>3} reads "012", {title:.40}) and nothing more.
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
    """A citation style names a preset or field that does not exist, or formats a field in a way citations need not."""


# What a citation may ask of a field: a fill and alignment, a width up to 99 and a precision (truncation) up to
# 999 characters, e.g. {turn:0>3} or {title:.40}. Anything more ({document:>99999999999}, nested fields, !r
# conversions, attribute access) is refused: it serves no citation and could make the export huge.
_FORMAT_SPEC = re.compile(r"(?:[^{}]?[<>^])?(?:[1-9][0-9]?)?(?:\.[0-9]{1,3})?")
_SPEC_HINT = "a field may carry a padded width up to 99 or a maximum length, e.g. {turn:0>3} or {title:.40}"
_SEPARATORS = re.compile(r"([,;()])")

Field = tuple[str, str | None, str]  # literal text before the field, field name (None: text only), format spec


def _parse(template: str) -> list[Field]:
    """The template's literal pieces and fields, every field checked to be a plain name with a simple spec."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as error:
        raise CitationError(Problem(f"citation template '{template}' is malformed ({error})",
                                    hint="fields are written in braces, e.g. {document}; a brace as text is "
                                         "written twice, {{ or }}")) from None
    fields: list[Field] = []
    for literal, name, spec, conversion in parsed:
        if name is not None:
            written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            if not name.strip():
                raise CitationError(Problem(f"citation template '{template}' has an empty field {written}",
                                            hint="name a field in the braces, e.g. {document}"))
            if conversion is not None:
                raise CitationError(Problem(f"citation field '{written}' uses a conversion (!{conversion})",
                                            hint=f"write the field without it; {_SPEC_HINT}"))
            if not _FORMAT_SPEC.fullmatch(spec or ""):
                raise CitationError(Problem(f"citation field '{written}' has a format citations do not use",
                                            hint=_SPEC_HINT))
        fields.append((literal, name, spec or ""))
    return fields


def citation_template(style: str | None, attribute_names: Iterable[str] = ()) -> str:
    """The template for a preset name or a template string, after checking its fields exist."""
    style = style or DEFAULT_CITATION
    template = CITATION_PRESETS.get(style, style)
    if "{" not in template:
        raise CitationError(Problem(f"unknown citation style '{style}'",
                                    hint=f"use a preset ({', '.join(CITATION_PRESETS)}) or a template such as "
                                         f"'{{role}}, {{region}}; {{document}}, turn {{turn}}'"))
    known = set(BUILTIN_FIELDS) | set(attribute_names)
    unknown = [name for _, name, _ in _parse(template) if name is not None and name not in known]
    if unknown:
        raise CitationError(Problem(f"citation field '{{{unknown[0]}}}' is not a field or document attribute",
                                    hint=f"fields are: {', '.join(sorted(known))}"))
    return template


def format_citation(template: str, fields: Mapping[str, object]) -> str:
    """Fill the template. A piece between separators (, ; parentheses) whose fields are all missing is dropped
    with its words ("{district_type} district"); a missing field next to a present one is just left empty.
    Fields are looked up by their whole name (an attribute may be called "age, years" or "a.b")."""
    values = {k: str(v) for k, v in fields.items() if v is not None and str(v).strip()}
    pieces: list[tuple[str, list[str]]] = [("", [])]  # (text, fields in it), split at separators in the text

    def add_text(text: str) -> None:
        for part in _SEPARATORS.split(text):
            if _SEPARATORS.fullmatch(part):
                pieces.extend([(part, []), ("", [])])
            else:
                pieces[-1] = (pieces[-1][0] + part, pieces[-1][1])

    for literal, name, spec in _parse(template):
        add_text(literal)
        if name is not None:
            text, names = pieces[-1]
            pieces[-1] = (text + format(values.get(name, ""), spec), [*names, name])
    text = "".join(text for text, names in pieces if not names or any(name in values for name in names))
    text = re.sub(r"\(\s*\)", "", text)
    # A run of separators left by a dropped piece keeps its strongest: ",;" -> ";", ", ," -> ","
    text = re.sub(r"\s*[,;](?:\s*[,;])+", lambda m: ";" if ";" in m.group(0) else ",", text)
    text = re.sub(r"^\s*[,;]\s*|\s*[,;]\s*$", "", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def citation_fields(base: Mapping[str, object], attributes: Mapping[str, object]) -> dict[str, object]:
    """The fields of one quote: its own (document, turn, speaker, ...) plus its document's attributes."""
    text_values = [str(v) for v in attributes.values() if isinstance(v, str) and v.strip()]
    return {**attributes, **base, "attributes": ", ".join(text_values)}
