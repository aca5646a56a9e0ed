"""Theme runs with their manifest, themes and member excerpts."""

from __future__ import annotations

import json
from datetime import datetime

import numpy as np

from coding.models import CodeScore, Theme, ThemeGroup, ThemeMember, ThemeMention, ThemeRun
from coding.store.connection import ProjectStore


def save_theme_run(
    store: ProjectStore, run: ThemeRun, themes: list[Theme], centroids: dict[int, np.ndarray],
    members: list[ThemeMember], groups: list[ThemeGroup] = (), mentions: list[ThemeMention] = (),
) -> int:
    with store.transaction() as conn:
        run_id = conn.execute(
            "INSERT INTO theme_runs (created_at, model_id, codebook_version, manifest) VALUES (?, ?, ?, ?)"
            " RETURNING id",
            [run.created_at or datetime.now(), run.model_id, run.codebook_version, json.dumps(run.manifest)],
        ).fetchone()[0]
        if themes:
            conn.executemany(
                "INSERT INTO themes (run_id, theme, label, custom_label, keywords, size, documents, speakers, status,"
                " codes, centroid, parent, explanation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [[run_id, t.theme, t.label, t.custom_label, json.dumps(t.keywords), t.size, t.documents, t.speakers,
                  t.status, json.dumps([c.model_dump() for c in t.codes]),
                  np.asarray(centroids[t.theme], dtype="<f4").tobytes(), t.parent,
                  None if t.explanation is None else json.dumps(t.explanation)] for t in themes],
            )
        if groups:
            conn.executemany(
                "INSERT INTO theme_groups VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [[run_id, g.theme_group, g.label, json.dumps(g.keywords), g.size, g.turns, g.status,
                  json.dumps(g.explanation)] for g in groups],
            )
        if members:
            conn.executemany(
                "INSERT INTO theme_members VALUES (?, ?, ?, ?, ?, ?, ?)",
                [[run_id, m.excerpt_id, m.theme, m.probability, m.representative_rank, m.nearest_theme,
                  m.similarity] for m in members],
            )
        if mentions:
            conn.executemany(
                "INSERT INTO theme_mentions (run_id, theme, excerpt_id, score) VALUES (?, ?, ?, ?)",
                [[run_id, m.theme, m.excerpt_id, m.score] for m in mentions],
            )
    return run_id


def theme_runs(store: ProjectStore) -> list[ThemeRun]:
    rows = store.conn.execute(
        "SELECT id, created_at, model_id, codebook_version, manifest FROM theme_runs ORDER BY id"
    ).fetchall()
    return [ThemeRun(id=r[0], created_at=r[1], model_id=r[2], codebook_version=r[3], manifest=json.loads(r[4]))
            for r in rows]


def latest_theme_run(store: ProjectStore) -> ThemeRun | None:
    runs = theme_runs(store)
    return runs[-1] if runs else None


def themes_of_run(store: ProjectStore, run_id: int) -> list[Theme]:
    rows = store.conn.execute(
        "SELECT run_id, theme, label, custom_label, keywords, size, documents, speakers, status, codes, parent,"
        " explanation FROM themes WHERE run_id = ? ORDER BY theme",
        [run_id],
    ).fetchall()
    return [
        Theme(run_id=r[0], theme=r[1], label=r[2], custom_label=r[3], keywords=json.loads(r[4]), size=r[5],
              documents=r[6], speakers=r[7], status=r[8], codes=[CodeScore(**c) for c in json.loads(r[9])],
              parent=r[10], explanation=None if r[11] is None else json.loads(r[11]))
        for r in rows
    ]


def groups_of_run(store: ProjectStore, run_id: int) -> list[ThemeGroup]:
    """The run's top-level themes with their sub-theme ids (empty for runs made before groups existed)."""
    children: dict[int, list[int]] = {}
    for parent, theme in store.conn.execute(
            "SELECT parent, theme FROM themes WHERE run_id = ? AND parent IS NOT NULL ORDER BY theme",
            [run_id]).fetchall():
        children.setdefault(parent, []).append(theme)
    rows = store.conn.execute(
        "SELECT run_id, theme_group, label, keywords, size, turns, status, explanation FROM theme_groups"
        " WHERE run_id = ? ORDER BY theme_group", [run_id]).fetchall()
    return [ThemeGroup(run_id=r[0], theme_group=r[1], label=r[2], keywords=json.loads(r[3]), size=r[4], turns=r[5],
                       status=r[6], explanation=json.loads(r[7]), themes=children.get(r[1], [])) for r in rows]


