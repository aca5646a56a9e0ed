"""The 24 development interviews in ../shared/corpus-dev ingest completely and agree with the gold turn numbers."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from coding.models import SpeakerRole
from coding.store import ProjectStore, open_project
from coding.store import documents as doc_store
from pipelines.ingest import IngestReport, ingest_paths

CORPUS = Path(__file__).parents[2] / ".." / "shared" / "corpus-dev"

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus-dev is not available"),
]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ProjectStore, IngestReport]]:
    store = open_project(tmp_path_factory.mktemp("corpus") / "corpus.duckdb", create=True)
    try:
        report = ingest_paths(store, [CORPUS / "transcripts"], metadata=CORPUS / "metadata.csv")
        yield store, report
    finally:
        store.close()


def test_all_24_documents_are_ingested_without_problems(ingested) -> None:
    store, report = ingested
    assert report.all_problems == []
    assert [f.status for f in report.files] == ["added"] * 24
    assert doc_store.document_names(store) == [f"D{n:02d}" for n in range(1, 25)]


def test_the_only_metadata_warning_is_the_missing_d12_row(ingested) -> None:
    _, report = ingested
    assert [str(w) for w in report.warnings] == ["document D12 has no row in the metadata file"]


def test_every_gold_row_points_at_an_existing_respondent_turn(ingested) -> None:
    store, _ = ingested
    roles = {(t.document, t.number): t.role for t in doc_store.all_turns(store)}
    with (CORPUS / "gold.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    wrong = [(r["document"], r["turn"], r["code"]) for r in rows
             if roles.get((r["document"], int(r["turn"]))) != SpeakerRole.respondent]
    assert wrong == []


def test_d12_attributes_come_from_its_front_matter_with_int_enrollment(ingested) -> None:
    store, _ = ingested
    attributes = doc_store.get_document(store, "D12").attributes
    assert attributes["enrollment"] == 2145 and isinstance(attributes["enrollment"], int)
    assert attributes["district_type"] == "rural"
    assert attributes["ai_stage"] == "piloting"


def test_enrollment_from_the_csv_is_an_int_for_every_document(ingested) -> None:
    store, _ = ingested
    for name, attributes in doc_store.document_attributes(store).items():
        assert type(attributes["enrollment"]) is int, name
        assert type(attributes["frl_pct"]) is int, name


def test_every_document_has_interviewer_and_respondent_turns_and_consistent_offsets(
    ingested, assert_offsets_consistent
) -> None:
    store, _ = ingested
    for name in doc_store.document_names(store):
        document = doc_store.get_document(store, name)
        turns = doc_store.get_turns(store, name)
        assert {t.role for t in turns} == {SpeakerRole.interviewer, SpeakerRole.respondent}, name
        assert_offsets_consistent(document, turns, doc_store.get_excerpts(store, name))


def test_caption_documents_keep_turn_times(ingested) -> None:
    store, _ = ingested
    for name in ["D14", "D18", "D20"]:
        turns = doc_store.get_turns(store, name)
        assert all(t.start_time is not None and t.end_time >= t.start_time for t in turns), name
