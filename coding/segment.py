"""Segmenting turns into excerpts: windows of 1-3 consecutive sentences that never cross a turn.

spaCy does the sentence splitting: `spacy.blank("en")` with the rule-based sentencizer by default (no model
download needed), or any installed pipeline named in the settings.
"""

from __future__ import annotations

import math
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


def sentence_spans(texts: list[str], spacy_model: str) -> list[list[tuple[int, int]]]:
    """Character spans of the sentences of each text, whitespace trimmed."""
    nlp = load_sentence_splitter(spacy_model)
    result: list[list[tuple[int, int]]] = []
    # `text` is the input string itself: spaCy's `doc.text` rebuilds the string from every token on each call.
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=256)):
        spans = []
        for sentence in doc.sents:
            start, end = sentence.start_char, sentence.end_char
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if end > start:
                spans.append((start, end))
        result.append(spans)
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
