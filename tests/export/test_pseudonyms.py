"""Pseudonymisation: the same person gets the same pseudonym in text, speaker and attribution, in every format."""

from __future__ import annotations

import csv
import io
import zipfile

import docx
import openpyxl
import pytest

from coding.errors import QcodeError
from coding.export.formats import ExportOptions, export_bytes
from coding.export.pseudonyms import Pseudonymiser, build_pseudonymiser, read_pseudonyms
from coding.store import documents as doc_store

REAL_NAMES = ("Maria", "Alvarez", "Sam Lee", "Pat Quinn", "Jordan", "Chris Park")


def _everything_as_text(study, options: ExportOptions) -> dict[str, str]:
    texts = {"csv": export_bytes(study, "csv", options).decode("utf-8-sig")}
    book = openpyxl.load_workbook(io.BytesIO(export_bytes(study, "xlsx", options)))
    texts["xlsx"] = "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row)
    quote_bank = docx.Document(io.BytesIO(export_bytes(study, "docx", options)))
    texts["docx"] = "\n".join(p.text for p in quote_bank.paragraphs)
    texts["md"] = export_bytes(study, "md", options.model_copy(update={"n_boot": 50})).decode("utf-8")
    with zipfile.ZipFile(io.BytesIO(export_bytes(study, "qdpx", options))) as archive:
        texts["qdpx"] = "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    return texts


def test_automatic_pseudonyms_number_respondents_by_first_appearance(study):
    names = build_pseudonymiser(doc_store.all_turns(study))
    assert [names.speaker(s) for s in ("Dr. Maria Alvarez", "Sam Lee", "Pat Quinn", "Jordan Price",
                                       "Chris Park")] == [f"Respondent {n}" for n in range(1, 6)]
    assert names.speaker("Interviewer") == "Interviewer"  # a generic label is not a name
    assert names.text("Like Maria Alvarez said, and as Alvarez and ALVAREZ know") == (
        "Like Respondent 1 said, and as Respondent 1 and Respondent 1 know")
    assert names.text("The price keeps rising, said Price.") == "The price keeps rising, said Respondent 4."


def test_no_real_name_survives_any_export_and_pseudonyms_agree_across_formats(study):
    texts = _everything_as_text(study, ExportOptions(pseudonymise=True))
    for fmt, text in texts.items():
        for name in REAL_NAMES:
            assert name not in text, (fmt, name)
    rows = list(csv.DictReader(io.StringIO(texts["csv"])))
    assert {r["speaker"] for r in rows if r["document"] == "R1"} == {"Respondent 1"}
    assert "Like Respondent 1 said, access matters." in texts["csv"]
    assert "Like Respondent 1 said, access matters." in texts["docx"]
    assert "Respondent 1: Our rural schools have thin broadband." in texts["qdpx"]


def test_a_pseudonyms_file_maps_names_and_speakers_it_does_not_list_get_numbers(study, tmp_path):
    mapping = tmp_path / "pseudonyms.csv"
    mapping.write_text("name,pseudonym\nDr. Maria Alvarez,Superintendent A\nMaria Alvarez,Superintendent A\n"
                       "Lincoln Middle,School B\n", encoding="utf-8")
    options = ExportOptions(pseudonyms_file=mapping, citation="speaker")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(export_bytes(study, "docx", options))).paragraphs)
    assert "— Superintendent A; R1, turn 2" in text
    assert "Like Superintendent A said, access matters." in text
    assert "— Respondent 1; R2, turn 2" in text  # Sam Lee, the first speaker the file does not name


def test_pseudonyms_csv_beside_the_project_is_used_when_pseudonymising(study):
    (study.path.parent / "pseudonyms.csv").write_text("Sam Lee,Principal B\n", encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(
        export_bytes(study, "csv", ExportOptions(pseudonymise=True)).decode("utf-8-sig"))))
    assert {r["speaker"] for r in rows if r["document"] == "R2"} == {"Principal B"}
    plain = export_bytes(study, "csv").decode("utf-8-sig")
    assert "Sam Lee" in plain  # without --pseudonymise nothing changes


def test_bad_pseudonyms_file_rows_are_reported_with_their_row(tmp_path):
    path = tmp_path / "pseudonyms.csv"
    path.write_text("name,pseudonym\nAna,\n", encoding="utf-8")
    with pytest.raises(QcodeError, match=r"pseudonyms.csv, row 2: each row needs a name and a pseudonym"):
        read_pseudonyms(path)
    path.write_text("Ana,P1\nAna,P2\n", encoding="utf-8")
    with pytest.raises(QcodeError, match=r"row 2: 'Ana' is given two pseudonyms"):
        read_pseudonyms(path)


def test_offsets_follow_the_pseudonymised_text():
    names = Pseudonymiser({"Maria Alvarez": "R1", "Lee": "Respondent 22"})
    text = "Maria Alvarez met Lee. Then Lee left."
    new, offsets = names.text_with_offsets(text)
    assert new == "R1 met Respondent 22. Then Respondent 22 left."
    start, end = text.index("met"), text.index("Then") + 4
    assert new[offsets.start(start):offsets.end(end)] == "met Respondent 22. Then"
    assert new[offsets.start(text.index("Lee")):offsets.end(text.index("Lee") + 2)] == "Respondent 22"
    assert new[offsets.start(0):offsets.end(len(text))] == new
