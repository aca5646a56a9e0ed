"""Text search over every document's stored text: words and phrases (case-insensitive by default) or a regex.

Matches are found in the stored text itself, so `text[start:end]` of a hit is exactly what matched; a match counts
when it lies inside one turn's utterance (speaker labels and titles are not part of any turn).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field

import numpy as np

from coding.codings.locate import _FOLD
from coding.errors import Problem, QcodeError
from coding.models import AttributeValue, SpeakerRole
from coding.search.filters import check_where, document_passes
from coding.search.models import SearchFilters, SearchHit, SearchResults
from coding.store import ProjectStore
from coding.store import search as search_store

CONTEXT_CHARS = 60

# A typed straight quote or hyphen also finds the curly quotes and dashes transcripts are full of, and the other way
# round: the same spellings `coding.codings.locate` treats as one when it finds quotes.
_SPELLINGS: dict[str, set[str]] = {}
for _typed, _folded in ((chr(k), v) for k, v in _FOLD.items() if len(v) == 1):
    _SPELLINGS.setdefault(_folded, {_folded}).add(_typed)
for _folded, _group in list(_SPELLINGS.items()):
    for _member in _group:
        _SPELLINGS[_member] = _group


@dataclass
class IndexedDocument:
    name: str
    text: str
    attributes: dict[str, AttributeValue]
    turn_starts: list[int]
    turn_ends: list[int]
    turn_numbers: list[int]
    speakers: list[str]
    roles: list[SpeakerRole]
    excerpts: dict[tuple[int, int], str]  # (start, end) -> excerpt id
    lowered: str | None = None  # text.lower() when it keeps every offset (no character lowers to two)
    starts_array: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    ends_array: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    respondent_array: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __post_init__(self) -> None:
        lowered = self.text.lower()
        self.lowered = lowered if len(lowered) == len(self.text) else None
        self.starts_array = np.array(self.turn_starts, dtype=np.int64)
        self.ends_array = np.array(self.turn_ends, dtype=np.int64)
        self.respondent_array = np.array([r == SpeakerRole.respondent for r in self.roles], dtype=bool)

    def turn_at(self, start: int, end: int) -> int | None:
        """Index of the turn whose utterance holds [start, end), if any."""
        i = bisect.bisect_right(self.turn_starts, start) - 1
        if i >= 0 and end <= self.turn_ends[i]:
            return i
        return None


class TextIndex:
    """Every document's text with its turn spans, loaded once per process (see `coding.search.cache`)."""

    def __init__(self, documents: list[IndexedDocument]):
        self.documents = documents
        self.by_name = {d.name: d for d in documents}

    @classmethod
    def load(cls, store: ProjectStore) -> TextIndex:
        turns: dict[str, list[tuple]] = {}
        for row in search_store.turn_spans(store):
            turns.setdefault(row[0], []).append(row)
        excerpts: dict[str, dict[tuple[int, int], str]] = {}
        for excerpt_id, document, start, end in search_store.excerpt_spans(store):
            excerpts.setdefault(document, {})[(start, end)] = excerpt_id
        documents = []
        for name, text, attributes in search_store.searchable_documents(store):
            rows = turns.get(name, [])
            documents.append(IndexedDocument(
                name=name, text=text, attributes=json.loads(attributes),
                turn_starts=[r[4] for r in rows], turn_ends=[r[5] for r in rows], turn_numbers=[r[1] for r in rows],
                speakers=[r[2] for r in rows], roles=[SpeakerRole(r[3]) for r in rows],
                excerpts=excerpts.get(name, {}),
            ))
        return cls(documents)

    def attributes(self) -> dict[str, dict[str, AttributeValue]]:
        return {d.name: d.attributes for d in self.documents}

    def hit(self, document: IndexedDocument, turn_index: int, start: int, end: int, excerpt_id: str | None = None,
            score: float | None = None) -> SearchHit:
        """The hit at [start, end) of the turn; `excerpt_id` defaults to the excerpt spanning exactly that, if any."""
        turn_start, turn_end = document.turn_starts[turn_index], document.turn_ends[turn_index]
        text = document.text
        return SearchHit(
            document=document.name, turn=document.turn_numbers[turn_index], speaker=document.speakers[turn_index],
            role=document.roles[turn_index], start=start, end=end, text=text[start:end],
            before=text[max(turn_start, start - CONTEXT_CHARS):start], after=text[end:min(turn_end, end + CONTEXT_CHARS)],
            attributes=document.attributes, excerpt_id=excerpt_id or document.excerpts.get((start, end)), score=score,
        )


def compile_query(query: str, regex: bool = False, case_sensitive: bool = False) -> re.Pattern[str]:
    """The pattern for a typed query. Without `regex`, the words are literal and any run of whitespace between them
    matches any other (a phrase may wrap onto a new line in a transcript)."""
    if not query.strip():
        raise QcodeError(Problem("the search text is empty", hint="type a word, a phrase, or a pattern with --regex"))
    flags = 0 if case_sensitive else re.IGNORECASE
    if regex:
        try:
            return re.compile(query, flags)
        except re.error as error:
            raise QcodeError(Problem(
                f"'{query}' is not a valid regular expression: {error.msg} at position {error.pos}",
                hint="fix the pattern, escape special characters with a backslash, or search without --regex",
            )) from None
    return re.compile(r"\s+".join(_literal(word) for word in query.split()), flags)


