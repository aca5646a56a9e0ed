"""What an analysis looks at: the codebook, every unit of the transcripts, and the codings chosen by coder and source.

`load_analysis` reads the project once; every table and chart in `coding.analysis` is computed from the
`AnalysisData` it returns, so the app can load once and show many views.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from coding.codebook import Codebook
from coding.errors import NotFound, Problem, QcodeError
from coding.models import AttributeValue, Coding, CodingSource, Excerpt, Frozen, Turn
from coding.project_codebook import require_codebook
from coding.store import ProjectStore
from coding.store import codings as coding_store
from coding.store import documents as doc_store


class CodingFilter(Frozen):
    """Which codings count: `None` means every coder (or every source)."""

    coders: tuple[str, ...] | None = None
    sources: tuple[CodingSource, ...] | None = None

    def keeps(self, coding: Coding) -> bool:
        return (self.coders is None or coding.coder in self.coders) and (
            self.sources is None or coding.source in self.sources
        )

    def describe(self) -> str:
        coders = ", ".join(self.coders) if self.coders else "all coders"
        sources = ", ".join(s.value for s in self.sources) if self.sources else "all sources"
        return f"{coders}; {sources}"


class AnalysisData(BaseModel):
    """A read-only snapshot of a project for analysis. `codings` are already filtered; `coders` lists every coder
    in the project, filtered or not."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    codebook: Codebook
    codebook_version: int
    attributes: dict[str, dict[str, AttributeValue]]  # document -> attributes; every document is a key
    turns: list[Turn]
    excerpts: list[Excerpt]
    codings: list[Coding]
    coders: list[str]
    filter: CodingFilter = CodingFilter()

    @property
    def documents(self) -> list[str]:
        return sorted(self.attributes)

    def attribute_names(self) -> list[str]:
        """Attribute names in the order they first appear across documents."""
        names: dict[str, None] = {}
        for document in self.documents:
            for name in self.attributes[document]:
                names.setdefault(name, None)
        return list(names)

    def code_order(self) -> list[str]:
        """Codebook codes depth-first, then any coded code the codebook lacks (sorted)."""
        ordered = [code.id for code in self.codebook.depth_first()]
        known = set(ordered)
        return ordered + sorted({c.code for c in self.codings} - known)

    def code_name(self, code_id: str) -> str:
        code = self.codebook.get(code_id)
        return code.name if code else code_id

    def code_path(self, code_id: str) -> str:
        return self.codebook.path(code_id) if code_id in self.codebook else code_id

    def ancestors(self, code_id: str) -> list[str]:
        return [a.id for a in self.codebook.ancestors(code_id)] if code_id in self.codebook else []

    def restricted(self, coders: Iterable[str]) -> AnalysisData:
        """The same snapshot with only these coders' codings (used by the agreement view)."""
        chosen = tuple(coders)
        return self.model_copy(update={"codings": [c for c in self.codings if c.coder in chosen]})


def parse_sources(values: Iterable[str | CodingSource] | None) -> tuple[CodingSource, ...] | None:
    if values is None:
        return None
    parsed: list[CodingSource] = []
    for value in values:
        try:
            parsed.append(CodingSource(value))
        except ValueError:
            choices = ", ".join(s.value for s in CodingSource)
            raise QcodeError(Problem(f"unknown coding source '{value}'", hint=f"use one of: {choices}")) from None
    return tuple(parsed) or None


def check_coders(coders: Iterable[str] | None, known: list[str]) -> tuple[str, ...] | None:
    if coders is None:
        return None
    chosen = tuple(dict.fromkeys(coders))
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise NotFound(Problem(f"no codings by coder '{unknown[0]}'",
                               hint=f"coders are: {', '.join(known) or 'none yet'}"))
    return chosen or None


def load_analysis(
    store: ProjectStore,
    coders: str | Iterable[str] | None = None,
    sources: Iterable[str | CodingSource] | None = None,
) -> AnalysisData:
    """Read the project for analysis, keeping the codings of `coders` (default all) from `sources` (default all)."""
    version, codebook = require_codebook(store)
    all_codings = coding_store.current_codings(store)
    known_coders = sorted({c.coder for c in all_codings})
    if isinstance(coders, str):
        coders = [coders]
    selection = CodingFilter(coders=check_coders(coders, known_coders), sources=parse_sources(sources))
    attributes = doc_store.document_attributes(store)
    return AnalysisData(
        codebook=codebook,
        codebook_version=version,
        attributes=attributes,
        turns=doc_store.all_turns(store),
        excerpts=doc_store.get_excerpts(store),
        codings=[c for c in all_codings if selection.keeps(c) and c.document in attributes],
        coders=known_coders,
        filter=selection,
    )
