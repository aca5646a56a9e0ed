"""Theme flow: vectors -> turns (or excerpts) -> reduce + HDBSCAN -> keywords -> top-level groups -> explained
statuses -> store.

A theme's status (matched / straddles / new) is decided from how the suggester codes its members (see
`coding.themes.evidence`), calibrated on the researchers' codings where they exist; the similarity of the theme's
centre to each code is kept beside it for comparison. Every run is stored with its manifest (model, unit, reducer
and HDBSCAN parameters, seed, the codings the evidence learned from, code version, time), so a theme list can be
reproduced and two runs compared.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from importlib.metadata import version as package_version

import numpy as np

from coding.codebook import Code, Codebook
from coding.embedding.base import Embedder, ProgressCallback, StageCallback
from coding.errors import NotFound, Problem, QcodeError
from coding.models import CodeScore, Theme, ThemeGroup, ThemeMember, ThemeMention, ThemeRun
from coding.store import ProjectStore
from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store import themes as theme_store
from coding.store.documents import text_hash
from coding.suggest.evaluate import unit_decisions
from coding.themes.discover import ThemeResult, discover_themes
from coding.themes.evidence import explain_theme
from coding.themes.hierarchy import group_themes
from coding.themes.keywords import keyword_label, theme_keywords
from coding.themes.reconcile import ReconcileSettings, code_prototype_texts, reconcile
from coding.themes.settings import ThemeSettings
from coding.themes.turn_units import pool_by_key
from pipelines.embed import embed_texts
from pipelines.suggest import coder_labels, gather_inputs, score


EXPLAINED_PROBABILITY = 0.5


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


def without_codes(codebook: Codebook, hidden: Iterable[str]) -> Codebook:
    """The codebook less `hidden` codes (to check whether theme discovery finds them as new)."""
    hidden = set(hidden)
    unknown = hidden - set(codebook.ids())
    if unknown:
        raise NotFound(Problem(f"no code {', '.join(sorted(unknown))} in the codebook to hide",
                               hint=f"codes are: {', '.join(codebook.ids())}"))
    kept = [c.model_copy(update={"parent": None}) if c.parent in hidden else c
            for c in codebook.codes if c.id not in hidden]
    return codebook.model_copy(update={"codes": tuple(kept)})


def run_themes(store: ProjectStore, embedder: Embedder, settings: ThemeSettings | None = None,
               progress: ProgressCallback | None = None,
               reconcile_settings: ReconcileSettings | None = None,
               coders: list[str] | None = None, hide: Iterable[str] = (), stage: StageCallback | None = None) -> int:
    """Cluster the project into candidate themes, group and explain them against the codebook, store the run.

    coders: whose codings calibrate the evidence (None: every coder's; [] : the codebook alone). hide: codes left
    out of the codebook for this run (as `qcode evaluate --themes --hide` does). Returns the run id. `progress`
    follows the embedding; `stage(name, count)` is told as each later stage starts (reduce, cluster, keywords,
    describe, evidence, group, save), with how many items it works on.
    """
    settings = settings or ThemeSettings()
    announce = stage or (lambda name, count: None)
    inputs = gather_inputs(store, embedder, progress)
    ordered = inputs.excerpts
    if len(ordered) < 2:
        raise QcodeError(Problem("too few excerpts to look for themes", hint="ingest some transcripts first"))
    turn_speakers = {(t.document, t.number): t.speaker for t in doc_store.all_turns(store)}
    keys = [(e.document, e.turn) if settings.unit == "turns" else e.id for e in ordered]
    pooled = pool_by_key(inputs.vectors, keys)
    if len(pooled.keys) < 2:
        raise QcodeError(Problem("too few turns to look for themes", hint="ingest some transcripts first, or use "
                                 "--unit excerpts"))
    first = [ordered[ex[0]] for ex in pooled.excerpts_of]
    unit_texts = [" ".join(ordered[i].text for i in ex) for ex in pooled.excerpts_of]
    current = codebook_store.current_codebook(store)
    codebook = without_codes(current[1], hide) if current is not None else None
    prototypes = (code_prototypes(store, embedder, codebook.leaves())
                  if codebook is not None and codebook.leaves() else None)
    result = discover_themes(pooled.vectors, unit_texts, [e.document for e in first],
                             [turn_speakers.get((e.document, e.turn), "") for e in first], settings, stage=stage,
                             code_prototypes=prototypes[0] if prototypes else None)
    hidden = sorted(set(hide))
    announce("evidence", len(ordered))
    evidence = _member_evidence(store, embedder, codebook, inputs, pooled.unit_of, coders)
    announce("group", len(result.themes))
    centres = np.vstack([np.asarray(t.centroid, dtype=np.float32) for t in result.themes]) if result.themes else None
    parents = group_themes(centres) if centres is not None else np.zeros(0, int)
    themes, members, centroids = _themes_and_members(codebook, prototypes, result, centres, pooled, ordered,
                                                     parents, evidence, reconcile_settings or ReconcileSettings(),
                                                     settings.unit)
    groups = _groups(result, parents, unit_texts, pooled, evidence, settings)
    mentions = [ThemeMention(excerpt_id=ordered[index].id, theme=t.id, score=score)
                for t in result.themes for unit, score in zip(t.mentions, t.mention_scores)
                for index in pooled.excerpts_of[unit]]
    manifest = {
        **result.manifest,
        "unit": settings.unit,
        "units": len(pooled.keys),
        "settings": settings.model_dump(mode="json"),
        "reconcile": (reconcile_settings or ReconcileSettings()).model_dump(mode="json"),
        "status_from": "member evidence: the suggester's decisions on each theme's members "
                       "(coding.themes.evidence); centre similarity kept for comparison",
        "evidence_codings": evidence[2] if evidence else 0,
        "evidence_coders": evidence[3] if evidence else [],
        "hidden_codes": hidden,
        "top_level_groups": len(groups),
        "mentions": sum(len(t.mentions) for t in result.themes),  # (theme, unit) pairs outside the theme
        "model": embedder.model_id,
        "qcode_version": package_version("qcode"),
        "excerpts": len(ordered),
        "codebook_version": current[0] if current else None,
        "created_at": datetime.now().isoformat(timespec="seconds"),
    }
    run = ThemeRun(model_id=embedder.model_id, codebook_version=current[0] if current else None, manifest=manifest)
    announce("save", len(members))
    return theme_store.save_theme_run(store, run, themes, centroids, members, groups, mentions)


def _member_evidence(store, embedder, codebook, inputs, unit_of_excerpt, coders):
    """(codes, decided units x codes over the theme units, codings used, coders) or None without a codebook."""
    if codebook is None or not codebook.leaves():
        return None
    codes = [c.id for c in codebook.leaves()]
    labels, n_codings = coder_labels(store, inputs, codes, coders)
    scores = score(store, embedder, codebook, inputs, labels)
    # A member is explained by a code when the calibrated probability says the coder more likely than not applies
    # it: stricter than the review threshold, which is set low so that a reviewer misses little.
    decided = unit_decisions(scores.probability >= EXPLAINED_PROBABILITY, unit_of_excerpt,
                             int(unit_of_excerpt.max()) + 1)
    used = coders if coders is not None else coding_store.coders(store)
    return codes, decided, n_codings, sorted(used) if n_codings else []


def _themes_and_members(codebook, prototypes, result: ThemeResult, centres, pooled, ordered, parents, evidence,
                        reconcile_settings, unit: str):
    matches = {}
    if prototypes is not None and centres is not None:
        leaves = codebook.leaves()
        positive, negative = prototypes
        for theme, match in zip(result.themes, reconcile(centres, [c.id for c in leaves], positive, negative,
                                                         reconcile_settings)):
            matches[theme.id] = match
    themes, members, centroids = [], [], {}
    for t, parent in zip(result.themes, parents.tolist()):
        match = matches.get(t.id)
        explanation = None
        status = match.status if match else "new"
        if evidence is not None:
            codes, decided, _, _ = evidence
            best = match.best if match else None
            explanation = explain_theme(decided[t.members], codes, best.code if best else None,
                                        round(best.score, 4) if best else None, unit)
            status = explanation.status
        size = sum(len(pooled.excerpts_of[u]) for u in t.members)
        themes.append(Theme(
            theme=t.id, label=t.label, keywords=list(t.keywords), size=size, documents=t.documents,
            speakers=t.speakers, status=status, parent=int(parent),
            codes=[CodeScore(code=s.code, score=round(float(s.score), 4)) for s in match.scores] if match else [],
            explanation=None if explanation is None else {**explanation.as_json(), "units": len(t.members)},
        ))
        centroids[t.id] = np.asarray(t.centroid, dtype=np.float32)
        rank = {member: r for r, member in enumerate(t.representatives, start=1)}
        for member, probability in zip(t.members, t.member_probabilities):
            for index in pooled.excerpts_of[member]:
                members.append(ThemeMember(excerpt_id=ordered[index].id, theme=t.id,
                                           probability=round(float(probability), 4),
                                           representative_rank=rank.get(member)))
    for outlier in result.outliers:
        similarity = None if outlier.similarity is None else round(float(outlier.similarity), 4)
        for index in pooled.excerpts_of[outlier.index]:
            members.append(ThemeMember(excerpt_id=ordered[index].id, theme=-1,
                                       nearest_theme=outlier.nearest_theme, similarity=similarity))
    return themes, members, centroids


def _groups(result: ThemeResult, parents: np.ndarray, unit_texts, pooled, evidence, settings) -> list[ThemeGroup]:
    if not result.themes:
        return []
    group_of_unit = np.full(len(unit_texts), -1, dtype=np.int64)
    for t, parent in zip(result.themes, parents.tolist()):
        group_of_unit[t.members] = parent - 1
    keywords = theme_keywords(unit_texts, group_of_unit, top_n=settings.top_keywords,
                              extra_stop_words=settings.extra_stop_words)
    groups = []
    for g in range(1, int(parents.max()) + 1):
        units = np.flatnonzero(group_of_unit == g - 1)
        terms = [term for term, _ in keywords.get(g - 1, [])]
        explanation = {}
        status = "new"
        if evidence is not None:
            codes, decided, _, _ = evidence
            explained = explain_theme(decided[units], codes, unit_name=settings.unit)
            status, explanation = explained.status, explained.as_json()
        groups.append(ThemeGroup(theme_group=g, label=keyword_label(terms), keywords=terms,
                                 size=int(sum(len(pooled.excerpts_of[u]) for u in units)), turns=len(units),
                                 status=status, explanation=explanation))
    return groups
