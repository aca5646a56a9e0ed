"""Units of analysis and which codes each coder gave each unit.

- turn: a respondent turn carries a code if any coding span of the coder lies in it (any excerpt or span).
- excerpt: an excerpt carries a code if a coding is on that excerpt or its span covers at least half the excerpt.
The pseudo-coder `suggested` stands for the latest machine suggestions, `llm` for the local LLM coder's codes.
"""

from __future__ import annotations

from collections import defaultdict

from coding.errors import NotFound, Problem
from coding.llm.project import LLM_CODER, llm_unit_codes
from coding.models import Coding, Excerpt, SpeakerRole
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


def codes_by_unit(codings: list[Coding], unit: str, excerpts: list[Excerpt]) -> dict:
    result: dict = defaultdict(set)
    if unit == "turn":
        for c in codings:
            result[(c.document, c.turn)].add(c.code)
        return dict(result)
    by_turn: dict[TurnUnit, list[Excerpt]] = defaultdict(list)
    for e in excerpts:
        by_turn[(e.document, e.turn)].append(e)
    for c in codings:
        for e in by_turn.get((c.document, c.turn), []):
            if excerpt_covered(c, e):
                result[e.id].add(c.code)
    return dict(result)


def coder_unit_codes(store: ProjectStore, coders: list[str], unit: str) -> dict[str, dict]:
    """{coder: {unit id: codes}} for real coders and the pseudo-coder `suggested`."""
    excerpts = doc_store.get_excerpts(store) if unit == "excerpt" else []
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
        result[coder] = codes_by_unit(coding_store.current_codings(store, coder=coder), unit, excerpts)
    return result


def suggested_unit_codes(store: ProjectStore, unit: str) -> dict:
    run = suggestion_store.latest_suggestion_run(store)
    if run is None:
        raise NotFound(Problem("there are no suggestions yet", hint="run 'qcode suggest' first"))
    result: dict = defaultdict(set)
    for excerpt_id, document, turn, code in suggestion_store.suggested_pairs(store, run.id):
        result[(document, turn) if unit == "turn" else excerpt_id].add(code)
    return dict(result)
