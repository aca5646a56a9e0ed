"""REFI-QDA codebooks (.qdc, and the CodeBook of a .qdpx): rules and examples travel in the Description, parents that
are not for coding are written isCodable="false", and namespace variants other programs write are read."""

from __future__ import annotations

import pytest
from lxml import etree

from coding.codebook import Code, Codebook, read_qdc, write_qdc
from coding.codebook.refi_codes import description_text, refi_codes_element, split_description
from coding.errors import CodebookError

NS = {"c": "urn:QDA-XML:codebook:1.0"}
BOOK = Codebook(name="Rules", codes=(
    Code(id="BARRIERS", name="Barriers", definition="What gets in the way.\nTwo lines of it."),
    Code(id="NET", name="Network", parent="BARRIERS", include=("slow or missing broadband", "dead zones"),
         exclude=("devices (DEVICES)",), examples=("It drops every afternoon.",),
         counterexamples=("The network is fine,\nmostly.",)),
    Code(id="DEVICES", name="Devices", parent="BARRIERS"),
    Code(id="OTHER", name="Other"),
))


def test_rules_and_examples_survive_a_qdc_round_trip_and_parents_are_not_codable():
    data = write_qdc(BOOK)
    root = etree.fromstring(data)
    assert [(c.get("name"), c.get("isCodable")) for c in root.iterfind(".//c:Code", NS)] == [
        ("Barriers", "false"), ("Network", "true"), ("Devices", "true"), ("Other", "true")]
    network = root.find(".//c:Code[@name='Network']/c:Description", NS).text
    assert network == ("Include:\n- slow or missing broadband\n- dead zones\n\nExclude:\n- devices (DEVICES)\n\n"
                       "Examples:\n- It drops every afternoon.\n\nCounterexamples:\n- The network is fine,\nmostly.")
    back = read_qdc(data, known=BOOK)
    assert back.codes == tuple(c.model_copy(update={"guid": back.code(c.id).guid}) for c in BOOK.codes)


def test_a_description_without_sections_is_all_definition():
    text = "Use for costs.\nInclude the licences: yes, those too."
    assert split_description(text) == {"definition": text}
    assert split_description(description_text(BOOK.code("NET")))["include"] == ("slow or missing broadband",
                                                                                "dead zones")


@pytest.mark.parametrize("namespace", ["urn:QDA-XML:codebook:1:0", "urn:QDA-XML:codebook:0:4",
                                       "urn:QDA-XML:codebook:1.0", None])
def test_known_codebook_namespaces_are_read(namespace):
    declared = f' xmlns="{namespace}"' if namespace else ""
    book = read_qdc(f'<CodeBook{declared}><Codes><Code guid="11111111-1111-1111-1111-111111111111" name="Cost" '
                    f'isCodable="true"/></Codes></CodeBook>'.encode())
    assert [(c.id, c.name) for c in book.codes] == [("COST", "Cost")]


def test_an_unknown_namespace_is_named_in_the_refusal():
    with pytest.raises(CodebookError, match="root element is <CodeBook> in namespace urn:QDA-XML:codebook:2.0"):
        read_qdc(b'<CodeBook xmlns="urn:QDA-XML:codebook:2.0"><Codes/></CodeBook>', source_name="new.qdc")


def test_a_parent_that_carries_codings_stays_codable_in_a_project_export():
    codes = refi_codes_element(BOOK, namespace="urn:QDA-XML:codebook:1.0", coded={"BARRIERS", "NET"})
    assert {c.get("name"): c.get("isCodable") for c in codes.iter("{urn:QDA-XML:codebook:1.0}Code")} == {
        "Barriers": "true", "Network": "true", "Devices": "true", "Other": "true"}
