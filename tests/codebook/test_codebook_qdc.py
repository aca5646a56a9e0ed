"""REFI-QDA codebook exchange: round trips, the sample files other tools wrote, and schema conformance."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from coding.codebook import (
    PROJECT_NS,
    Code,
    Codebook,
    codebook_from_refi_codes,
    derived_guid,
    parse_refi_xml,
    read_qdc,
    refi_codes_element,
    save_qdc,
    write_qdc,
)
from coding.errors import CodebookError

REFI_QDA = Path(__file__).resolve().parents[3] / "shared" / "refi-qda"
SAMPLE_QDC = sorted(REFI_QDA.glob("*.qdc")) if REFI_QDA.is_dir() else []
needs_samples = pytest.mark.skipif(not REFI_QDA.is_dir(), reason="../shared/refi-qda is not available")


def outline(codebook: Codebook) -> list[tuple[str, str, str | None, str, str | None]]:
    return [(c.id, c.name, c.parent, c.definition, c.color) for c in codebook.depth_first()]


def test_write_then_read_keeps_ids_names_hierarchy_and_definitions(small_codebook: Codebook) -> None:
    back = read_qdc(write_qdc(small_codebook), known=small_codebook)
    assert outline(back) == outline(small_codebook)
    assert [c.guid for c in back.codes] == [None] * len(back.codes)  # derived GUIDs are not stored
    assert back.name == small_codebook.name


def test_codebook_read_from_qdc_round_trips_without_a_known_codebook() -> None:
    imported = read_qdc(
        b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        b'<Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="Topics" isCodable="false">'
        b'<Description>Parent</Description>'
        b'<Code guid="d7aa29da-519b-4946-9b90-253b6db8fd0a" name="Economy" isCodable="true" color="#ffff00"/>'
        b"</Code></Codes></CodeBook>"
    )
    again = read_qdc(write_qdc(imported))
    assert outline(again) == outline(imported) == [
        ("TOPICS", "Topics", None, "Parent", None),
        ("ECONOMY", "Economy", "TOPICS", "", "#ffff00"),
    ]
    assert [c.guid for c in again.codes] == [c.guid for c in imported.codes]


def test_ids_are_made_from_names_and_deduplicated() -> None:
    codebook = read_qdc(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="00000000-0000-0000-0000-000000000001" name="Health care" isCodable="true"/>'
        '<Code guid="00000000-0000-0000-0000-000000000002" name="health-care" isCodable="true"/>'
        '<Code guid="00000000-0000-0000-0000-000000000003" name="2022 Café" isCodable="true"/>'
        "</Codes></CodeBook>".encode()
    )
    assert codebook.ids() == ["HEALTH_CARE", "HEALTH_CARE_2", "CODE_2022_CAFE"]


def test_exported_guids_are_derived_from_ids_and_stable(small_codebook: Codebook) -> None:
    first, second = write_qdc(small_codebook), write_qdc(small_codebook)
    assert first == second
    root = ET.fromstring(first)
    guids = [code.get("guid") for code in root.iter(f"{{urn:QDA-XML:codebook:1.0}}Code")]
    assert guids[0] == derived_guid("CONCERNS")
    assert len(set(guids)) == len(guids) == len(small_codebook.codes)


def test_imported_guids_are_kept_on_export() -> None:
    guid = "{7c108712-b650-4892-ac0b-fc9a10190c3b}"
    codebook = Codebook(name="x", codes=(Code(id="A", name="a", guid=guid),))
    assert f'guid="{guid}"'.encode() in write_qdc(codebook)


def test_known_codebook_maps_guids_back_to_ids_even_after_renames(small_codebook: Codebook) -> None:
    exported = write_qdc(small_codebook).replace(b'name="Cost"', b'name="Costs and budgets"')
    back = read_qdc(exported, known=small_codebook)
    assert back.code("COST").name == "Costs and budgets"


def test_new_code_from_another_tool_never_takes_a_known_id(small_codebook: Codebook) -> None:
    extra = b'<Code guid="00000000-0000-0000-0000-00000000000a" name="Cost" isCodable="true"/></Codes>'
    back = read_qdc(write_qdc(small_codebook).replace(b"</Codes>", extra), known=small_codebook)
    assert back.code("COST_2").name == "Cost"
    assert back.code("COST").parent == "CONCERNS"


def test_written_codebook_is_valid_refi_qda(small_codebook: Codebook) -> None:
    root = ET.fromstring(write_qdc(small_codebook))
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    ns = "{urn:QDA-XML:codebook:1.0}"
    concerns = root.find(f"{ns}Codes/{ns}Code")
    assert concerns is not None and concerns.get("name") == "Concerns"
    assert [child.tag for child in concerns] == [f"{ns}Code", f"{ns}Code"]  # COST, PRIVACY nested
    cost = concerns.find(f"{ns}Code")
    assert cost is not None and [child.tag for child in cost] == [f"{ns}Description"]
    assert cost.get("isCodable") == "true"


@needs_samples
def test_written_codes_validate_against_the_refi_qda_schema(small_codebook: Codebook) -> None:
    lxml_etree = pytest.importorskip("lxml.etree")
    schema = lxml_etree.XMLSchema(lxml_etree.parse(str(REFI_QDA / "Project-mrt2019.xsd")))
    project = ET.Element("Project", {"xmlns": PROJECT_NS, "name": "check"})
    ET.SubElement(project, "CodeBook").append(refi_codes_element(small_codebook))
    document = lxml_etree.fromstring(ET.tostring(project))
    assert schema.validate(document), schema.error_log


def test_empty_codebook_cannot_be_exported() -> None:
    with pytest.raises(CodebookError, match="no codes"):
        write_qdc(Codebook(name="Empty"))


@needs_samples
@pytest.mark.parametrize("path", SAMPLE_QDC, ids=lambda p: p.name)
def test_each_sample_qdc_reads_into_a_non_empty_codebook(path: Path) -> None:
    codebook = read_qdc(path)
    assert codebook.name == path.stem
    assert codebook.roots() and len(codebook.depth_first()) == len(codebook.codes)
    assert all(c.guid for c in codebook.codes)


@needs_samples
def test_atlas_ti_codebook_in_the_old_namespace_keeps_its_hierarchy() -> None:
    codebook = read_qdc(REFI_QDA / "portableQDA_Atlasti.qdc")
    assert [(c.id, c.parent) for c in codebook.depth_first()] == [
        ("CODE2", None),
        ("CODE1", None),
        ("CODE1_1", "CODE1"),
        ("CODE3", None),
        ("CODE_3_1", "CODE3"),
    ]
    assert codebook.code("CODE_3_1").name == "code:3.1"


@needs_samples
def test_refi_sample_keeps_colours_and_descriptions() -> None:
    codebook = read_qdc(REFI_QDA / "REFI-QDA-1-5.qdc")
    economy = codebook.code("ECONOMY")
    assert (economy.color, economy.definition) == ("#ffff00", "Anything about jobs or taxes or business")
    assert codebook.code("VALUES").guid == "9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520"


@needs_samples
def test_description_attribute_is_read_when_there_is_no_description_element() -> None:
    codebook = read_qdc(REFI_QDA / "doorstop-core-tests-files-exported.qdc")
    assert codebook.code("SYS_REQ003").definition == "Unicode: -40° ±1%"


@needs_samples
def test_project_codes_element_is_read_with_the_shared_helper() -> None:
    with zipfile.ZipFile(REFI_QDA / "ponte-target-atlas-project.qdpx") as archive:
        root = parse_refi_xml(archive.read("project.qde"), "ponte-target-atlas-project.qdpx")
    codes = root.find(f"{{{PROJECT_NS}}}CodeBook/{{{PROJECT_NS}}}Codes")
    codebook = codebook_from_refi_codes(codes, name="target")
    assert [c.id for c in codebook.roots()] == ["COMMITS"]
    assert len(codebook.children("COMMITS")) == 2
    assert codebook.children("COMMITS")[0].name == "2022-05-10T02:05:59Z 19e4dce"


def test_codebook_without_namespace_is_tolerated() -> None:
    codebook = read_qdc(
        b'<CodeBook><Codes><Code guid="x" name="Plain" isCodable="true" color="#abc"/></Codes></CodeBook>'
    )
    plain = codebook.code("PLAIN")
    assert (plain.guid, plain.color) == (None, "#aabbcc")  # invalid GUID dropped; #rgb widened


def test_code_without_name_is_a_codebook_error_naming_the_file() -> None:
    with pytest.raises(CodebookError) as caught:
        read_qdc(
            b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="{5215cc69-b628-4e02-afb9-9beeaee55808}" '
            b'isCodable="true"/></Codes></CodeBook>',
            source_name="mine.qdc",
        )
    assert caught.value.problems[0].path == "mine.qdc"
    assert "has no name" in str(caught.value)


def test_other_xml_is_refused_with_a_hint() -> None:
    with pytest.raises(CodebookError, match="root element is <Project>") as caught:
        read_qdc(b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>', source_name="p.qde")
    assert ".qdpx" in str(caught.value)
    with pytest.raises(CodebookError, match="no <Codes>"):
        read_qdc(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>')


def test_save_and_read_a_qdc_file(tmp_path: Path, small_codebook: Codebook) -> None:
    path = save_qdc(small_codebook, tmp_path / "study.qdc")
    assert outline(read_qdc(path, known=small_codebook)) == outline(small_codebook)
    assert read_qdc(path).name == "study"
    with pytest.raises(CodebookError, match="file not found"):
        read_qdc(tmp_path / "absent.qdc")
