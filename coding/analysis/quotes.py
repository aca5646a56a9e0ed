"""Every quote of a code: the retrieval view authors use to pick quotes for a paper.

`code_quotes` lists each current coding of a code (optionally of its sub-codes too) with its text (the document's
text[start:end]), document, turn, speaker, coder and the document's attributes, filtered by coder and attribute
values and sorted by document, coder, length or an attribute. `quote_context` gives the turns around a quote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from coding.errors import NotFound, Problem, QcodeError
from coding.models import AttributeValue, Frozen, Turn
from coding.project_codebook import require_codebook
from coding.store import ProjectStore
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store.exports import document_titles

SORTS = ("document", "coder", "length")  # and "attribute:NAME" for each document attribute
ATTRIBUTE_SORT = "attribute:"


class QuoteRow(Frozen):
    decision_id: int
    code: str
    document: str
    title: str | None
    turn: int
    speaker: str | None
    coder: str
    source: str
    start: int
    end: int
    text: str
    attributes: dict[str, AttributeValue]


class CodeQuotes(Frozen):
    """The quotes of `code` that the filters keep, and what the filters could choose from (over all its quotes)."""

    code: str
    code_name: str
    codes: list[str]  # the code, then the sub-codes rolled up into it
    rows: list[QuoteRow]
    total: int  # quotes before the coder and attribute filters
    coders: list[str]
    attribute_values: dict[str, list[AttributeValue]]


def _value_key(value: AttributeValue) -> tuple[int, float | str]:
    """Numbers before text before missing values, so a mixed attribute still sorts."""
    if value is None:
        return (2, "")
    if isinstance(value, (int, float)):
        return (0, float(value))
    return (1, str(value).casefold())


def _sort_key(sort: str, attribute_names: Iterable[str]):
    position = lambda row: (row.document, row.start, row.end, row.code, row.coder)  # noqa: E731
    if sort == "document":
        return position
    if sort == "coder":
        return lambda row: (row.coder, *position(row))
    if sort == "length":
        return lambda row: (-len(row.text), *position(row))
    name = sort.removeprefix(ATTRIBUTE_SORT)
    if sort.startswith(ATTRIBUTE_SORT) and name in attribute_names:
        return lambda row: (_value_key(row.attributes.get(name)), *position(row))
    choices = ", ".join([*SORTS, *(ATTRIBUTE_SORT + n for n in attribute_names)])
    raise QcodeError(Problem(f"cannot sort quotes by '{sort}'", hint=f"sort by one of: {choices}"))


def code_quotes(store: ProjectStore, code: str, include_children: bool = False, coders: Iterable[str] | None = None,
                attributes: Mapping[str, Iterable[AttributeValue]] | None = None,
                sort: str = "document") -> CodeQuotes:
    """Every current coding of `code` (and of its descendants with `include_children`) as quote rows.

    `coders` keeps the codings of those coders (None or empty: every coder); `attributes` maps an attribute name to
    the values to keep (a document without the attribute is kept only when None is among them); `sort` is one of
    `SORTS` or "attribute:NAME"."""
    _, codebook = require_codebook(store)
    if code not in codebook:
        raise NotFound(Problem(f"no code '{code}' in the current codebook", code=code,
                               hint="the Codebook page (or qcode codebook show) lists the code ids"))
    codes = [code, *(d.id for d in codebook.descendants(code))] if include_children else [code]
    wanted = set(codes)
    every = [c for c in coding_store.current_codings(store) if c.code in wanted]
    document_attributes = doc_store.document_attributes(store)
    titles = document_titles(store)
    speakers = {(t.document, t.number): t.speaker for t in doc_store.all_turns(store)
                if t.document in {c.document for c in every}}
    rows = [QuoteRow(decision_id=c.decision_id, code=c.code, document=c.document, title=titles.get(c.document),
                     turn=c.turn, speaker=speakers.get((c.document, c.turn)), coder=c.coder, source=c.source.value,
                     start=c.start, end=c.end, text=c.text or "", attributes=document_attributes.get(c.document, {}))
            for c in every]
    values: dict[str, set] = {}
    for row in rows:
        for name, value in row.attributes.items():
            values.setdefault(name, set()).add(value)
    attribute_names = sorted({name for held in document_attributes.values() for name in held})
    key = _sort_key(sort, attribute_names)
    chosen_coders = set(coders or ())
    chosen_values = {name: set(kept) for name, kept in (attributes or {}).items() if kept}
    unknown = sorted(set(chosen_values) - set(attribute_names))
    if unknown:
        raise QcodeError(Problem(f"the documents have no attribute '{unknown[0]}'",
                                 hint=f"attributes are: {', '.join(attribute_names) or 'none'}"))
    kept = [row for row in rows
            if (not chosen_coders or row.coder in chosen_coders)
            and all(row.attributes.get(name) in allowed for name, allowed in chosen_values.items())]
    return CodeQuotes(code=code, code_name=codebook.get(code).name, codes=codes, rows=sorted(kept, key=key),
                      total=len(rows), coders=sorted({r.coder for r in rows}),
                      attribute_values={name: sorted(values[name], key=_value_key) for name in sorted(values)})


def quote_context(store: ProjectStore, document: str, turn: int) -> list[Turn]:
    """The quote's turn with the turn before and after it, to read the quote in its conversation."""
    turns = doc_store.turns_around(store, document, turn)
    if not any(t.number == turn for t in turns):
        raise NotFound(Problem(f"{document} has no turn {turn}", hint="the Transcripts page shows its turns"))
    return turns
