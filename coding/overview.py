"""The project at a glance: what is in it, how far coding and review have got, by coder, and what to do next."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from coding.store import ProjectStore
from coding.store import codebooks as codebook_store
from coding.store import documents as doc_store
from coding.store import overview as overview_store


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class CoderProgress(_Frozen):
    coder: str
    decided: int  # excerpts the coder has decided on
    codings: int  # codings in force
    accepted: int  # suggestions accepted
    rejected: int
    last_at: datetime | None


class NextStep(_Frozen):
    message: str
    page: str  # the view that does it: overview | transcripts | themes | review | codebook | analysis | export


class ProjectOverview(_Frozen):
    path: str
    documents: int
    turns: int
    excerpts: int
    codebook: str | None
    codebook_version: int | None
    codes: int
    codings: int
    coded_excerpts: int
    reviewed_excerpts: int
    coders: list[CoderProgress]
    suggestion_run: int | None
    theme_run: int | None
    themes: int
    next_steps: list[NextStep]


def project_overview(store: ProjectStore, coder: str | None = None) -> ProjectOverview:
    sizes = doc_store.counts(store)
    current = codebook_store.current_codebook(store)
    totals = overview_store.coding_totals(store)
    runs = overview_store.run_counts(store)
    coders = [CoderProgress(**row) for row in overview_store.coder_rows(store)]
    steps = _next_steps(sizes["excerpts"], current is not None, runs, coders, coder)
    return ProjectOverview(
        path=str(store.path), documents=sizes["documents"], turns=sizes["turns"], excerpts=sizes["excerpts"],
        codebook=current[1].name if current else None, codebook_version=current[0] if current else None,
        codes=len(current[1].codes) if current else 0, codings=totals["codings"],
        coded_excerpts=totals["coded_excerpts"], reviewed_excerpts=totals["reviewed_excerpts"], coders=coders,
        suggestion_run=runs["suggestion_run"], theme_run=runs["theme_run"], themes=runs["themes"] or 0,
        next_steps=steps,
    )


def _next_steps(excerpts: int, has_codebook: bool, runs: dict, coders: list[CoderProgress],
                coder: str | None) -> list[NextStep]:
    if excerpts == 0:
        return [NextStep(message="No transcripts yet: ingest them with 'qcode ingest FOLDER' "
                                 "(for example 'qcode ingest transcripts/').", page="overview")]
    steps = []
    if not has_codebook:
        steps.append(NextStep(message="No codebook: load one (codebooks/district-leaders-ai.yaml is the default).",
                              page="codebook"))
    if runs["theme_run"] is None:
        steps.append(NextStep(message="No themes yet: find candidate themes in your excerpts.", page="themes"))
    if has_codebook and runs["suggestion_run"] is None:
        steps.append(NextStep(message="No suggestions yet: run suggest to rank codes for every excerpt.",
                              page="review"))
    mine = next((c for c in coders if c.coder == coder), None)
    left = excerpts - (mine.decided if mine else 0)
    if has_codebook and left > 0:
        steps.append(NextStep(message=f"{left} excerpts are waiting for your review.", page="review"))
    if any(c.codings for c in coders):
        steps.append(NextStep(message="Look at code frequencies and agreement, or export your codings.",
                              page="analysis"))
    return steps