def _lowered_literal(query: str) -> re.Pattern[str]:
    """The literal query for searching a document's lowered text: Python's re scans a case-insensitive pattern
    several times slower than a plain one, and literal queries are most searches."""
    return re.compile(r"\s+".join(_literal(word, lowered=True) for word in query.lower().split()))


# Escapes that can spell an upper-case letter, and extension syntax whose letters are not text (flags, group names):
# a regex holding any of them is run case-insensitively as typed instead of lowered.
_KEEP_AS_TYPED = re.compile(r"\\[xuUN0-7]|\(\?")


def _lowered_regex(query: str) -> re.Pattern[str] | None:
    """The regex for a document's lowered text: its literal letters lowered, escapes such as \\W kept. None when the
    pattern has syntax that lowering could change; the caller then runs it with re.IGNORECASE."""
    if _KEEP_AS_TYPED.search(query):
        return None
    out = []
    escaped = False
    for char in query:
        if escaped:
            out.append(char if char.isascii() and char.isalpha() else char.lower())
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        else:
            out.append(char.lower())
    if any(len(part) != 1 for part in out):  # a letter that lowers to two characters ("İ") would shift classes
        return None
    try:
        return re.compile("".join(out))
    except re.error:
        return None


def _literal(word: str, lowered: bool = False) -> str:
    parts = []
    for char in word:
        group = _SPELLINGS.get(char, set()) | (_LOWER_VARIANTS.get(char, set()) if lowered else set())
        parts.append("[" + "".join(re.escape(c) for c in sorted(group)) + "]" if group else re.escape(char))
    return "".join(parts)


# Lowercase letters that case-insensitive matching treats as one but str.lower() keeps apart (final and medial
# sigma): a lowered query spells them as either.
_LOWER_VARIANTS = {"σ": {"σ", "ς"}, "ς": {"σ", "ς"}}


def text_search(
    index: TextIndex, query: str, regex: bool = False, case_sensitive: bool = False,
    filters: SearchFilters | None = None, limit: int | None = None,
) -> SearchResults:
    """Every match in a turn of a document that passes the filters, in document and text order; `total` counts all
    of them and `hits` holds the first `limit`."""
    filters = filters or SearchFilters()
    pattern = compile_query(query, regex, case_sensitive)
    if filters.where:
        check_where(filters.where, index.attributes())
    lowered = None if case_sensitive else (_lowered_regex(query) if regex else _lowered_literal(query))
    hits: list[SearchHit] = []
    total = 0
    for document in index.documents:
        if filters.where and not document_passes(filters.where, document.attributes):
            continue
        if lowered is not None and document.lowered is not None and not regex:
            spans = _placed(document, lowered, filters.role)
        else:
            fast = lowered is not None and document.lowered is not None
            spans = [(t, start, end) for t, start, end in _matches(
                         lowered if fast else pattern, document, per_turn=regex, lowered_text=fast)
                     if filters.role is None or document.roles[t] == filters.role]
        total += len(spans)
        for turn_index, start, end in spans:
            if limit is not None and len(hits) >= limit:
                break
            hits.append(index.hit(document, turn_index, start, end))
    return SearchResults(mode="text", query=query, total=total, hits=hits)


def _matches(pattern: re.Pattern[str], document: IndexedDocument, per_turn: bool, lowered_text: bool = False):
    """(turn index, start, end) of each non-empty match inside one turn. A regex runs on each turn's text, so `^`, `$`
    and `.*` stop at the turn's edges; a literal query cannot reach over a speaker label, so it runs once over the
    whole text and each match is placed in its turn."""
    text = document.lowered if lowered_text else document.text
    if per_turn:
        for turn_index, (turn_start, turn_end) in enumerate(zip(document.turn_starts, document.turn_ends)):
            for match in pattern.finditer(text[turn_start:turn_end]):
                if match.end() > match.start():  # a pattern that can match nothing (`a*`) finds no text there
                    yield turn_index, turn_start + match.start(), turn_start + match.end()
        return
    for match in pattern.finditer(text):
        start, end = match.span()
        turn_index = document.turn_at(start, end)
        if turn_index is not None and end > start:
            yield turn_index, start, end


def _placed(document: IndexedDocument, pattern: re.Pattern[str], role: SpeakerRole | None
            ) -> list[tuple[int, int, int]]:
    """(turn index, start, end) of the literal pattern's matches in the lowered text that lie inside one turn of the
    role, placed all at once: a common word has tens of thousands of matches."""
    found = np.array([m.span() for m in pattern.finditer(document.lowered)], dtype=np.int64).reshape(-1, 2)
    if not len(found):
        return []
    turn = np.searchsorted(document.starts_array, found[:, 0], side="right") - 1
    inside = (turn >= 0) & (found[:, 1] > found[:, 0])
    inside[inside] &= found[inside, 1] <= document.ends_array[turn[inside]]
    if role is not None:
        inside[inside] &= document.respondent_array[turn[inside]] == (role == SpeakerRole.respondent)
    kept = np.flatnonzero(inside)
    return list(zip(turn[kept].tolist(), found[kept, 0].tolist(), found[kept, 1].tolist()))
