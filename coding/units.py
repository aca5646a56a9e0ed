"""Units of analysis and which codes each coder gave each unit.

- turn: a respondent turn carries a code if any coding span of the coder lies in it (any excerpt or span); a span
  across turns lies in each turn it reaches.
- excerpt: an excerpt carries a code if a coding is on that excerpt or its span covers at least half the excerpt.
The pseudo-coder `suggested` stands for the latest machine suggestions, `llm` for the local LLM coder's codes.
"""

from __future__ import annotations

import bisect
from collections import defaultdict

from coding.errors import NotFound, Problem
from coding.llm.project import LLM_CODER, llm_unit_codes
from coding.models import Coding, Excerpt, Span, SpeakerRole, Turn
from coding.store import ProjectStore
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store import suggestions as suggestion_store

SUGGESTED = "suggested"
UNITS = ("turn", "excerpt")

TurnUnit = tuple[str, int]


def unit_ids(store: ProjectStore, unit: str) -> list:
    if unit == "turn":
        return [(t.document, t.number) for t in doc_store.all_turns(store) if t.role == SpeakerRole.respondent]
    if unit == "excerpt":
        return [e.id for e in doc_store.get_excerpts(store)]
    raise NotFound(Problem(f"unknown unit '{unit}'", hint=f"use one of: {', '.join(UNITS)}"))


def excerpt_covered(coding: Coding, excerpt: Excerpt) -> bool:
    """The one rule for "this coding puts its code on this excerpt", shared by agreement and analysis."""
    if coding.excerpt_id == excerpt.id:
        return True
    overlap = min(coding.end, excerpt.end) - max(coding.start, excerpt.start)
    return coding.document == excerpt.document and overlap * 2 >= excerpt.end - excerpt.start > 0


def turns_reached(coding: Coding | Span, turns: list[Turn]) -> list[int]:
    """The one rule for "this coding lies in these turns": the turn it starts in and every later turn of its
    document (`turns`: that document's, in order) that starts before the coding ends."""
    return [coding.turn, *(t.number for t in turns if t.number > coding.turn and t.start < coding.end)]


def codes_by_unit(codings: list[Coding], unit: str, excerpts: list[Excerpt],
                  turns: list[Turn] | None = None) -> dict:
    """{unit id: codes}; `turns` (every document's) places a span across turns on each turn it reaches."""
    result: dict = defaultdict(set)
    if unit == "turn":
        by_document: dict[str, list[Turn]] = defaultdict(list)
        for t in turns or []:
            by_document[t.document].append(t)
        for c in codings:
            for number in turns_reached(c, by_document.get(c.document, [])):
                result[(c.document, number)].add(c.code)
        return dict(result)
    in_document: dict[str, list[Excerpt]] = defaultdict(list)
    for e in sorted(excerpts, key=lambda e: e.start):
        in_document[e.document].append(e)
    starts = {document: [e.start for e in found] for document, found in in_document.items()}
    ends = {document: [e.end for e in found] for document, found in in_document.items()}  # excerpts never overlap
    for c in codings:
        found = in_document.get(c.document, [])
        # The excerpts the span overlaps, in its own turn and any later turn it reaches.
        low = bisect.bisect_right(ends.get(c.document, []), c.start)
        high = bisect.bisect_left(starts.get(c.document, []), c.end)
        for e in found[low:high]:
            if excerpt_covered(c, e):
                result[e.id].add(c.code)
    return dict(result)


def coder_unit_codes(store: ProjectStore, coders: list[str], unit: str) -> dict[str, dict]:
    """{coder: {unit id: codes}} for real coders and the pseudo-coder `suggested`."""
    excerpts = doc_store.get_excerpts(store) if unit == "excerpt" else []
    turns = doc_store.all_turns(store) if unit == "turn" else []
    known = set(coding_store.coders(store))
    result: dict[str, dict] = {}
    for coder in coders:
        if coder == SUGGESTED:
            result[coder] = suggested_unit_codes(store, unit)
            continue
        if coder == LLM_CODER and coder not in known:
            result[coder] = llm_unit_codes(store, unit)
            continue
        if coder not in known:
            raise NotFound(Problem(f"no codings by coder '{coder}'",
                                   hint=f"coders are: {', '.join(sorted(known)) or 'none yet'} "
                                        f"(and '{SUGGESTED}', '{LLM_CODER}')"))
        result[coder] = codes_by_unit(coding_store.current_codings(store, coder=coder), unit, excerpts, turns)
    return result


def suggested_unit_codes(store: ProjectStore, unit: str) -> dict:
    run = suggestion_store.latest_suggestion_run(store)
    if run is None:
        raise NotFound(Problem("there are no suggestions yet", hint="run 'qcode suggest' first"))
    result: dict = defaultdict(set)
    for excerpt_id, document, turn, code in suggestion_store.suggested_pairs(store, run.id):
        result[(document, turn) if unit == "turn" else excerpt_id].add(code)
    return dict(result)
