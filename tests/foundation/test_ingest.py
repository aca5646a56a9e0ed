"""The ingest flow: files -> turns -> stored text -> excerpts -> project, file by file, one transaction each."""

from __future__ import annotations

import codecs
from pathlib import Path

import docx
import pytest

from coding.models import SegmenterSettings, SpeakerRole
from coding.store import ProjectStore
from coding.store import documents as doc_store
from coding.store.settings import get_setting
from pipelines.ingest import ingest_paths

VTT = (
    "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nInterviewer: How did the pilot start?\n\n"
    "2\n00:00:03.500 --> 00:00:06.000\nNadia Haddad: Teachers asked for it. We said yes.\n\n"
    "3\n00:00:06.000 --> 00:00:09.000\nNadia Haddad: Then the board wanted data.\n"
)


def _count(store: ProjectStore, table: str, document: str) -> int:
    column = "name" if table in ("documents", "document_versions") else "document"
    return store.conn.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", [document]).fetchone()[0]


def _status(report) -> dict[str, str]:
    return {f.path.name: f.status for f in report.files}


@pytest.fixture
def interviews(tmp_path: Path, write, two_respondents_txt, label_on_own_line_txt, timestamped_txt) -> Path:
    folder = tmp_path / "interviews"
    write("D03.txt", two_respondents_txt, folder)
    write("D05.txt", label_on_own_line_txt, folder)
    write("D08.txt", timestamped_txt, folder)
    write("D12.md", "---\nregion: West\nenrollment: 2145\n---\n# D12\n\nI: Hello?\n\nGloria: Hi. We are small.\n",
          folder)
    write("D14.vtt", VTT, folder)
    document = docx.Document()
    document.add_heading("Interview D21", level=1)
    document.add_paragraph().add_run("Q: Tell me more?")
    paragraph = document.add_paragraph()
    paragraph.add_run("SUPERINTENDENT KOWALCZYK:").bold = True
    paragraph.add_run(" Depends who you ask. Our board is nervous.")
    document.add_paragraph("Some principals banned it.")
    document.save(folder / "D21.docx")
    write("README.txt", "How these files were collected.\n", folder)
    write(".D03.txt.swp", "Interviewer: junk\n", folder)
    write("~$D21.docx", b"lock file", folder)
    write("notes.pdf", b"%PDF-1.4", folder)
    return folder


def test_a_folder_ingests_every_supported_transcript_and_skips_readme_hidden_and_lock_files(
    store: ProjectStore, interviews: Path
) -> None:
    report = ingest_paths(store, [interviews])
    assert _status(report) == {name: "added" for name in
                               ["D03.txt", "D05.txt", "D08.txt", "D12.md", "D14.vtt", "D21.docx"]}
    assert report.all_problems == []
    assert doc_store.document_names(store) == ["D03", "D05", "D08", "D12", "D14", "D21"]
    assert {f.document: f.version for f in report.files} == dict.fromkeys(doc_store.document_names(store), 1)


def test_every_stored_turn_and_excerpt_is_exactly_its_slice_of_the_stored_text(
    store: ProjectStore, interviews: Path, assert_offsets_consistent
) -> None:
    ingest_paths(store, [interviews])
    for name in doc_store.document_names(store):
        document = doc_store.get_document(store, name)
        turns = doc_store.get_turns(store, name)
        excerpts = doc_store.get_excerpts(store, name)
        assert [t.number for t in turns] == list(range(1, len(turns) + 1))
        assert excerpts, f"{name} has no excerpts"
        assert all(turns[e.turn - 1].role == SpeakerRole.respondent for e in excerpts)
        assert_offsets_consistent(document, turns, excerpts)


