from coding.store import codings as coding_store
from coding.store import documents as doc_store
from pipelines.ingest import ingest_paths

from .conftest import INTERVIEW, write_csv
from coding.codings.import_codings import import_codings
from coding.store import codebooks as codebook_store


def _code_quote(store, tmp_path, code, quote):
    path = write_csv(tmp_path, "q.csv", f'document,code,segment\nT1,{code},"{quote}"\n')
    report, _ = import_codings(store, path, "ana", codebook_store.current_codebook(store)[1])
    assert report.imported == 1


def test_reingesting_a_changed_transcript_keeps_codings_on_their_text(coded_project, tmp_path):
    _code_quote(coded_project, tmp_path, "COST", "The budget is tight, so the licenses worry me.")
    changed = INTERVIEW.replace("Interviewer: How is AI", "Interviewer: Thanks for joining.\n\nDr. Rivera: Glad to.\n\n"
                                                        "Interviewer: How is AI")
    (tmp_path / "interviews" / "T1.txt").write_text(changed, encoding="utf-8")
    report = ingest_paths(coded_project, [tmp_path / "interviews"])
    outcome = report.files[0]
    assert (outcome.status, outcome.version, outcome.reanchored, outcome.unplaced) == ("updated", 2, 1, [])
    coding = coding_store.current_codings(coded_project)[0]
    text = doc_store.get_document(coded_project, "T1").text
    assert text[coding.start:coding.end] == "The budget is tight, so the licenses worry me."
    assert coding.turn == 4  # two turns were added before it


def test_codings_whose_text_is_gone_are_listed_and_kept_in_the_log(coded_project, tmp_path):
    _code_quote(coded_project, tmp_path, "COST", "The budget is tight, so the licenses worry me.")
    changed = INTERVIEW.replace("The budget is tight, so the licenses worry me.", "We have money.")
    (tmp_path / "interviews" / "T1.txt").write_text(changed, encoding="utf-8")
    outcome = ingest_paths(coded_project, [tmp_path / "interviews"]).files[0]
    assert [p.coding.code for p in outcome.unplaced] == ["COST"]
    assert coding_store.current_codings(coded_project) == []
    notes = [d.note for d in coding_store.all_decisions(coded_project) if d.note]
    assert any("text not found in version 2: The budget is tight" in n for n in notes)
