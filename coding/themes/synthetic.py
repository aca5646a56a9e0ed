"""Synthetic excerpts for benchmarks: real sentences resampled into excerpts of 1-3 sentences.

Also a small sentence reader for plain-text transcripts and a built-in fallback list, so a benchmark runs on any
machine. This is test material only; ingestion proper lives in `coding.readers` and `coding.transcripts.segment`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np

# Used when no transcripts are at hand: a few sentences per topic of the district-leader interviews.
BUILTIN_SENTENCES: tuple[str, ...] = (
    "Our teachers need real professional development before we roll this out.",
    "We ran two workshops on AI for staff over the summer.",
    "Most of my principals have never opened one of these tools.",
    "Teacher champions in each building are training their colleagues.",
    "The board wants a policy before the next school year.",
    "We are waiting for guidance from the state department of education.",
    "Our acceptable use policy says nothing about generative AI yet.",
    "Kids are using it to write their essays and we cannot tell.",
    "The plagiarism detectors give us false positives on English learners.",
    "High school teachers worry about cheating on take-home work.",
    "The subscription is free this year but the price will go up.",
    "Our budget cannot carry another per-seat license.",
    "When the grant money runs out we will have to drop it.",
    "Parents are nervous about what happens to their children's data.",
    "Our data privacy officer reviews every vendor agreement.",
    "We will not let any tool see student names.",
    "Rural districts like ours have spotty internet at home.",
    "The wealthy district next door has a device for every student.",
    "Only the motivated teachers are using it so far.",
    "It saves my teachers hours every week on lesson plans.",
    "Drafting a parent newsletter now takes ten minutes.",
    "Feedback on essays is much faster with the assistant.",
    "It can rewrite an article at three different reading levels.",
    "Our special education team uses it to draft IEP goals.",
    "Translation for newcomer families has been a huge help.",
    "Students will need these skills in college and at work.",
    "If we do not teach them AI they will fall behind.",
    "The tool made up a source with a straight face.",
    "Students have to learn to check what the chatbot tells them.",
    "I worry kids will stop learning to write on their own.",
    "Vendors call me every week with a new AI product.",
    "We cannot hire enough teachers, let alone an AI coordinator.",
)

_LABEL = re.compile(r"^\s*(?:\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s*)?[^:\n]{1,40}:\s*")
_PAGE_MARKER = re.compile(r"^\s*\d+\s*/\s*\d+\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def split_sentences(text: str) -> list[str]:
    """Rough sentence split on end punctuation followed by a capital or digit."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def sentences_from_files(paths: Iterable[Path], min_words: int = 5) -> list[str]:
    """Distinct sentences of at least `min_words` words from `Name: text` transcripts, in file order.

    Paragraphs (blank-line separated) have wrapped lines joined; speaker labels, timestamps and page markers are
    dropped; the first line (a title) is skipped.
    """
    seen: dict[str, None] = {}
    for path in sorted(paths):
        body = "\n".join(_read_text(path).splitlines()[1:])
        for paragraph in re.split(r"\n\s*\n", body):
            lines = [line.strip() for line in paragraph.splitlines() if not _PAGE_MARKER.match(line)]
            joined = _LABEL.sub("", " ".join(line for line in lines if line))
            for sentence in split_sentences(joined):
                if len(sentence.split()) >= min_words:
                    seen.setdefault(sentence, None)
    return list(seen)


def find_sentences(folders: Iterable[Path], pattern: str = "*.txt", min_sentences: int = 200) -> list[str]:
    """Sentences from the first folder yielding at least `min_sentences`, else `BUILTIN_SENTENCES`."""
    for folder in folders:
        if folder.is_dir():
            sentences = sentences_from_files(folder.glob(pattern))
            if len(sentences) >= min_sentences:
                return sentences
    return list(BUILTIN_SENTENCES)


def excerpt_compositions(
    n_sentences: int,
    n: int,
    seed: int = 0,
    max_sentences: int = 3,
    neighbours: np.ndarray | None = None,
) -> list[tuple[int, ...]]:
    """Sentence indices of `n` excerpts of 1..max_sentences sentences each.

    The first sentence is drawn at random; the others follow it in order (as consecutive sentences of one answer
    do) or, when `neighbours` (row i: indices of sentences similar to sentence i) is given, are drawn from the
    first sentence's neighbours, which spreads excerpts continuously around each topic instead of repeating a few
    thousand fixed windows.
    """
    if n_sentences < 1:
        raise ValueError("excerpts need at least one sentence to draw from")
    rng = np.random.default_rng(seed)
    starts = rng.integers(0, n_sentences, size=n)
    lengths = rng.integers(1, max_sentences + 1, size=n)
    picks = rng.integers(0, neighbours.shape[1], size=(n, max_sentences)) if neighbours is not None else None
    compositions = []
    for row, (start, length) in enumerate(zip(starts.tolist(), lengths.tolist())):
        if picks is None:
            rest = [(start + k) % n_sentences for k in range(1, length)]
        else:
            rest = [int(neighbours[start, picks[row, k]]) for k in range(1, length)]
        compositions.append((start, *rest))
    return compositions


def synthesise_excerpts(sentences: list[str], n: int, seed: int = 0, max_sentences: int = 3) -> list[str]:
    """`n` excerpts of 1..max_sentences consecutive sentences from `sentences`, reproducible from `seed`."""
    if not sentences:
        raise ValueError("synthesise_excerpts needs at least one sentence")
    compositions = excerpt_compositions(len(sentences), n, seed, max_sentences)
    return [" ".join(sentences[i] for i in picked) for picked in compositions]


def mixed_vectors(
    sentence_vectors: np.ndarray, compositions: list[tuple[int, ...]], seed: int = 0, noise: float = 0.3
) -> np.ndarray:
    """Unit vectors for excerpts: a randomly weighted mean of their sentences' vectors plus isotropic noise.

    `noise` is the expected length of the noise vector relative to the unit mean (0.3: about 0.96 cosine to the
    clean mean), so no two excerpts are identical and clusters have realistic spread.
    """
    rng = np.random.default_rng(seed)
    n, dimension = len(compositions), sentence_vectors.shape[1]
    out = np.empty((n, dimension), dtype=np.float32)
    chunk = 10_000  # bounded temporaries at 100k rows
    for begin in range(0, n, chunk):
        block = compositions[begin : begin + chunk]
        mixed = np.zeros((len(block), dimension), dtype=np.float32)
        for row, picked in enumerate(block):
            weights = rng.dirichlet(np.ones(len(picked))).astype(np.float32)
            mixed[row] = weights @ sentence_vectors[list(picked)]
        mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
        mixed += rng.standard_normal(mixed.shape, dtype=np.float32) * np.float32(noise / np.sqrt(dimension))
        out[begin : begin + len(block)] = mixed / np.linalg.norm(mixed, axis=1, keepdims=True)
    return out