def test_stored_documents_keep_format_title_times_and_front_matter(store: ProjectStore, interviews: Path) -> None:
    ingest_paths(store, [interviews])
    assert doc_store.get_document(store, "D21").format == "docx"
    assert doc_store.get_document(store, "D21").title == "Interview D21"
    assert doc_store.get_document(store, "D12").attributes == {"region": "West", "enrollment": 2145}
    vtt_turns = doc_store.get_turns(store, "D14")
    assert [(t.speaker, t.start_time, t.end_time) for t in vtt_turns] == [
        ("Interviewer", 1.0, 3.0), ("Nadia Haddad", 3.5, 9.0),
    ]
    assert doc_store.get_turns(store, "D08")[2].start_time == 197.0


def test_reingesting_the_same_files_changes_nothing(store: ProjectStore, interviews: Path) -> None:
    ingest_paths(store, [interviews])
    before = (doc_store.counts(store), [e.id for e in doc_store.get_excerpts(store)],
              doc_store.get_document(store, "D03").ingested_at)
    report = ingest_paths(store, [interviews])
    assert set(_status(report).values()) == {"unchanged"}
    assert all(f.version == 1 for f in report.files)
    assert report.files[0].turns == len(doc_store.get_turns(store, report.files[0].document))
    after = (doc_store.counts(store), [e.id for e in doc_store.get_excerpts(store)],
             doc_store.get_document(store, "D03").ingested_at)
    assert after == before
    assert _count(store, "document_versions", "D03") == 1


def test_a_changed_file_becomes_version_two_and_keeps_version_one(
    store: ProjectStore, write, two_respondents_txt
) -> None:
    path = write("D03.txt", two_respondents_txt)
    ingest_paths(store, [path])
    path.write_text(two_respondents_txt + "\nDr. Alvarez: One more thing. We start again in May.\n", encoding="utf-8")
    report = ingest_paths(store, [path])
    outcome = report.files[0]
    assert (outcome.status, outcome.version) == ("updated", 2)
    assert doc_store.get_document(store, "D03").version == 2
    turns = doc_store.get_turns(store, "D03")
    assert turns[-1].text == "One more thing. We start again in May."
    assert outcome.turns == len(turns) == 8
    versions = store.conn.execute("SELECT version FROM document_versions WHERE name = 'D03' ORDER BY 1").fetchall()
    assert versions == [(1,), (2,)]
    assert doc_store.get_excerpts(store, "D03")[-1].id == "D03:8:1"


def test_one_bad_file_among_good_ones_is_reported_and_the_good_ones_are_ingested(
    store: ProjectStore, write, tmp_path: Path, two_respondents_txt
) -> None:
    folder = tmp_path / "mixed"
    write("D01.txt", two_respondents_txt, folder)
    write("D02.txt", "", folder)
    write("D03.txt", b"\x00\x01\x02\x03binary", folder)
    write("D04.txt", "Just some notes without any speakers.\n", folder)
    write("D05.vtt", "WEBVTT\n\n1\n00:00:01.000 --> later\nInterviewer: Hi.\n", folder)
    write("D06.md", codecs.BOM_UTF8, folder)
    report = ingest_paths(store, [folder])
    assert _status(report) == {"D01.txt": "added", "D02.txt": "failed", "D03.txt": "failed", "D04.txt": "failed",
                               "D05.vtt": "failed", "D06.md": "failed"}
    assert report.ingested_any
    assert doc_store.document_names(store) == ["D01"]
    by_file = {f.path.name: f.problems for f in report.files}
    for name in ["D02.txt", "D03.txt", "D04.txt", "D05.vtt", "D06.md"]:
        assert len(by_file[name]) == 1
        assert name in str(by_file[name][0])
    assert by_file["D05.vtt"][0].line == 4
    assert "empty" in by_file["D06.md"][0].message


def test_nothing_ingested_when_every_path_is_missing_or_bad(store: ProjectStore, write, tmp_path: Path) -> None:
    bad = write("D01.txt", "no labels at all\n")
    report = ingest_paths(store, [tmp_path / "missing-folder", bad, write("D02.rtf", "{\\rtf1}")])
    assert not report.ingested_any
    messages = [str(p) for p in report.all_problems]
    assert any("missing-folder" in m and "no such file" in m for m in messages)
    assert any("D01.txt" in m and "no speaker labels" in m for m in messages)
    assert any("D02.rtf" in m and "unsupported file type '.rtf'" in m for m in messages)
    assert doc_store.counts(store) == {"documents": 0, "turns": 0, "excerpts": 0}


