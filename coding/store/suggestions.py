"""Suggestion runs: a calibrated score per (excerpt, code), with the model and codebook version that made it."""

from __future__ import annotations

import json
from datetime import datetime

from coding.models import StoredSuggestion, SuggestionRun
from coding.store.connection import ProjectStore


def save_suggestion_run(store: ProjectStore, run: SuggestionRun, suggestions: list[StoredSuggestion]) -> int:
    import pandas as pd

    columns = list(StoredSuggestion.model_fields)
    return save_suggestion_frame(store, run, pd.DataFrame([s.model_dump() for s in suggestions], columns=columns))


def latest_suggestion_run(store: ProjectStore) -> SuggestionRun | None:
    row = store.conn.execute(
        "SELECT id, created_at, model_id, codebook_version, manifest FROM suggestion_runs ORDER BY id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return SuggestionRun(id=row[0], created_at=row[1], model_id=row[2], codebook_version=row[3],
                         manifest=json.loads(row[4]))


def suggestions_for(store: ProjectStore, run_id: int, excerpt_ids: list[str] | None = None,
                    only_suggested: bool = False) -> list[StoredSuggestion]:
    sql = ("SELECT s.excerpt_id, s.code, s.score, s.zero_shot, s.learned, s.suggested, s.evidence FROM suggestions s")
    params: list = []
    if excerpt_ids is not None:
        sql += " JOIN (SELECT unnest(?) AS wanted) q ON q.wanted = s.excerpt_id"
        params.append(excerpt_ids)
    sql += " WHERE s.run_id = ?"
    params.append(run_id)
    if only_suggested:
        sql += " AND s.suggested"
    sql += " ORDER BY s.excerpt_id, s.score DESC"
    return [StoredSuggestion(excerpt_id=r[0], code=r[1], score=r[2], zero_shot=r[3], learned=r[4], suggested=r[5],
                             evidence=r[6]) for r in store.conn.execute(sql, params).fetchall()]


def suggested_pairs(store: ProjectStore, run_id: int) -> list[tuple[str, str, int, str]]:
    """(excerpt id, document, turn, code) for every suggestion that passes the decision rule."""
    return [tuple(r) for r in store.conn.execute(
        "SELECT s.excerpt_id, e.document, e.turn, s.code FROM suggestions s JOIN excerpts e ON e.id = s.excerpt_id"
        " WHERE s.run_id = ? AND s.suggested", [run_id]).fetchall()]


def save_suggestion_frame(store: ProjectStore, run: SuggestionRun, frame) -> int:
    """Like `save_suggestion_run`, for a pandas frame with the suggestions columns (fast for 100k+ rows)."""
    with store.transaction() as conn:
        run_id = conn.execute(
            "INSERT INTO suggestion_runs (created_at, model_id, codebook_version, manifest) VALUES (?, ?, ?, ?)"
            " RETURNING id",
            [run.created_at or datetime.now(), run.model_id, run.codebook_version, json.dumps(run.manifest)],
        ).fetchone()[0]
        frame = frame.copy()
        frame.insert(0, "run_id", run_id)
        frame = frame[["run_id", "excerpt_id", "code", "score", "zero_shot", "learned", "suggested", "evidence"]]
        conn.register("new_suggestions", frame)
        conn.execute("INSERT INTO suggestions SELECT * FROM new_suggestions")
        conn.unregister("new_suggestions")
        # Older runs are superseded; keep only their manifests so the history stays small.
        conn.execute("DELETE FROM suggestions WHERE run_id < ?", [run_id])
    return run_id
