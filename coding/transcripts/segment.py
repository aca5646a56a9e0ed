"""Segmenting turns into excerpts: windows of 1-3 consecutive sentences that never cross a turn.

spaCy does the sentence splitting: `spacy.blank("en")` with the rule-based sentencizer by default (no model
download needed), or any installed pipeline named in the settings.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache

from coding.errors import Problem, QcodeError
from coding.models import Excerpt, SegmenterSettings, SpeakerRole, Turn


@lru_cache(maxsize=4)
def load_sentence_splitter(spacy_model: str):
    import spacy

    if spacy_model.startswith("blank:"):
        nlp = spacy.blank(spacy_model.split(":", 1)[1])
        nlp.add_pipe("sentencizer")
        return nlp
    try:
        nlp = spacy.load(spacy_model, exclude=["ner", "lemmatizer", "textcat"])
    except OSError:
        raise QcodeError(
            Problem(
                f"spaCy pipeline '{spacy_model}' is not installed",
                hint="install it with pip, or use the default 'blank:en' (rule-based sentence splitting)",
            )
        ) from None
    if not (nlp.has_pipe("parser") or nlp.has_pipe("senter") or nlp.has_pipe("sentencizer")):
        nlp.add_pipe("sentencizer")
    return nlp


# spaCy refuses texts over `nlp.max_length` (1,000,000 characters, error E088) and a parser needs about 1 GB per
# 100,000 characters, so longer turns are split into pieces of at most this size and their spans shifted back.
CHUNK_CHARACTERS = 100_000
_SENTENCE_END = re.compile(r"[.!?…][\"'’”)\]]*\s")


def chunk_bounds(text: str, limit: int = CHUNK_CHARACTERS) -> list[tuple[int, int]]:
    """(start, end) pieces of `text`, each at most `limit` long, cut after a line break, else after a sentence end,
    else at whitespace, and only where there is none of those at a hard `limit`; together they cover the text."""
    bounds: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = window.rfind("\n") + 1
        if cut <= limit // 2:
            ends = [m.end() for m in _SENTENCE_END.finditer(window, limit // 2)]
            cut = ends[-1] if ends else 0
        if cut <= limit // 2:
            cut = next((i + 1 for i in range(len(window) - 1, limit // 2, -1) if window[i].isspace()), limit)
        bounds.append((start, start + cut))
        start += cut
    bounds.append((start, len(text)))
    return bounds


def sentence_spans(texts: list[str], spacy_model: str, chunk_characters: int = CHUNK_CHARACTERS
                   ) -> list[list[tuple[int, int]]]:
    """Character spans of the sentences of each text, whitespace trimmed."""
    nlp = load_sentence_splitter(spacy_model)
    pieces = [(number, start, end) for number, text in enumerate(texts)
              for start, end in chunk_bounds(text, chunk_characters)]
    result: list[list[tuple[int, int]]] = [[] for _ in texts]
    # `text` is the input string itself: spaCy's `doc.text` rebuilds the string from every token on each call.
    # Batches of about a million characters: 256 ordinary turns, or a few pieces of a very long one.
    longest = max((end - start for _, start, end in pieces), default=1)
    batch_size = max(1, min(256, 1_000_000 // max(longest, 1)))
    docs = nlp.pipe((texts[number][start:end] for number, start, end in pieces), batch_size=batch_size)
    for (number, offset, _), doc in zip(pieces, docs):
        text = texts[number]
        spans = result[number]
        for sentence in doc.sents:
            start, end = offset + sentence.start_char, offset + sentence.end_char
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((start, end))
    return result


def window_sizes(n_sentences: int, settings: SegmenterSettings) -> list[int]:
    """Balanced windows: 4 sentences -> 2+2, 7 -> 3+2+2, never more than max_sentences each."""
    if n_sentences <= settings.short_turn_sentences:
        return [n_sentences]
    windows = math.ceil(n_sentences / settings.max_sentences)
    base, extra = divmod(n_sentences, windows)
    return [base + 1 if i < extra else base for i in range(windows)]


def segment_turns(turns: Iterable[Turn], settings: SegmenterSettings) -> list[Excerpt]:
    chosen = [
        turn
        for turn in turns
        if turn.text.strip() and (settings.include_interviewer or turn.role == SpeakerRole.respondent)
    ]
    excerpts: list[Excerpt] = []
    for turn, spans in zip(chosen, sentence_spans([t.text for t in chosen], settings.spacy_model)):
        position = 0
        for index, size in enumerate(window_sizes(len(spans), settings), start=1):
            window = spans[position : position + size]
            position += size
            local_start, local_end = window[0][0], window[-1][1]
            excerpts.append(
                Excerpt(
                    id=f"{turn.document}:{turn.number}:{index}",
                    document=turn.document,
                    turn=turn.number,
                    index=index,
                    start=turn.start + local_start,
                    end=turn.start + local_end,
                    text=turn.text[local_start:local_end],
                )
            )
    return excerpts
