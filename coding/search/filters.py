"""`--where attr=value` filters: parsed, checked against the project's attributes, applied per document."""

from __future__ import annotations

from coding.errors import Problem, QcodeError
from coding.models import AttributeValue


def parse_where(conditions: list[str]) -> dict[str, list[str]]:
    """["district_type=rural", "district_type=urban", "region=South"] -> {district_type: [rural, urban], ...}."""
    where: dict[str, list[str]] = {}
    for condition in conditions:
        name, sep, value = condition.partition("=")
        if not sep or not name.strip():
            raise QcodeError(Problem(f"filter '{condition}' is not attribute=value",
                                     hint="write it like --where district_type=rural"))
        where.setdefault(name.strip(), []).append(value.strip())
    return where


def attribute_text(value: AttributeValue) -> str:
    """How a typed filter value compares with a stored one: 38 and 38.0 both read "38", true reads "true"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def check_where(where: dict[str, list[str]], attributes: dict[str, dict[str, AttributeValue]]) -> None:
    """Refuse a filter no document could pass, naming the attributes or values there are."""
    known: dict[str, set[str]] = {}
    for values in attributes.values():
        for name, value in values.items():
            known.setdefault(name, set()).add(attribute_text(value))
    for name, wanted in where.items():
        if name not in known:
            names = ", ".join(sorted(known)) or "none; add them with 'qcode ingest FOLDER --metadata metadata.csv'"
            raise QcodeError(Problem(f"no document has the attribute '{name}'", hint=f"attributes are: {names}"))
        if not any(value.casefold() in {k.casefold() for k in known[name]} for value in wanted):
            raise QcodeError(Problem(f"no document has {name}={' or '.join(wanted)}",
                                     hint=f"values of {name} are: {', '.join(sorted(known[name]))}"))


def document_passes(where: dict[str, list[str]], attributes: dict[str, AttributeValue]) -> bool:
    """Values compare case-insensitively, as typed values on a command line differ from a CSV's in case only."""
    for name, wanted in where.items():
        if name not in attributes:
            return False
        stored = attribute_text(attributes[name]).casefold()
        if stored not in {value.casefold() for value in wanted}:
            return False
    return True
