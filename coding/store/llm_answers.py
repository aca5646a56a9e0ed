"""The LLM coder's answers (table `llm_answers`), keyed by model, prompt version and the turn's prompt hash."""

from __future__ import annotations

import json
from datetime import datetime

from coding.llm.models import CodeChoice, TurnAnswer
from coding.models import SuggestionRun
from coding.store.connection import ProjectStore

LLM_SOURCE = "llm"


def save_llm_answers(store: ProjectStore, model: str, prompt_version: str, endpoint_host: str,
                     answers: list[TurnAnswer]) -> None:
    """Insert or replace the answers (a later answer for the same key replaces a failure)."""
    if not answers:
        return
    import pandas as pd

    now = datetime.now()
    frame = pd.DataFrame({
        "model": model, "prompt_version": prompt_version,
        "answer_key": [a.key for a in answers], "document": [a.document for a in answers],
        "turn": [a.turn for a in answers], "status": [a.status for a in answers],
        "codes": [json.dumps([c.model_dump() for c in a.codes]) for a in answers],
        "error": [a.error for a in answers], "endpoint_host": endpoint_host,
        "attempts": [a.attempts for a in answers],
        "seconds": pd.array([a.seconds for a in answers], dtype="Float64"),  # None stays NULL, not NaN
        "answered_at": now,
    })
    with store.transaction() as conn:
        conn.register("new_llm_answers", frame)
        conn.execute("INSERT OR REPLACE INTO llm_answers SELECT * FROM new_llm_answers")
        conn.unregister("new_llm_answers")


def llm_answers(store: ProjectStore, model: str, prompt_version: str, keys: list[str]) -> dict[str, TurnAnswer]:
    """The stored answers among `keys` (ok and failed), by key."""
    rows = store.conn.execute(
        "SELECT a.answer_key, a.document, a.turn, a.status, a.codes, a.error, a.attempts, a.seconds"
        " FROM llm_answers a JOIN (SELECT unnest(?) AS wanted) k ON k.wanted = a.answer_key"
        " WHERE a.model = ? AND a.prompt_version = ?", [keys, model, prompt_version]).fetchall()
    return {r[0]: TurnAnswer(key=r[0], document=r[1], turn=r[2], status=r[3],
                             codes=tuple(CodeChoice(**c) for c in json.loads(r[4])), error=r[5], attempts=r[6],
                             seconds=r[7]) for r in rows}


def mean_answer_seconds(store: ProjectStore, model: str) -> float | None:
    """How long this model took per request so far (None before its first answer)."""
    return store.conn.execute("SELECT avg(seconds) FROM llm_answers WHERE model = ? AND seconds IS NOT NULL",
                              [model]).fetchone()[0]


def latest_llm_run(store: ProjectStore) -> SuggestionRun | None:
    """The latest suggestion run made by the LLM coder (its manifest is kept after newer runs supersede it)."""
    row = store.conn.execute(
        "SELECT id, created_at, model_id, codebook_version, manifest FROM suggestion_runs"
        " WHERE json_extract_string(manifest, '$.source') = ? ORDER BY id DESC LIMIT 1", [LLM_SOURCE]).fetchone()
    if row is None:
        return None
    return SuggestionRun(id=row[0], created_at=row[1], model_id=row[2], codebook_version=row[3],
                         manifest=json.loads(row[4]))
