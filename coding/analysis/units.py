"""The units codes are counted in, and which units a coding places its code on.

- turn: a turn carries a code if a coding lies in it (`coding.turn`, and every later turn a span across turns
  reaches). Unit id "D07:12".
- excerpt: an excerpt carries a code if a coding names it (`excerpt_id`) or the coding's span covers at least half
  of the excerpt's characters. Interviewer turns have no excerpts, so codings there count only as turns. Unit id
  "D07:12:1".
- document (a case): a document carries a code if any of its turns does. Unit id "D07".

With `rollup`, a coding of a code also places every ancestor of that code on the same units (a parent counts its
children). Units "at risk" (the denominators) are every excerpt, every respondent turn plus any other turn that
carries a coding, and every document.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

import pandas as pd

from coding.analysis.data import AnalysisData
from coding.errors import Problem, QcodeError
from coding.models import Coding, Excerpt, SpeakerRole, Turn
from coding.units import excerpt_covered, turns_reached

Unit = Literal["excerpt", "turn", "document"]
UNITS: tuple[Unit, ...] = ("excerpt", "turn", "document")

MEMBERSHIP_COLUMNS = ["unit_id", "document", "turn", "excerpt_id", "code", "coded_as", "coder", "source",
                      "decision_id"]
UNIT_COLUMNS = ["unit_id", "document", "turn", "excerpt_id", "speaker", "role", "start", "end", "text"]


def check_unit(unit: str, allowed: tuple[str, ...] = UNITS) -> Unit:
    if unit not in allowed:
        raise QcodeError(Problem(f"unknown unit '{unit}'", hint=f"use one of: {', '.join(allowed)}"))
    return unit  # type: ignore[return-value]


def turn_unit_id(document: str, turn: int) -> str:
    return f"{document}:{turn}"


def _excerpts_by_document(data: AnalysisData) -> dict[str, list[Excerpt]]:
    grouped: dict[str, list[Excerpt]] = defaultdict(list)
    for excerpt in data.excerpts:
        grouped[excerpt.document].append(excerpt)
    return grouped


def _turns_by_document(data: AnalysisData) -> dict[str, list[Turn]]:
    grouped: dict[str, list[Turn]] = defaultdict(list)
    for turn in sorted(data.turns, key=lambda t: (t.document, t.number)):
        grouped[turn.document].append(turn)
    return grouped


def excerpts_carrying(coding: Coding, excerpts: list[Excerpt]) -> list[Excerpt]:
    """The excerpts of the coding's document that the coding places its code on (see module doc)."""
    return [excerpt for excerpt in excerpts if excerpt_covered(coding, excerpt)]


def memberships(data: AnalysisData, unit: Unit, rollup: bool = False) -> pd.DataFrame:
    """One row per (coding, unit, code): the unit a coding places a code on. `coded_as` is the code the coder
    applied; `code` differs from it only for rolled-up ancestors. Not deduplicated: count distinct units."""
    unit = check_unit(unit)
    by_document = _excerpts_by_document(data) if unit == "excerpt" else {}
    turns = _turns_by_document(data) if unit == "turn" else {}
    rows: list[tuple] = []
    for coding in data.codings:
        codes = [coding.code, *(data.ancestors(coding.code) if rollup else [])]
        if unit == "excerpt":
            places = [(e.id, e.turn, e.id) for e in excerpts_carrying(coding, by_document.get(coding.document, []))]
        elif unit == "turn":
            reached = turns_reached(coding, turns.get(coding.document, []))
            places = [(turn_unit_id(coding.document, n), n, coding.excerpt_id if n == coding.turn else None)
                      for n in reached]
        else:
            places = [(coding.document, None, None)]
        for unit_id, turn, excerpt_id in places:
            for code in codes:
                rows.append((unit_id, coding.document, turn, excerpt_id, code, coding.code, coding.coder,
                             coding.source.value, coding.decision_id))
    frame = pd.DataFrame(rows, columns=MEMBERSHIP_COLUMNS)
    return frame.astype({"turn": "Int64", "decision_id": "int64"})


def unit_table(data: AnalysisData, unit: Unit) -> pd.DataFrame:
    """Every unit at risk of being coded (the denominators), in document order."""
    unit = check_unit(unit)
    if unit == "document":
        rows = [(name, name, None, None, None, None, None, None, None) for name in data.documents]
    elif unit == "excerpt":
        speakers = {(t.document, t.number): t for t in data.turns}
        rows = []
        for e in data.excerpts:
            turn = speakers.get((e.document, e.turn))
            rows.append((e.id, e.document, e.turn, e.id, turn.speaker if turn else None,
                         turn.role.value if turn else None, e.start, e.end, e.text))
    else:
        turns_of = _turns_by_document(data)
        coded = {(c.document, n) for c in data.codings for n in turns_reached(c, turns_of.get(c.document, []))}
        rows = [
            (turn_unit_id(t.document, t.number), t.document, t.number, None, t.speaker, t.role.value, t.start,
             t.end, t.text)
            for t in data.turns
            if t.role == SpeakerRole.respondent or (t.document, t.number) in coded
        ]
    frame = pd.DataFrame(rows, columns=UNIT_COLUMNS)
    return frame.astype({"turn": "Int64", "start": "Int64", "end": "Int64"})


def units_by_code(data: AnalysisData, unit: Unit, rollup: bool = False) -> dict[str, set[str]]:
    """code -> ids of the units carrying it."""
    carried: dict[str, set[str]] = defaultdict(set)
    frame = memberships(data, unit, rollup)
    for code, unit_id in zip(frame["code"], frame["unit_id"]):
        carried[code].add(unit_id)
    return carried
