"""Semantic search: excerpts ranked by cosine similarity to a typed sentence's vector or to another excerpt's.

The excerpt vectors of one model are read from the embedding cache once per process into one unit-normalised
matrix, so a query is one matrix-vector product and a partial sort.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coding.errors import NotFound, Problem, QcodeError
from coding.search.filters import check_where, document_passes
from coding.search.models import SearchFilters, SearchResults
from coding.search.text import TextIndex
from coding.store import ProjectStore
from coding.store import search as search_store

DEFAULT_LIMIT = 20


@dataclass
class VectorIndex:
    model_id: str
    ids: list[str]
    documents: list[str]  # document name per row
    document_codes: np.ndarray  # per row, the index of its document in `document_names` (filters compare ints)
    document_names: list[str]
    starts: np.ndarray
    ends: np.ndarray
    matrix: np.ndarray  # (excerpts, dimension) float32, unit rows
    row_of: dict[str, int]
    unembedded: int  # excerpts with no vector for the model

    @classmethod
    def load(cls, store: ProjectStore, model_id: str) -> VectorIndex:
        rows = search_store.excerpt_vectors(store, model_id)
        unembedded = search_store.excerpt_count(store) - len(rows)
        if not rows:
            raise QcodeError(Problem(f"no excerpt has a vector from {model_id} yet",
                                     hint="run 'qcode embed' first (with the same --model)"))
        matrix = np.frombuffer(b"".join(r[4] for r in rows), dtype="<f4").reshape(len(rows), -1).astype(np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix /= np.where(norms > 0, norms, 1.0)
        ids = [r[0] for r in rows]
        documents = [r[1] for r in rows]
        document_names = sorted(set(documents))
        code_of = {name: i for i, name in enumerate(document_names)}
        return cls(
            model_id=model_id, ids=ids, documents=documents,
            document_codes=np.array([code_of[d] for d in documents], dtype=np.int64), document_names=document_names,
            starts=np.array([r[2] for r in rows]), ends=np.array([r[3] for r in rows]), matrix=matrix,
            row_of={excerpt_id: i for i, excerpt_id in enumerate(ids)}, unembedded=unembedded,
        )

    def vector_of(self, excerpt_id: str) -> np.ndarray:
        row = self.row_of.get(excerpt_id)
        if row is None:
            raise NotFound(Problem(f"no excerpt '{excerpt_id}' with a vector from {self.model_id}",
                                   hint="excerpt ids look like S01:12:1 (document:turn:index; see 'qcode show S01');"
                                        " run 'qcode embed' if the excerpt is new"))
        return self.matrix[row]


def semantic_search(
    texts: TextIndex, vectors: VectorIndex, query_vector: np.ndarray, query: str,
    filters: SearchFilters | None = None, limit: int = DEFAULT_LIMIT, exclude: str | None = None,
) -> SearchResults:
    """The `limit` excerpts most similar to `query_vector` among those passing the filters, best first."""
    filters = filters or SearchFilters()
    if filters.where:
        check_where(filters.where, texts.attributes())
    scores = vectors.matrix @ _unit(query_vector, vectors)
    allowed = np.ones(len(scores), dtype=bool)
    if filters.where:
        passing = np.array([document_passes(filters.where, texts.by_name[name].attributes)
                            if name in texts.by_name else False for name in vectors.document_names], dtype=bool)
        allowed &= passing[vectors.document_codes]
    if exclude is not None and exclude in vectors.row_of:
        allowed[vectors.row_of[exclude]] = False
    candidates = np.flatnonzero(allowed)
    hits = []
    if len(candidates) and limit > 0:
        # Role filters are rare and excerpts sit in respondent turns, so filter the ranked list rather than the matrix.
        ranked = _top(scores, candidates, len(candidates) if filters.role else limit)
        for row in ranked:
            document = texts.by_name.get(vectors.documents[row])
            start, end = int(vectors.starts[row]), int(vectors.ends[row])
            turn_index = document.turn_at(start, end) if document else None
            if turn_index is None or (filters.role is not None and document.roles[turn_index] != filters.role):
                continue
            hits.append(texts.hit(document, turn_index, start, end, excerpt_id=vectors.ids[row],
                                  score=round(float(scores[row]), 4)))
            if len(hits) == limit:
                break
    return SearchResults(mode="semantic", query=query, total=len(hits), hits=hits, model_id=vectors.model_id,
                         unembedded=vectors.unembedded)


def _unit(vector: np.ndarray, vectors: VectorIndex) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float32).reshape(-1)
    if vector.shape[0] != vectors.matrix.shape[1]:
        raise QcodeError(Problem(f"the query vector has {vector.shape[0]} dimensions, the excerpts' {vectors.model_id}"
                                 f" vectors {vectors.matrix.shape[1]}", hint="embed the query with the same model"))
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def _top(scores: np.ndarray, candidates: np.ndarray, k: int) -> np.ndarray:
    """Rows of `candidates` with the k highest scores, best first (ties by document order, for stable output)."""
    chosen = scores[candidates]
    if k < len(candidates):
        keep = np.argpartition(-chosen, k - 1)[:k]
        candidates, chosen = candidates[keep], chosen[keep]
    order = np.lexsort((candidates, -chosen))
    return candidates[order]
