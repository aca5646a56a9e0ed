"""A transcript ready to read and code: its turns in order, and every coding on it as a span with its code's name
and colour (a span may cross turns), for the Transcripts page's selection component."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from coding.project_codebook.editing import applicable_codes
from coding.codings.spans import last_turn
from coding.errors import NotFound, Problem
from coding.models import AttributeValue, Span, Turn
from coding.store import ProjectStore
from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store
from coding.store import documents as doc_store


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class SpanCoding(_Frozen):
    """One coding in force on the transcript."""

    decision_id: int
    document: str
    coder: str
    code: str
    name: str
    color: str | None
    start: int
    end: int
    turn: int  # the turn it starts in
    last_turn: int  # the turn it ends in (the same for a span within one turn)
    excerpt_id: str | None
    text: str


class AnnotatedTranscript(_Frozen):
    document: str
    title: str | None
    attributes: dict[str, AttributeValue]
    turns: list[Turn]
    codings: list[SpanCoding]  # in text order
    codes: list[tuple[str, str]]  # (id, "ID  name") of the leaf codes, for choosing one to apply

    def coding(self, decision_id: int | None) -> SpanCoding | None:
        return next((c for c in self.codings if c.decision_id == decision_id), None)


def annotated_transcript(store: ProjectStore, document: str) -> AnnotatedTranscript:
    found = doc_store.get_document(store, document)
    if found is None:
        raise NotFound(Problem(f"no document {document} in the project", hint="see the document list"))
    current = codebook_store.current_codebook(store)
    codebook = current[1] if current else None
    turns = doc_store.get_turns(store, document)
    codings = []
    for coding in coding_store.current_codings(store, document=document):
        code = codebook.get(coding.code) if codebook else None
        span = Span(document=document, start=coding.start, end=coding.end, turn=coding.turn)
        codings.append(SpanCoding(decision_id=coding.decision_id, document=coding.document, coder=coding.coder,
                                  code=coding.code, name=code.name if code else coding.code,
                                  color=code.color if code else None, start=coding.start, end=coding.end,
                                  turn=coding.turn, last_turn=last_turn(turns, span), excerpt_id=coding.excerpt_id,
                                  text=coding.text or ""))
    choices = applicable_codes(store, codebook) if codebook else []
    return AnnotatedTranscript(document=found.name, title=found.title, attributes=found.attributes, turns=turns,
                               codings=codings, codes=choices)


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
