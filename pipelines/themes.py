"""Theme flow: excerpt vectors -> reduce + HDBSCAN -> keywords and labels -> reconcile with the codebook -> store.

Every run is stored with its manifest (model, reducer and HDBSCAN parameters, seed, code version, time), so a
theme list can be reproduced and two runs compared.
"""

from __future__ import annotations

from datetime import datetime
from importlib.metadata import version as package_version

import numpy as np

from coding.codebook import Code, Codebook, add_code
from coding.embedding.base import Embedder, ProgressCallback, StageCallback
from coding.errors import NotFound, Problem, QcodeError
from coding.models import CodeScore, Theme, ThemeMember, ThemeRun
from coding.project_codebook import apply_edit
from coding.store import ProjectStore
from coding.store import codebooks as codebook_store
from coding.store import documents as doc_store
from coding.store import themes as theme_store
from coding.themes.discover import discover_themes
from coding.themes.reconcile import ReconcileSettings, code_prototype_texts, reconcile
from coding.themes.settings import ThemeSettings
from pipelines.embed import embed_texts, excerpt_vectors
from coding.store.documents import text_hash


def code_prototypes(store: ProjectStore, embedder: Embedder, codes: list[Code]
                    ) -> tuple[np.ndarray, list[np.ndarray | None]]:
    """One positive prototype per code (mean of its descriptive texts) and its negative vectors, via the cache."""
    positives, negatives = [], []
    for code in codes:
        pos_texts, neg_texts = code_prototype_texts(code)
        pos_vectors, _ = embed_texts(store, embedder, pos_texts, [text_hash(t) for t in pos_texts])
        centroid = pos_vectors.mean(axis=0)
        positives.append(centroid / (np.linalg.norm(centroid) or 1.0))
        if neg_texts:
            neg_vectors, _ = embed_texts(store, embedder, neg_texts, [text_hash(t) for t in neg_texts])
            negatives.append(neg_vectors)
        else:
            negatives.append(None)
    return np.vstack(positives) if positives else np.zeros((0, embedder.dimension), np.float32), negatives


def run_themes(store: ProjectStore, embedder: Embedder, settings: ThemeSettings | None = None,
               progress: ProgressCallback | None = None,
               reconcile_settings: ReconcileSettings | None = None, stage: StageCallback | None = None) -> int:
    """Cluster every excerpt into candidate themes, reconcile them with the codebook, store the run; returns its id.

    `progress` follows the embedding; `stage(name, count)` is told as each later stage starts (reduce, cluster,
    keywords, describe, reconcile, save), with how many items it works on."""
    settings = settings or ThemeSettings()
    announce = stage or (lambda name, count: None)
    rows, vectors = excerpt_vectors(store, embedder, progress)
    if len(rows) < 2:
        raise QcodeError(Problem("too few excerpts to look for themes", hint="ingest some transcripts first"))
    excerpts = doc_store.excerpts_by_id(store, [r[0] for r in rows])
    turn_speakers = {(t.document, t.number): t.speaker for t in doc_store.all_turns(store)}
    ordered = [excerpts[r[0]] for r in rows]
    result = discover_themes(
        vectors, [e.text for e in ordered], [e.document for e in ordered],
        [turn_speakers.get((e.document, e.turn), "") for e in ordered], settings, stage=stage,
    )
    current = codebook_store.current_codebook(store)
    matches = {}
    reconcile_settings = reconcile_settings or ReconcileSettings()
    if current is not None and result.themes:
        announce("reconcile", len(result.themes))
        codes = current[1].leaves()
        positive, negative = code_prototypes(store, embedder, codes)
        centroids = np.vstack([np.asarray(t.centroid, dtype=np.float32) for t in result.themes])
        for theme, match in zip(result.themes, reconcile(centroids, [c.id for c in codes], positive, negative,
                                                         reconcile_settings)):
            matches[theme.id] = match
    themes, members, centroids = [], [], {}
    for t in result.themes:
        match = matches.get(t.id)
        themes.append(Theme(
            theme=t.id, label=t.label, keywords=list(t.keywords), size=t.size, documents=t.documents,
            speakers=t.speakers, status=match.status if match else "new",
            codes=[CodeScore(code=s.code, score=round(float(s.score), 4)) for s in match.scores] if match else [],
        ))
        centroids[t.id] = np.asarray(t.centroid, dtype=np.float32)
        rank = {index: r for r, index in enumerate(t.representatives, start=1)}
        for index, probability in zip(t.members, t.member_probabilities):
            members.append(ThemeMember(excerpt_id=ordered[index].id, theme=t.id,
                                       probability=round(float(probability), 4), representative_rank=rank.get(index)))
    for outlier in result.outliers:
        similarity = None if outlier.similarity is None else round(float(outlier.similarity), 4)
        members.append(ThemeMember(excerpt_id=ordered[outlier.index].id, theme=-1,
                                   nearest_theme=outlier.nearest_theme, similarity=similarity))
    manifest = {
        **result.manifest,
        "settings": settings.model_dump(mode="json"),
        "reconcile": reconcile_settings.model_dump(mode="json"),
        "model": embedder.model_id,
        "qcode_version": package_version("qcode"),
        "excerpts": len(rows),
        "codebook_version": current[0] if current else None,
        "created_at": datetime.now().isoformat(timespec="seconds"),
    }
    run = ThemeRun(model_id=embedder.model_id, codebook_version=current[0] if current else None, manifest=manifest)
    announce("save", len(members))
    return theme_store.save_theme_run(store, run, themes, centroids, members)

