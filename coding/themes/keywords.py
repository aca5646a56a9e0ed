"""Theme keywords by class-based TF-IDF (BERTopic's c-TF-IDF) and short labels made from them.

Every theme (and the outliers, as one more class, so words common everywhere lose weight) is one class; a term's
score in a theme is its share of the theme's terms times log(1 + average terms per class / the term's count over
all classes). Terms are lowercased words with stop words removed, lemmatised by an installed English spaCy
pipeline when there is one and otherwise by a light plural normaliser, plus bigrams of words that stand next to
each other in the text (no stop word or punctuation between), so "professional development" and "lesson plans"
survive while "teachers have time" does not become "teacher time".
"""

from __future__ import annotations

import importlib.util
import re
import runpy
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

# Words of spoken interviews that carry no topic, beyond spaCy's stop words; transcript annotations too.
FILLER_WORDS = frozenset(
    """yeah yes yep okay ok um uh uhm hmm mm like know think mean kind sort thing things stuff lot lots bit little
    pretty maybe probably guess right sure said going gonna wanna gotta got way look good great actually basically
    honestly literally obviously definitely certainly absolutely totally laughs laughter crosstalk inaudible""".split()
)
# Words ending in s that are not plurals, for the light normaliser.
_NOT_PLURAL = frozenset(
    "news series means politics ethics economics mathematics physics analysis basis crisis bus gas lens chaos "
    "canvas campus status focus virus bonus census always perhaps".split()
)
_CHUNK_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”…—–/\n]+")
_WORD = re.compile(r"[a-z0-9][a-z0-9'’\-]*")

Normaliser = Callable[[str], str]


