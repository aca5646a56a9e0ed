"""The REFI-QDA project export: schema-valid, with users, codebook, cases and exact character positions."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from coding.codebook import code_guid
from coding.export.formats import ExportOptions, export_bytes
from coding.project_codebook import require_codebook
from coding.store import codings as coding_store
from coding.store.exports import all_documents
from tests.conftest import REFI_QDA

NS = {"q": "urn:QDA-XML:project:1.0"}
XSD = REFI_QDA / "Project-mrt2019.xsd"


def _open(data: bytes) -> tuple[etree._Element, dict[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        texts = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("sources/")}
    return root, texts


@pytest.fixture(scope="module")
def schema():
    if not XSD.exists():
        pytest.skip("../shared/refi-qda/Project-mrt2019.xsd is not present")
    return etree.XMLSchema(etree.parse(str(XSD)))


@pytest.mark.parametrize("pseudonymise", [False, True])
def test_project_validates_against_the_refi_qda_schema(study, schema, pseudonymise):
    root, _ = _open(export_bytes(study, "qdpx", ExportOptions(pseudonymise=pseudonymise)))
    assert schema.validate(root), schema.error_log


def test_every_coding_is_a_selection_whose_positions_select_its_text(study):
    root, texts = _open(export_bytes(study, "qdpx"))
    selections = root.findall(".//q:TextSource/q:PlainTextSelection", NS)
    codings = coding_store.current_codings(study)
    assert len(selections) == len(codings) == 12
    by_key = {(c.document, c.start, c.end, c.code, c.coder): c for c in codings}
    users = {u.get("guid"): u.get("name") for u in root.findall(".//q:User", NS)}
    _, codebook = require_codebook(study)
    code_by_guid = {code_guid(c): c.id for c in codebook.codes}
    for source in root.findall(".//q:TextSource", NS):
        assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
        text = texts[f"sources/{source.get('guid')}.txt"]
        for selection in source.findall("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            coding = selection.find("q:Coding", NS)
            key = (source.get("name"), start, end, code_by_guid[coding.find("q:CodeRef", NS).get("targetGUID")],
                   users[coding.get("creatingUser")])
            assert text[start:end] == by_key[key].text


def test_users_codebook_hierarchy_and_cases_with_variables(study):
    root, texts = _open(export_bytes(study, "qdpx"))
    assert sorted(u.get("name") for u in root.findall(".//q:User", NS)) == ["ana", "ben"]
    top = root.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert [c.get("name") for c in top] == ["Concerns", "Opportunities"]
    assert [c.get("name") for c in top[0].findall("q:Code", NS)] == ["Equity and access", "Cost"]
    # Rules travel in the Description (REFI-QDA has no field for them); parents are not for coding in qcode.
    assert top[0].find("q:Code/q:Description", NS).text == ("Unequal access to AI.\n\nInclude:\n- broadband, devices"
                                                           "\n\nExclude:\n- prices (COST)")
    assert [c.get("isCodable") for c in root.iter("{urn:QDA-XML:project:1.0}Code")] == ["false", "true", "true",
                                                                                       "false", "true"]
    variables = {v.get("guid"): (v.get("name"), v.get("typeOfVariable")) for v in root.findall(".//q:Variable", NS)}
    assert sorted(variables.values()) == [("district_type", "Text"), ("enrollment", "Integer"), ("region", "Text"),
                                          ("role", "Text")]
    case = next(c for c in root.findall(".//q:Case", NS) if c.get("name") == "R1")
    values = {variables[v.find("q:VariableRef", NS).get("targetGUID")][0]: v[1].text
              for v in case.findall("q:VariableValue", NS)}
    assert values == {"district_type": "rural", "role": "Superintendent", "region": "Midwest", "enrollment": "1200"}
    u2 = next(c for c in root.findall(".//q:Case", NS) if c.get("name") == "U2")
    assert len(u2.findall("q:VariableValue", NS)) == 3  # no region: no value rather than an empty one
    source = next(s for s in root.findall(".//q:TextSource", NS) if s.get("name") == "R1")
    assert {variables[v.find("q:VariableRef", NS).get("targetGUID")][0]: v[1].text
            for v in source.findall("q:VariableValue", NS)} == values  # on the source too, for QualCoder
    assert len(texts) == 5 and all(t.startswith("Interview ") for t in texts.values())


def test_pseudonymised_positions_select_the_pseudonymised_quote(study):
    root, texts = _open(export_bytes(study, "qdpx", ExportOptions(pseudonymise=True)))
    source = next(s for s in root.findall(".//q:TextSource", NS) if s.get("name") == "U2")
    text = texts[f"sources/{source.get('guid')}.txt"]
    assert "Alvarez" not in text and "Chris Park" not in text
    selected = {text[int(s.get("startPosition")):int(s.get("endPosition"))]
                for s in source.findall("q:PlainTextSelection", NS)}
    assert "Some neighbourhoods still have no laptops. Like Respondent 1 said, access matters." in selected


def test_codebook_alone_exports_as_qdc(study):
    root = etree.fromstring(export_bytes(study, "qdc"))
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    assert len(root.findall(".//{urn:QDA-XML:codebook:1.0}Code")) == 5


def _qualcoder_file_attributes(root: etree._Element) -> dict[str, dict[str, str]]:
    """File attributes as QualCoder's REFI-QDA importer reads them (ccbogel/QualCoder, src/qualcoder/refi.py,
    class RefiImport), rule for rule:
    - `parse_case_for_file_variables`: a Case holds file variables only when it has no name attribute and exactly
      one SourceRef ("Variables for files stored in Case have one SourceRef and no Case name"); named Cases become
      QualCoder cases, not file attributes;
    - `load_text_source` -> `parse_variable_value`: every VariableValue inside a TextSource is a file attribute,
      named through its VariableRef's targetGUID among the project's Variables, valued by the text of its
      IntegerValue, TextValue, DateValue, FloatValue, DateTimeValue or BooleanValue (stripped)."""
    variables = {v.get("guid"): v.get("name") for v in root.iterfind(".//q:Variables/q:Variable", NS)}
    value_tags = {f"{{{NS['q']}}}{kind}Value" for kind in ("Integer", "Text", "Date", "Float", "DateTime", "Boolean")}

    def values(holder: etree._Element) -> dict[str, str]:
        found = {}
        for value in holder.iterfind("q:VariableValue", NS):
            name = variables.get(value.find("q:VariableRef", NS).get("targetGUID"))
            typed = [child for child in value if child.tag in value_tags and child.text is not None]
            if name and typed:
                found[name] = typed[-1].text.strip()
        return found

    sources = {s.get("guid"): s.get("name") for s in root.iterfind(".//q:Sources/q:TextSource", NS)}
    attributes: dict[str, dict[str, str]] = {name: {} for name in sources.values()}
    for case in root.iterfind(".//q:Cases/q:Case", NS):
        refs = case.findall("q:SourceRef", NS)
        if case.get("name") is None and len(refs) == 1:
            attributes[sources[refs[0].get("targetGUID")]].update(values(case))
    for source in root.iterfind(".//q:Sources/q:TextSource", NS):
        attributes[source.get("name")].update(values(source))
    return attributes


def test_qualcoder_reads_every_document_attribute_as_a_file_attribute(study):
    root, _ = _open(export_bytes(study, "qdpx"))
    expected = {d.name: {k: str(v) for k, v in d.attributes.items() if v is not None}
                for d in all_documents(study)}
    assert _qualcoder_file_attributes(root) == expected
    assert any(expected.values())
    for source in root.iterfind(".//q:TextSource", NS):  # the named Cases alone would give QualCoder nothing
        for value in source.findall("q:VariableValue", NS):
            source.remove(value)
    assert not any(_qualcoder_file_attributes(root).values())


def test_sources_folder_is_lowercase_and_a_structure_member_rides_along(study):
    with zipfile.ZipFile(io.BytesIO(export_bytes(study, "qdpx"))) as archive:
        names = archive.namelist()
    assert sorted({name.split("/")[0] for name in names if "/" in name}) == ["sources"]
    assert "qcode-structure.json" in names and "project.qde" in names
