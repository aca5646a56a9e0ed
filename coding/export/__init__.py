"""Exports of a coded project: coded-excerpt tables (CSV, XLSX), a quote bank (DOCX), a methods report (Markdown,
HTML) and REFI-QDA files (.qdpx project, .qdc codebook), each optionally pseudonymised.

Entry point: `coding.export.formats` (`export_bytes(store, fmt, ExportOptions(...))`, `write_export`). The parts:
`rows` (coded-excerpt rows shared by csv/xlsx/docx), `tabular`, `quotebank`, `report`, `pseudonyms`, `citation`.
This package file imports nothing, so `coding.refi` can use `coding.export.pseudonyms` without a cycle.
"""
