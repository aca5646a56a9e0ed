"""Project-wide figures for the overview screen: how much is coded and reviewed, by whom."""

from __future__ import annotations

from coding.store.codings import reviewed_excerpts
from coding.store.connection import ProjectStore


def coding_totals(store: ProjectStore) -> dict[str, int]:
    """Codings in force, excerpts holding at least one, excerpts anyone has a decision in force on (an undone
    decision no longer counts)."""
    codings, coded = store.conn.execute(
        "SELECT (SELECT count(*) FROM codings),"
        " (SELECT count(DISTINCT e.id) FROM excerpts e JOIN codings c ON c.document = e.document"
        "   AND c.start_offset <= e.start_offset AND e.end_offset <= c.end_offset)"
    ).fetchone()
    reviewed: set[str] = set()
    for (coder,) in store.conn.execute("SELECT DISTINCT coder FROM decisions").fetchall():
        reviewed |= reviewed_excerpts(store, coder)
    return {"codings": codings, "coded_excerpts": coded, "reviewed_excerpts": len(reviewed)}


def coder_rows(store: ProjectStore) -> list[dict]:
    """Per coder: excerpts decided on, codings in force, accepted and rejected suggestions, last decision time."""
    rows = store.conn.execute(
        """
        WITH log AS (
            SELECT coder,
                   count(DISTINCT excerpt_id) AS decided,
                   count(*) FILTER (WHERE action = 'code' AND source = 'accepted-suggestion') AS accepted,
                   count(*) FILTER (WHERE action = 'reject') AS rejected,
                   max(decided_at) AS last_at
            FROM decisions WHERE action NOT IN ('undo', 'redo') GROUP BY coder),
        held AS (SELECT coder, count(*) AS codings FROM codings GROUP BY coder)
        SELECT coalesce(log.coder, held.coder), coalesce(decided, 0), coalesce(codings, 0), coalesce(accepted, 0),
               coalesce(rejected, 0), last_at
        FROM log FULL OUTER JOIN held ON held.coder = log.coder
        ORDER BY 1
        """
    ).fetchall()
    keys = ("coder", "decided", "codings", "accepted", "rejected", "last_at")
    result = [dict(zip(keys, row)) for row in rows]
    for row in result:  # excerpts with a decision still in force, so an undo takes one back
        row["decided"] = len(reviewed_excerpts(store, row["coder"]))
    return result


def run_counts(store: ProjectStore) -> dict[str, int | None]:
    """Latest suggestion and theme run ids (None when there is none) and how many themes the latest run found."""
    suggestion_run, theme_run = store.conn.execute(
        "SELECT (SELECT max(id) FROM suggestion_runs), (SELECT max(id) FROM theme_runs)"
    ).fetchone()
    themes = 0
    if theme_run is not None:
        themes = store.conn.execute("SELECT count(*) FROM themes WHERE run_id = ?", [theme_run]).fetchone()[0]
    return {"suggestion_run": suggestion_run, "theme_run": theme_run, "themes": themes}
