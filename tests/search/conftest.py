"""Two small interviews with attributes, curly quotes and accents, ingested with the real library."""

from __future__ import annotations

import pytest

from coding.codebook import codebook_from_yaml_text
from coding.store import codebooks as codebook_store
from pipelines.ingest import ingest_paths

RURAL = """Interview R1

Interviewer: How is the budget this year?

Dr. Rivera: The Budget is tight. We don’t have money for licenses.
Honestly the “AI detectors” don't work, and the budget
committee knows it.

Interviewer: And the teachers?

Dr. Rivera: Our teachers are naïve about privacy. Andrés runs the pilot.
"""

URBAN = """Interview U1

Interviewer: Tell me about your budget.

Ms. Okafor: The BUDGET grew. Teachers use it for lesson plans every week.

Interviewer: Anything else?

Ms. Okafor: Privacy is the board's first question. ANDRÉS from the state called.
"""

METADATA = "document,district_type,enrollment\nR1,rural,1183\nU1,urban,61380\n"

CODEBOOK = """name: Search codebook
version: 1
codes:
  - id: COST
    name: Cost
    definition: Money, budgets and licenses.
  - id: PRIVACY
    name: Privacy
    definition: Data privacy.
"""


@pytest.fixture
def search_project(store, tmp_path):
    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "R1.txt").write_text(RURAL, encoding="utf-8")
    (folder / "U1.txt").write_text(URBAN, encoding="utf-8")
    metadata = tmp_path / "metadata.csv"
    metadata.write_text(METADATA, encoding="utf-8")
    report = ingest_paths(store, [folder], metadata=metadata)
    assert report.ingested_any
    codebook_store.save_codebook(store, codebook_from_yaml_text(CODEBOOK, "search.yaml"))
    return store
