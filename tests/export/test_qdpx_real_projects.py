"""Projects NVivo for Windows 12.6 exported (../shared/refi-qda/real/): comment threads, not interviews, with emoji
and positions in UTF-16 code units. Every coding must be kept, on the text NVivo meant: checked here by reading each
selection independently of qcode's reader, in UTF-16 units of the source file."""

from __future__ import annotations

import zipfile
from collections import defaultdict

import pytest
from lxml import etree

from coding.refi.qdpx_import import import_qdpx
from coding.store import open_project
from coding.store import codings as coding_store
from coding.store import documents as doc_store
from tests.conftest import REFI_QDA

REAL = REFI_QDA / "real"
NS = {"q": "urn:QDA-XML:project:1.0"}
MIN_SHARE = 0.95


def _meant_by_nvivo(path) -> dict[str, tuple[str, int]]:
    """selection GUID -> (the text it selects read in UTF-16 units, how many codings it carries)."""
    meant = {}
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        for source in root.iterfind(".//q:TextSource", NS):
            member = "Sources/" + source.get("plainTextPath").removeprefix("internal://")
            units = archive.read(member).decode("utf-8-sig").encode("utf-16-le")
            for selection in source.iterfind("q:PlainTextSelection", NS):
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
                meant[selection.get("guid")] = (units[2 * start:2 * end].decode("utf-16-le"),
                                                len(selection.findall("q:Coding", NS)))
    return meant


def _squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize("name", ["nvivo-win-12.6-oltas0517.qdpx", "nvivo-win-12.6-oltas.qdpx"])
def test_nvivo_projects_keep_their_codings_on_the_text_nvivo_meant(tmp_path, name):
    path = REAL / name
    if not path.exists():
        pytest.skip(f"../shared/refi-qda/real/{name} is not present")
    store = open_project(tmp_path / "nvivo.duckdb", create=True)
    report = import_qdpx(store, path)
    meant = _meant_by_nvivo(path)
    total = sum(count for _, count in meant.values())
    assert report.placed + sum(report.refused.values()) == total  # every coding is placed or counted as refused
    assert report.placed >= MIN_SHARE * total
    assert set(report.position_units.values()) == {"UTF-16 code units"}
    assert report.converted == report.placed
    assert report.summary().startswith(f"{report.placed} codings placed ({report.converted} converted")

    texts = {name: doc_store.get_document(store, name).text for name in doc_store.document_names(store)}
    spans: dict[str, set[tuple]] = defaultdict(set)
    for decision in coding_store.all_decisions(store):
        guid = decision.note.rsplit(": ", 1)[1]
        spans[guid].add((decision.span.document, decision.span.start, decision.span.end))
    right = 0
    for guid, (text, count) in meant.items():
        placed = "".join(texts[d][s:e] for d, s, e in sorted(spans.get(guid, ())))
        if placed and _squeezed(placed) == _squeezed(text):
            right += count
    assert right >= MIN_SHARE * report.placed
    # Not a dialogue: no video title ("Koronavírus: ...") became a speaker, and no text became a title.
    assert {t.speaker for t in doc_store.all_turns(store)} == {"Unknown"}
    assert all(doc_store.get_document(store, name).title is None for name in texts)
    store.close()


def test_importing_an_nvivo_project_again_matches_its_documents_and_adds_no_coding(tmp_path):
    path = REAL / "nvivo-win-12.6-oltas.qdpx"
    if not path.exists():
        pytest.skip("../shared/refi-qda/real/nvivo-win-12.6-oltas.qdpx is not present")
    store = open_project(tmp_path / "nvivo.duckdb", create=True)
    import_qdpx(store, path)
    before = {(c.document, c.start, c.end, c.turn, c.code, c.coder) for c in coding_store.current_codings(store)}
    again = import_qdpx(store, path)
    assert (again.documents_added, again.documents_matched) == ([], ["videos_selection"])
    assert (again.placed, again.refused) == (97, {})
    assert {(c.document, c.start, c.end, c.turn, c.code, c.coder)
            for c in coding_store.current_codings(store)} == before
    store.close()
