"""`qcode export` and `qcode import-qdpx` from the command line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl

from tests.cli_helpers import wide_qcode as qcode


def test_export_picks_the_format_from_the_extension_or_the_option(study_db, tmp_path):
    out = tmp_path / "codings.xlsx"
    result = qcode("export", out, "--coder", "ben", "--db", study_db)
    assert result.exit_code == 0 and f"wrote {out}" in result.output
    book = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))
    assert book["Codings"].max_row == 4
    report = tmp_path / "appendix.txt"
    assert qcode("export", "--format", "md", report, "--db", study_db).exit_code == 0
    assert report.read_text(encoding="utf-8").startswith("# Coding report: Tiny study")


def test_export_pseudonymised_quote_bank_with_a_citation_style(study_db, tmp_path):
    names = tmp_path / "names.csv"
    names.write_text("name,pseudonym\nDr. Maria Alvarez,Leader A\n", encoding="utf-8")
    out = tmp_path / "quotes.docx"
    result = qcode("export", out, "--pseudonyms", names, "--citation", "speaker", "--db", study_db)
    assert result.exit_code == 0 and f"pseudonyms from {names}" in result.output
    import docx

    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "— Leader A; R1, turn 2" in texts


def test_export_mistakes_are_clean_and_write_nothing(study_db, tmp_path):
    result = qcode("export", tmp_path / "out.pdf", "--db", study_db)
    assert result.exit_code == 1 and "unknown export format 'pdf'" in result.output
    result = qcode("export", tmp_path / "q.docx", "--citation", "{county}", "--db", study_db)
    assert result.exit_code == 1 and "citation field '{county}'" in result.output
    assert not (tmp_path / "q.docx").exists()


def test_import_qdpx_round_trip_and_bad_file(study_db, tmp_path):
    exported = tmp_path / "study.qdpx"
    assert qcode("export", exported, "--db", study_db).exit_code == 0
    target = tmp_path / "other.duckdb"
    assert qcode("init", "--db", target).exit_code == 0
    result = qcode("import-qdpx", exported, "--json", "--db", target)
    report = json.loads(result.output)
    assert (len(report["documents_added"]), report["codings"], report["coders"]) == (5, 12, ["ana", "ben"])
    bad = tmp_path / "bad.qdpx"
    bad.write_text("not a zip", encoding="utf-8")
    result = qcode("import-qdpx", bad, "--db", target)
    assert result.exit_code == 1
    assert f"error: {bad}: is not a REFI-QDA project" in result.output