def test_a_folder_without_transcripts_is_reported(store: ProjectStore, tmp_path: Path, write) -> None:
    write("notes.pdf", b"%PDF", tmp_path / "empty-folder")
    report = ingest_paths(store, [tmp_path / "empty-folder"])
    assert not report.ingested_any
    assert "no transcripts" in str(report.problems[0])


def test_two_files_with_the_same_document_name_in_one_ingest_are_reported(
    store: ProjectStore, write, tmp_path: Path, two_respondents_txt
) -> None:
    folder = tmp_path / "dupes"
    write("D01.md", two_respondents_txt, folder)
    write("D01.txt", two_respondents_txt, folder)
    report = ingest_paths(store, [folder])
    assert _status(report) == {"D01.md": "added", "D01.txt": "failed"}
    problem = report.files[1].problems[0]
    assert "D01.md" in problem.message and "D01" in problem.message
    assert "rename" in problem.hint
    assert doc_store.get_document(store, "D01").format == "md"


def test_metadata_rows_for_unknown_documents_and_documents_without_rows_are_warnings(
    store: ProjectStore, write, tmp_path: Path, two_respondents_txt
) -> None:
    folder = tmp_path / "study"
    for name in ["D01", "D02", "D03"]:
        write(f"{name}.txt", two_respondents_txt, folder)
    metadata = write("attributes.csv", "document,region,enrollment\nD01,West,8784\nD02,South,2536\nD99,East,1\n")
    report = ingest_paths(store, [folder], metadata=metadata)
    assert _status(report) == dict.fromkeys(["D01.txt", "D02.txt", "D03.txt"], "added")
    warnings = [str(w) for w in report.warnings]
    assert warnings == [
        "metadata names document D99, which is not in the project",
        "document D03 has no row in the metadata file",
    ]
    assert report.all_problems == []
    assert doc_store.get_document(store, "D01").attributes == {"region": "West", "enrollment": 8784}
    assert doc_store.get_document(store, "D03").attributes == {}


def test_metadata_csv_inside_the_ingested_folder_is_used_automatically(
    store: ProjectStore, write, tmp_path: Path, two_respondents_txt
) -> None:
    folder = tmp_path / "study"
    write("D01.txt", two_respondents_txt, folder)
    write("metadata.csv", "document,ai_stage\nD01,piloting\n", folder)
    report = ingest_paths(store, [folder])
    assert report.warnings == []
    assert doc_store.get_document(store, "D01").attributes == {"ai_stage": "piloting"}


def test_csv_attributes_override_front_matter_and_front_matter_only_keys_stay(
    store: ProjectStore, write, tmp_path: Path
) -> None:
    path = write("D13.md", "---\nregion: West\nrole: Superintendent\n---\nI: Hi?\n\nAna: Hello.\n")
    metadata = write("m.csv", "document,region,enrollment\nD13,Northeast,8712\n")
    ingest_paths(store, [path], metadata=metadata)
    assert doc_store.get_document(store, "D13").attributes == {
        "region": "Northeast", "role": "Superintendent", "enrollment": 8712,
    }


def test_new_metadata_for_an_unchanged_file_updates_its_attributes_only(
    store: ProjectStore, write, two_respondents_txt
) -> None:
    path = write("D01.txt", two_respondents_txt)
    ingest_paths(store, [path])
    report = ingest_paths(store, [path], metadata=write("m.csv", "document,region\nD01,West\n"))
    assert report.files[0].status == "unchanged"
    document = doc_store.get_document(store, "D01")
    assert (document.version, document.attributes) == (1, {"region": "West"})


def test_an_unusable_metadata_file_is_reported_and_transcripts_are_still_ingested(
    store: ProjectStore, write, tmp_path: Path, two_respondents_txt
) -> None:
    report = ingest_paths(store, [write("D01.txt", two_respondents_txt)], metadata=tmp_path / "missing.csv")
    assert report.files[0].status == "added"
    assert any("missing.csv" in str(p) for p in report.metadata_problems)


