"""A qcode process killed with SIGKILL in the middle of its work leaves a project where every unit of work is
all or nothing: a document with all its turns and excerpts or absent, an import batch wholly present or absent,
codings equal to a replay of the decision log."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from coding.codebook import codebook_from_yaml_text
from coding.decisions import replay
from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.store import open_project
from coding.store.snapshot import table_snapshot
from pipelines.ingest import ingest_paths
from tests.reliability.conftest import CODEBOOK, python, write_interviews

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def _kill_after(child: subprocess.Popen, marker: str, count: int, timeout: float = 60) -> int:
    """Read the child's progress lines until `count` of them start with `marker`, wait a random moment so the kill
    lands somewhere inside the next unit of work, then SIGKILL it. Returns the units it reported done."""
    seen = 0
    deadline = time.monotonic() + timeout
    assert child.stdout is not None
    while seen < count and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        seen += line.startswith(marker)
    assert seen >= count, f"the child stopped early: {child.stderr.read() if child.stderr else ''}"
    time.sleep(random.uniform(0, 0.05))
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return seen


def _assert_codings_equal_replay(store) -> None:
    codings, rejections = replay(coding_store.all_decisions(store))
    stored = {(c.decision_id, c.coder, c.document, c.start, c.end, c.code) for c in coding_store.current_codings(store)}
    replayed = {(c.decision_id, c.coder, c.document, c.start, c.end, c.code) for c in codings.values()}
    assert stored == replayed
    stored_rejections = set(coding_store.current_rejections(store))
    assert stored_rejections == {(r.coder, r.excerpt_id, r.code) for r in rejections.values()}


def _project_with_documents(tmp_path: Path, count: int, respondent_turns: int = 6) -> Path:
    db = tmp_path / "project.duckdb"
    store = open_project(db, create=True)
    try:
        report = ingest_paths(store, [write_interviews(tmp_path / "interviews", count, respondent_turns)[0].parent])
        assert report.ingested_any
        codebook_store.save_codebook(store, codebook_from_yaml_text(CODEBOOK, "codebook.yaml"))
    finally:
        store.close()
    return db


INGEST = """
import sys
from pathlib import Path
from coding.store import open_project
from coding.store import documents as doc_store
from pipelines.ingest import ingest_paths

save = doc_store.save_document
def reporting_save(store, document, *args, **kwargs):
    save(store, document, *args, **kwargs)
    print("saving", document.name, flush=True)  # inside the file's transaction: the commit is still to come
doc_store.save_document = reporting_save
store = open_project(Path(sys.argv[1]), create=True)
ingest_paths(store, [Path(sys.argv[2])])
store.close()
print("finished", flush=True)
"""


def test_killing_an_ingest_leaves_each_document_whole_or_absent(tmp_path):
    folder = tmp_path / "interviews"
    write_interviews(folder, 120)
    reference = _project_with_documents(tmp_path / "reference", 1)
    with open_project(reference) as store:
        expected = (len(doc_store.get_turns(store, "R000")), len(doc_store.get_excerpts(store, "R000")))
    assert expected[0] > 0 and expected[1] > 0
    db = tmp_path / "killed.duckdb"
    _kill_after(python(INGEST, db, folder), "saving", 8)

    with open_project(db) as store:
        names = set(doc_store.document_names(store))
        snapshot = table_snapshot(store)
    assert 7 <= len(names) < 120
    turns = Counter(row[0] for row in snapshot["turns"])
    excerpts = Counter(row[1] for row in snapshot["excerpts"])
    versions = Counter(row[0] for row in snapshot["document_versions"])
    assert set(turns) == names and set(excerpts) == names and set(versions) == names
    for name in names:
        assert (turns[name], excerpts[name], versions[name]) == (*expected, 1), name


IMPORT = """
import sys
from pathlib import Path
from coding.codings.import_codings import import_codings
from coding.project_codebook import require_codebook
from coding.store import open_project

store = open_project(Path(sys.argv[1]))
_, codebook = require_codebook(store)
for round in range(1000):
    with store.transaction():
        report, _ = import_codings(store, Path(sys.argv[2]), f"coder{round}", codebook)
    print("imported", report.batch, report.imported, flush=True)
"""


def test_killing_an_import_leaves_each_batch_wholly_present_or_absent(tmp_path):
    db = _project_with_documents(tmp_path, 30, respondent_turns=4)
    rows = [f"R{n:03d},{turn},{code}" for n in range(30) for turn in (2, 4, 6, 8) for code in ("COST", "PILOTS")]
    csv = tmp_path / "codings.csv"
    csv.write_text("document,turn,code\n" + "\n".join(rows) + "\n", encoding="utf-8")
    _kill_after(python(IMPORT, db, csv), "imported", 3)

    with open_project(db) as store:
        decisions = coding_store.all_decisions(store)
        batches = Counter(d.batch for d in decisions)
        coders = Counter(d.coder for d in decisions)
        assert len(batches) >= 3
        assert set(batches.values()) == {len(rows)}
        assert set(coders.values()) == {len(rows)}
        _assert_codings_equal_replay(store)


REVIEW = """
import sys
from pathlib import Path
from coding.review import accept_suggestion, reject_suggestion
from coding.store import open_project
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from coding.models import Decision, DecisionAction, Span

store = open_project(Path(sys.argv[1]))
excerpts = doc_store.get_excerpts(store)
for n, excerpt in enumerate(excerpts * 20):
    coder = f"coder{n % 3}"
    if n % 4 == 3:
        logged = reject_suggestion(store, coder, excerpt.id, "COST", 0.4)
    elif n % 7 == 6:
        span = Span(document=excerpt.document, start=excerpt.start, end=excerpt.end, turn=excerpt.turn,
                    excerpt_id=excerpt.id)
        logged = coding_store.record(store, [Decision(coder=coder, action=DecisionAction.recode, span=span,
                                                      from_code="COST", code="PILOTS")])
    elif n % 11 == 10:
        logged = coding_store.undo_last(store, coder)
    else:
        logged = accept_suggestion(store, coder, excerpt.id, "COST" if n % 2 else "PILOTS", 0.9)
    if logged:  # a decision that would change nothing is not logged (coding.review)
        print("decided", n, flush=True)
"""


def test_killing_a_run_of_review_decisions_keeps_codings_equal_to_the_replayed_log(tmp_path):
    db = _project_with_documents(tmp_path, 5)
    _kill_after(python(REVIEW, db), "decided", 60)

    with open_project(db) as store:
        assert len(coding_store.all_decisions(store)) >= 60
        _assert_codings_equal_replay(store)
