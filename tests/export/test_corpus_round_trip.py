"""On corpus-dev (every transcript format, gold codes): analysis figures hold together and a REFI-QDA round trip
brings back every document, turn and coding exactly."""

from __future__ import annotations

import pytest

from coding.analysis import code_frequencies, frequencies_by_attribute, load_analysis
from coding.export.formats import export_bytes
from coding.codings.import_codings import import_codings
from coding.project_codebook import read_codebook_file, save_version
from coding.refi.qdpx_import import import_qdpx
from coding.store import open_project
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from pipelines.ingest import ingest_paths
from tests.conftest import corpus_dev_or_skip


@pytest.mark.corpus
def test_corpus_dev_frequencies_and_qdpx_round_trip(store, tmp_path):
    corpus = corpus_dev_or_skip()
    ingest_paths(store, [corpus / "transcripts"], metadata=corpus / "metadata.csv")
    codebook = read_codebook_file(corpus / "codebook.yaml")  # never load_codebook_file: it would write back
    gold = (corpus / "gold.csv").read_text(encoding="utf-8").splitlines()
    sample = tmp_path / "gold-sample.csv"  # every 5th row: all documents, and quick to record twice
    sample.write_text("\n".join([gold[0], *gold[1::5]]) + "\n", encoding="utf-8")
    report, codebook = import_codings(store, sample, "gold", codebook, create_codes=True)
    save_version(store, codebook)
    assert report.problems == []

    data = load_analysis(store)
    table = code_frequencies(data).set_index("code")
    assert table.at["CONCERNS", "turns"] <= sum(table.at[c.id, "turns"] for c in codebook.children("CONCERNS"))
    long = frequencies_by_attribute(data, "district_type")
    equity = long[long["code"] == "EQUITY"]
    assert equity["n"].sum() == table.at["EQUITY", "documents"]
    assert equity["total"].sum() == 24

    path = tmp_path / "corpus.qdpx"
    path.write_bytes(export_bytes(store, "qdpx"))
    other = open_project(tmp_path / "other.duckdb", create=True)
    save_version(other, codebook)
    result = import_qdpx(other, path)
    assert result.problems == []
    for name in doc_store.document_names(store):
        assert doc_store.get_document(other, name).text == doc_store.get_document(store, name).text, name
    assert ([(t.document, t.number, t.speaker, t.start, t.end) for t in doc_store.all_turns(other)]
            == [(t.document, t.number, t.speaker, t.start, t.end) for t in doc_store.all_turns(store)])
    key = [(c.document, c.start, c.end, c.turn, c.code, c.coder) for c in coding_store.current_codings(store)]
    assert [(c.document, c.start, c.end, c.turn, c.code, c.coder) for c in coding_store.current_codings(other)] == key
    other.close()