def test_interviewer_names_make_those_speakers_interviewers_now_and_in_later_ingests(
    store: ProjectStore, write
) -> None:
    first = write("D01.txt", "Ana Ruiz: How did it go?\nBen: Fine. We learned a lot.\n")
    ingest_paths(store, [first], interviewers=["Ana Ruiz"])
    assert [t.role for t in doc_store.get_turns(store, "D01")] == [SpeakerRole.interviewer, SpeakerRole.respondent]
    assert get_setting(store, "interviewer_names") == ["Ana Ruiz"]
    second = write("D02.txt", "Ana Ruiz: And then?\nCleo: Then we stopped.\n")
    ingest_paths(store, [second])
    assert [t.role for t in doc_store.get_turns(store, "D02")] == [SpeakerRole.interviewer, SpeakerRole.respondent]
    assert {e.turn for e in doc_store.get_excerpts(store, "D02")} == {2}


def test_include_interviewer_setting_stores_interviewer_excerpts(store: ProjectStore, write) -> None:
    path = write("D01.txt", "Interviewer: How did it go? Tell me.\nBen: Fine.\n")
    ingest_paths(store, [path], settings=SegmenterSettings(include_interviewer=True))
    assert [e.id for e in doc_store.get_excerpts(store, "D01")] == ["D01:1:1", "D01:2:1"]


def test_summaries_count_turns_respondent_turns_excerpts_words_and_speakers_in_order(
    store: ProjectStore, write, two_respondents_txt
) -> None:
    ingest_paths(store, [write("D03.txt", two_respondents_txt)])
    [summary] = doc_store.summaries(store)
    turns = doc_store.get_turns(store, "D03")
    assert summary.turns == 7 and summary.respondent_turns == 4
    assert summary.excerpts == len(doc_store.get_excerpts(store, "D03"))
    assert summary.speakers == ["Interviewer", "Dr. Alvarez", "SUPERINTENDENT HALE"]
    assert summary.words == sum(len(t.text.split()) for t in turns)


def test_a_failure_while_saving_leaves_no_partial_rows_for_a_new_document(
    store: ProjectStore, write, monkeypatch: pytest.MonkeyPatch, two_respondents_txt
) -> None:
    def fail(_text: str) -> str:  # called while the excerpt rows are built, after documents and turns are inserted
        raise RuntimeError("disk full")

    monkeypatch.setattr(doc_store, "text_hash", fail)
    [outcome] = ingest_paths(store, [write("D01.txt", two_respondents_txt)]).files
    assert outcome.status == "failed"
    assert "RuntimeError: disk full" in str(outcome.problems[0]) and "D01.txt" in str(outcome.problems[0])
    for table in ["documents", "document_versions", "turns", "excerpts"]:
        assert _count(store, table, "D01") == 0, table


def test_a_failure_while_saving_a_new_version_keeps_the_old_version_intact(
    store: ProjectStore, write, monkeypatch: pytest.MonkeyPatch, two_respondents_txt
) -> None:
    path = write("D01.txt", two_respondents_txt)
    ingest_paths(store, [path])
    before = (doc_store.get_document(store, "D01"), doc_store.get_turns(store, "D01"),
              doc_store.get_excerpts(store, "D01"))
    path.write_text(two_respondents_txt.replace("twelve", "twenty"), encoding="utf-8")
    monkeypatch.setattr(doc_store, "text_hash", lambda _text: (_ for _ in ()).throw(RuntimeError("disk full")))
    [outcome] = ingest_paths(store, [path]).files
    assert outcome.status == "failed" and "disk full" in str(outcome.problems[0])
    after = (doc_store.get_document(store, "D01"), doc_store.get_turns(store, "D01"),
             doc_store.get_excerpts(store, "D01"))
    assert after == before
    assert _count(store, "document_versions", "D01") == 1
