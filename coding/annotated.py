"""A transcript ready to read: turns in order, each with its excerpts and the codes on them.

A coding that covers exactly one excerpt is shown on that excerpt; any other span (a whole turn, a quote located by
an import) is shown on its turn, with the quoted text.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from coding.codebook_editing import applicable_codes
from coding.codebook import Codebook
from coding.errors import NotFound, Problem
from coding.models import AttributeValue, Coding, Excerpt, Turn
from coding.store import ProjectStore
from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store
from coding.store import documents as doc_store


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class CodeLabel(_Frozen):
    code: str
    name: str
    color: str | None
    coder: str
    quote: str | None = None  # for a span that is not one excerpt: the text it covers


class AnnotatedExcerpt(_Frozen):
    excerpt: Excerpt
    labels: list[CodeLabel]


class AnnotatedTurn(_Frozen):
    turn: Turn
    excerpts: list[AnnotatedExcerpt]
    labels: list[CodeLabel]  # codings on the turn that are not exactly one excerpt


class AnnotatedTranscript(_Frozen):
    document: str
    title: str | None
    attributes: dict[str, AttributeValue]
    turns: list[AnnotatedTurn]
    codes: list[tuple[str, str]]  # (id, "ID  name") of the leaf codes, for choosing one to apply


def annotated_transcript(store: ProjectStore, document: str) -> AnnotatedTranscript:
    found = doc_store.get_document(store, document)
    if found is None:
        raise NotFound(Problem(f"no document {document} in the project", hint="see the document list"))
    current = codebook_store.current_codebook(store)
    codebook = current[1] if current else None
    excerpts: dict[int, list[Excerpt]] = {}
    for excerpt in doc_store.get_excerpts(store, document):
        excerpts.setdefault(excerpt.turn, []).append(excerpt)
    codings = coding_store.current_codings(store, document=document)
    turns = []
    for turn in doc_store.get_turns(store, document):
        own = excerpts.get(turn.number, [])
        spans = {(e.start, e.end): e.id for e in own}
        on_turn = [c for c in codings if c.turn == turn.number]
        turns.append(AnnotatedTurn(
            turn=turn,
            excerpts=[AnnotatedExcerpt(excerpt=e, labels=[_label(c, codebook) for c in on_turn
                                                          if _excerpt_of(c, spans) == e.id]) for e in own],
            labels=[_label(c, codebook, quote=True) for c in on_turn if _excerpt_of(c, spans) is None],
        ))
    choices = applicable_codes(store, codebook) if codebook else []
    return AnnotatedTranscript(document=found.name, title=found.title, attributes=found.attributes, turns=turns,
                               codes=choices)


def _excerpt_of(coding: Coding, spans: dict[tuple[int, int], str]) -> str | None:
    return coding.excerpt_id if coding.excerpt_id in spans.values() else spans.get((coding.start, coding.end))


def _label(coding: Coding, codebook: Codebook | None, quote: bool = False) -> CodeLabel:
    code = codebook.get(coding.code) if codebook else None
    return CodeLabel(code=coding.code, name=code.name if code else coding.code, color=code.color if code else None,
                     coder=coding.coder, quote=coding.text if quote else None)


def attribute_values(store: ProjectStore) -> dict[str, list[AttributeValue]]:
    """Each document attribute with its distinct values, for filtering the document list."""
    values: dict[str, set] = {}
    for attributes in doc_store.document_attributes(store).values():
        for key, value in attributes.items():
            if value is not None:
                values.setdefault(key, set()).add(value)
    return {key: sorted(found, key=str) for key, found in sorted(values.items())}


def filter_documents(store: ProjectStore, attribute: str | None = None,
                     values: list[AttributeValue] | None = None) -> list[str]:
    """Document names, all of them or those whose `attribute` is one of `values`."""
    documents = doc_store.document_attributes(store)
    if not attribute or not values:
        return list(documents)
    wanted = {str(v) for v in values}
    return [name for name, attributes in documents.items() if str(attributes.get(attribute)) in wanted]
