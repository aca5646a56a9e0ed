"""A cheap stamp of everything a page can show, for data kept across reruns (a prepared export file): when another
program (a qcode command) has written the project since, the stamp differs and the kept data is stale."""

from __future__ import annotations

from coding.store.connection import ProjectStore

_STAMP = """
SELECT (SELECT max(id) FROM decisions), (SELECT count(*) FROM decisions),
       (SELECT count(*) FROM documents), (SELECT max(ingested_at) FROM documents),
       (SELECT sum(version) FROM documents), (SELECT max(version) FROM codebook_versions),
       (SELECT max(id) FROM suggestion_runs), (SELECT max(id) FROM theme_runs), (SELECT max(id) FROM memo_events),
       (SELECT md5(coalesce(string_agg(key || '=' || value, '|' ORDER BY key), '')) FROM project_settings)
"""


def data_version(store: ProjectStore) -> tuple:
    """Changes with every decision (undo and redo included: they are logged), document ingested, codebook version,
    suggestion or theme run, memo change and setting."""
    return tuple(store.conn.execute(_STAMP).fetchone())
