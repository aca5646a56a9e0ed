"""The Markdown/HTML methods report: codebook, frequencies, agreement and theme run, with HTML escaping."""

from __future__ import annotations

from coding.codebook import Code
from coding.export.formats import ExportOptions, export_bytes
from coding.models import ThemeRun
from coding.project_codebook import require_codebook, save_version
from coding.store import documents as doc_store
from coding.store.themes import save_theme_run

FAST = {"n_boot": 100}


def test_markdown_report_has_the_methods_appendix_sections(study):
    text = export_bytes(study, "md", ExportOptions(**FAST)).decode("utf-8")
    for heading in ("# Coding report: Tiny study", "## Corpus", "## Units of analysis", "## Codebook",
                    "### CONCERNS/EQUITY: Equity and access", "## Code frequencies", "### Documents by district_type",
                    "## Inter-coder agreement", "## Theme discovery run"):
        assert heading in text.splitlines(), heading
    assert "- Include: broadband, devices" in text
    assert "- Exclude: prices (COST)" in text
    assert "- Coded in 4 excerpts, 4 turns and 3 of 5 (60%) documents" in text
    assert "| CONCERNS/EQUITY | Equity and access | 6 | 4 | 4 | 3 of 5 (60%) |" in text
    assert "| EQUITY | Equity and access | 2 of 3 (67%) | 1 of 2 (50%) |" in text
    assert "### Documents by enrollment" not in text  # one value per document: not a grouping
    assert "No theme run is recorded in this project." in text


def test_agreement_section_appears_with_two_coders_and_not_with_one(study):
    both = export_bytes(study, "md", ExportOptions(**FAST)).decode("utf-8")
    assert "Coders ana, ben over 4 respondent turns of 2 documents coded by all of them." in both
    assert "| code | name | kappa | alpha | alpha_low | alpha_high |" in both
    assert "| EQUITY | Equity and access | 0.5 |" in both
    one = export_bytes(study, "md", ExportOptions(coders=("ana",), **FAST)).decode("utf-8")
    assert "Only one coder's codings are included, so agreement is not computed." in one


def test_theme_run_manifest_is_reported(study):
    save_theme_run(study, ThemeRun(model_id="fake-hash-384", codebook_version=1,
                                   manifest={"seed": 42, "parameters": {"min_cluster_size": 5}}), [], {}, [])
    text = export_bytes(study, "md", ExportOptions(**FAST)).decode("utf-8")
    assert "- Model: fake-hash-384" in text
    assert "- seed: 42" in text
    assert '- parameters: {"min_cluster_size": 5}' in text


def test_html_report_escapes_text_from_transcripts_and_codebook(study):
    _, codebook = require_codebook(study)
    tricky = Code(id="SCRIPT", name="<b>Bold</b> & co", definition="<script>alert('x')</script>")
    save_version(study, codebook.model_copy(update={"codes": (*codebook.codes, tricky)}))
    attributes = doc_store.get_document(study, "R1").attributes
    doc_store.set_attributes(study, "R1", {**attributes, "district_type": "<img src=x onerror=alert(1)>"})
    page = export_bytes(study, "html", ExportOptions(**FAST)).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script>" not in page and "<img" not in page and "<b>Bold" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<h2>Code frequencies</h2>" in page and "<table>" in page