def light_normalise(word: str) -> str:
    """Singular of a regular English plural ("policies" -> "policy", "teachers" -> "teacher"), else the word."""
    if len(word) <= 3 or word in _NOT_PLURAL or not word.endswith("s"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith(("ss", "us", "is", "ous")):
        return word
    return word[:-1]


def _installed_english_pipelines() -> list[str]:
    """Names of installed English spaCy pipelines, read from package metadata (importing spaCy takes seconds)."""
    return sorted(ep.name for ep in metadata.entry_points(group="spacy_models") if ep.name.startswith("en_"))


@lru_cache(maxsize=1)
def _spacy_lemmatiser() -> Normaliser | None:
    """Lemmas from the first installed English spaCy pipeline (e.g. en_core_web_sm), or None if there is none."""
    names = _installed_english_pipelines()
    if not names:
        return None
    import spacy

    nlp = spacy.load(names[0], disable=["parser", "ner"])

    @lru_cache(maxsize=200_000)
    def lemma(word: str) -> str:
        doc = nlp(word)
        return doc[0].lemma_.lower() if len(doc) == 1 and doc[0].lemma_ else word

    return lemma


def default_normaliser() -> Normaliser:
    return _spacy_lemmatiser() or light_normalise


def normaliser_name() -> str:
    """What `default_normaliser` uses, for the run manifest."""
    return "spacy lemmas" if _spacy_lemmatiser() is not None else "light plural normaliser"


@lru_cache(maxsize=1)
def spacy_stop_words() -> frozenset[str]:
    """spaCy's English stop words. The list is a plain module inside spaCy; running that file alone spares the
    three seconds importing the spaCy package costs, and the normal import is the fallback."""
    spec = importlib.util.find_spec("spacy")
    path = Path(spec.origin).parent / "lang" / "en" / "stop_words.py" if spec and spec.origin else None
    if path is not None and path.is_file():
        words = runpy.run_path(str(path)).get("STOP_WORDS")
        if words:
            return frozenset(words)
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def stop_words(extra: Iterable[str] = ()) -> frozenset[str]:
    return spacy_stop_words() | FILLER_WORDS | {w.lower() for w in extra}


class TermAnalyser:
    """Text -> terms: normalised content words and adjacent-word bigrams."""

    def __init__(self, stops: frozenset[str], normalise: Normaliser):
        self._stops = stops
        self._normalise = normalise
        self._memo: dict[str, str | None] = {}

    def _term(self, token: str) -> str | None:
        term = self._memo.get(token, "")
        if term != "":
            return term
        word = token.replace("’", "'").strip("'-")
        if word.endswith("n't"):
            word = ""  # negated auxiliaries (don't, can't) are function words
        word = word.split("'")[0]
        normal = self._normalise(word) if word else ""
        keep = len(word) > 1 and any(c.isalpha() for c in word) and word not in self._stops
        result = normal if keep and normal not in self._stops else None
        self._memo[token] = result
        return result

    def __call__(self, text: str) -> list[str]:
        terms: list[str] = []
        for chunk in _CHUNK_BREAK.split(text.lower()):
            previous: str | None = None
            for token in _WORD.findall(chunk):
                term = self._term(token)
                if term is not None:
                    terms.append(term)
                    if previous is not None and previous != term:
                        terms.append(f"{previous} {term}")
                previous = term
        return terms


def class_tfidf(counts: "np.ndarray | object") -> np.ndarray:
    """c-TF-IDF weights for a (classes x terms) count matrix (dense or scipy sparse), as a dense array."""
    from sklearn.preprocessing import normalize

    totals_per_term = np.asarray(counts.sum(axis=0)).ravel().astype(np.float64)
    average_class_size = float(np.asarray(counts.sum(axis=1)).mean())
    idf = np.log(1.0 + average_class_size / np.maximum(totals_per_term, 1.0))
    term_frequency = normalize(counts.astype(np.float64), norm="l1", axis=1)
    weighted = term_frequency.multiply(idf) if hasattr(term_frequency, "multiply") else term_frequency * idf
    return np.asarray(weighted.todense() if hasattr(weighted, "todense") else weighted)


class TermCounts:
    """Each text's term counts (texts x terms, scipy CSR) and the terms, from one pass of the analyser."""

    def __init__(self, counts, vocabulary: np.ndarray):
        self.counts = counts
        self.vocabulary = vocabulary
        self._column = {str(term): j for j, term in enumerate(vocabulary)}
        self._by_column = None

    def column(self, term: str) -> int | None:
        return self._column.get(term)

    def users(self, column: int) -> np.ndarray:
        """Indices of the texts that use the term of `column` (column access is cheap on a CSC copy)."""
        if self._by_column is None:
            self._by_column = self.counts.tocsc()
        matrix = self._by_column
        return matrix.indices[matrix.indptr[column]:matrix.indptr[column + 1]]


def term_counts(texts: Sequence[str], extra_stop_words: Iterable[str] = (),
                normalise: Normaliser | None = None) -> TermCounts | None:
    """The texts' terms counted once, for keywords and anything else that reads the same terms; None when no text
    has a term (nothing but stop words)."""
    from sklearn.feature_extraction.text import CountVectorizer

    analyser = TermAnalyser(stop_words(extra_stop_words), normalise or default_normaliser())
    vectorizer = CountVectorizer(analyzer=analyser)
    try:
        counts = vectorizer.fit_transform(texts)
    except ValueError:  # empty vocabulary: nothing but stop words
        return None
    return TermCounts(counts.tocsr(), vectorizer.get_feature_names_out())


def theme_keywords(
    texts: Sequence[str],
    labels: Sequence[int] | np.ndarray,
    top_n: int = 10,
    extra_stop_words: Iterable[str] = (),
    normalise: Normaliser | None = None,
    terms: TermCounts | None = None,
) -> dict[int, list[tuple[str, float]]]:
    """Top `top_n` (term, score) per theme label (>= 0), best first; label -1 (outliers) only informs the idf.

    Ties are broken alphabetically so the result is the same every run. `terms`, when given, are the texts'
    `term_counts` already made (the texts are then not read again).
    """
    from scipy import sparse

    labels = np.asarray(labels, dtype=np.int64)
    themes = sorted(int(x) for x in np.unique(labels) if x >= 0)
    if not themes:
        return {}
    terms = terms if terms is not None else term_counts(texts, extra_stop_words, normalise)
    if terms is None:
        return {theme: [] for theme in themes}
    classes = [*themes, -1]
    row_of = {label: row for row, label in enumerate(classes)}
    membership = sparse.csr_matrix(
        (np.ones(len(labels)), ([row_of[int(x)] for x in labels], np.arange(len(labels)))),
        shape=(len(classes), len(labels)),
    )
    weights = class_tfidf(membership @ terms.counts)
    vocabulary = terms.vocabulary
    result: dict[int, list[tuple[str, float]]] = {}
    for theme in themes:
        row = weights[row_of[theme]]
        candidates = np.flatnonzero(row > 0)
        order = sorted(candidates.tolist(), key=lambda j: (-row[j], vocabulary[j]))[:top_n]
        result[theme] = [(str(vocabulary[j]), float(row[j])) for j in order]
    return result


def keyword_label(keywords: Sequence[str], n_terms: int = 3, separator: str = " / ") -> str:
    """A short name from the first `n_terms` keywords that share no word with one already used
    ("training / professional development / teacher" rather than "training / teacher training / training pd")."""
    chosen: list[str] = []
    used: set[str] = set()
    for keyword in keywords:
        words = set(keyword.split())
        if words & used:
            continue
        chosen.append(keyword)
        used |= words
        if len(chosen) == n_terms:
            break
    return separator.join(chosen) if chosen else "(no keywords)"
