"""Words beside meaning when clustering: the unit vectors joined with a low-rank view of the units' own wording.

Sentence embeddings place a turn about hiring teachers near turns about training teachers: both are "teachers and
schools". A topic the codebook lacks is often carried by words of its own (the names of things, roles, products),
which an embedding of a short general-purpose model blurs. Joining each unit vector with its TF-IDF profile reduced
by truncated SVD (latent semantic analysis, fitted on the project's own units, no outside vocabulary) lets shared
wording pull such units together. Both parts are unit-length, so with cosine distance the weight w sets how much
the wording counts against meaning: the cosine of two joined vectors is (meaning + w^2 wording) / (1 + w^2).
Centres, representatives and the status against the codebook are still computed from the embedding alone.

Weight 0.5 by default. Alone (meaning only otherwise), on corpus-dev with MiniLM, 5 UMAP seeds, weights 0-2 chosen
on each tuning half of 6 document splits, it flagged themes mostly about a codebook code "new" less often (2.3
against 3.7 per half) but found no more missing codes (0.17 of 2 against 0.30). Chosen together with the codebook
discount (`coding.themes.codebook_discount`), the tuning halves picked 0.5 every time, and purity rose.
"""

from __future__ import annotations

import re

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

from coding.embedding.base import normalise_rows
from coding.themes.keywords import stop_words

WORDING_DIMENSIONS = 100
TOKEN = r"(?u)\b[^\W\d_][\w'-]+\b"  # words of two or more characters starting with a letter


def wording_vectors(texts: list[str], seed: int, dimensions: int = WORDING_DIMENSIONS,
                    extra_stop_words: tuple[str, ...] = ()) -> np.ndarray | None:
    """(n, d) unit rows: each text's TF-IDF profile (words in 2+ units and at most half of them) reduced by SVD;
    None when the texts share too few words for a profile."""
    token = re.compile(TOKEN)
    stops = set(stop_words(extra_stop_words))
    stops |= {part for word in stops for part in token.findall(word)}  # "'ll" is a stop word, so is its "ll"
    vectoriser = TfidfVectorizer(stop_words=sorted(stops), min_df=2, max_df=0.5, sublinear_tf=True,
                                 token_pattern=TOKEN)
    try:
        weights = vectoriser.fit_transform(texts)
    except ValueError:  # no word left after the document-frequency limits
        return None
    rank = min(dimensions, weights.shape[1] - 1, weights.shape[0] - 1)
    if rank < 2:
        return None
    reduced = TruncatedSVD(rank, random_state=seed).fit_transform(weights)
    return normalise_rows(reduced.astype(np.float32))


def with_wording(unit: np.ndarray, texts: list[str], weight: float, seed: int,
                 extra_stop_words: tuple[str, ...] = ()) -> np.ndarray:
    """The space clustered: `unit` alone when weight is 0 (or the texts have no shared wording), else
    [unit, weight * wording]."""
    if weight <= 0 or len(texts) < 3:
        return unit
    wording = wording_vectors(texts, seed, extra_stop_words=extra_stop_words)
    if wording is None:
        return unit
    return np.hstack([unit, weight * wording]).astype(np.float32)