def theme_centroids(store: ProjectStore, run_id: int) -> dict[int, np.ndarray]:
    rows = store.conn.execute("SELECT theme, centroid FROM themes WHERE run_id = ?", [run_id]).fetchall()
    return {theme: np.frombuffer(blob, dtype="<f4") for theme, blob in rows}


def _rows_of_run(store: ProjectStore, select: str, run_id: int, theme: int | None, order: str) -> list[tuple]:
    """`select` (aliasing its table as m, joined to excerpts as e) for one run, optionally one theme, in `order`."""
    params: list = [run_id]
    sql = f"{select} WHERE m.run_id = ?"
    if theme is not None:
        sql += " AND m.theme = ?"
        params.append(theme)
    return store.conn.execute(f"{sql} ORDER BY {order}", params).fetchall()


def members_of_run(store: ProjectStore, run_id: int, theme: int | None = None) -> list[ThemeMember]:
    rows = _rows_of_run(
        store, "SELECT m.excerpt_id, m.theme, m.probability, m.representative_rank, m.nearest_theme, m.similarity,"
        " e.document, e.turn, e.text FROM theme_members m LEFT JOIN excerpts e ON e.id = m.excerpt_id", run_id, theme,
        "m.theme, coalesce(m.representative_rank, 1000000), e.document, e.turn, e.idx")
    return [ThemeMember(excerpt_id=r[0], theme=r[1], probability=r[2], representative_rank=r[3], nearest_theme=r[4],
                        similarity=r[5], document=r[6], turn=r[7], text=r[8]) for r in rows]


def mentions_of_run(store: ProjectStore, run_id: int, theme: int | None = None) -> list[ThemeMention]:
    """Where each theme also comes up, strongest first, then in transcript order."""
    rows = _rows_of_run(
        store, "SELECT m.excerpt_id, m.theme, m.score, e.document, e.turn, e.text FROM theme_mentions m"
        " LEFT JOIN excerpts e ON e.id = m.excerpt_id", run_id, theme,
        "m.theme, m.score DESC, e.document, e.turn, e.idx")
    return [ThemeMention(excerpt_id=r[0], theme=r[1], score=r[2], document=r[3], turn=r[4], text=r[5]) for r in rows]


def rename_theme(store: ProjectStore, run_id: int, theme: int, label: str | None) -> None:
    with store.transaction() as conn:
        conn.execute("UPDATE themes SET custom_label = ? WHERE run_id = ? AND theme = ?", [label, run_id, theme])


def assign_outliers(store: ProjectStore, run_id: int, min_similarity: float) -> int:
    """Move unthemed excerpts into their nearest theme when close enough; returns how many moved."""
    with store.transaction() as conn:
        moved = conn.execute(
            "SELECT count(*) FROM theme_members WHERE run_id = ? AND theme = -1 AND similarity >= ?",
            [run_id, min_similarity],
        ).fetchone()[0]
        conn.execute(
            "UPDATE theme_members SET theme = nearest_theme WHERE run_id = ? AND theme = -1 AND similarity >= ?",
            [run_id, min_similarity],
        )
        conn.execute(
            "UPDATE themes SET size = (SELECT count(*) FROM theme_members m WHERE m.run_id = themes.run_id"
            " AND m.theme = themes.theme) WHERE run_id = ?",
            [run_id],
        )
        # an excerpt swept into a theme it was a mention of is now one of its members, not a mention
        conn.execute(
            "DELETE FROM theme_mentions WHERE run_id = ? AND EXISTS (SELECT 1 FROM theme_members m"
            " WHERE m.run_id = theme_mentions.run_id AND m.excerpt_id = theme_mentions.excerpt_id"
            " AND m.theme = theme_mentions.theme)",
            [run_id],
        )
    return moved
