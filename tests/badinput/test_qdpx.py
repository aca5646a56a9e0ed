"""Bad or hostile REFI-QDA files through the CLI (`qcode import-qdpx`, `qcode codebook load X.qdc`): one line
naming the file, exit 1, and every table of the project exactly as it was. The library-level cases are in
tests/export/test_qdpx_bad_files.py; these prove the same through the command a researcher runs."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.badinput.conftest import assert_refused
from tests.export.qdpx_files import CODE_CHILD, codebook, project, text_source, users, write_qdpx

SOURCE_MEMBER = "Sources/22222222-2222-2222-2222-222222222222.txt"
GOOD_TEXT = "Interviewer: Any barriers?\nAna Ruiz: The broadband gap, mostly.\n"
LAUGHS = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))


def _good_project() -> str:
    start = GOOD_TEXT.index("broadband")
    return project(users() + codebook() + text_source([(start, start + 13, CODE_CHILD)]))


def _import(run, path: Path):
    return run("import-qdpx", path)


def test_not_a_zip_is_refused(run, tmp_path):
    path = tmp_path / "notes.qdpx"
    path.write_text("just some text", encoding="utf-8")
    errors = assert_refused(_import(run, path), path)
    assert any("zip" in line for line in errors)


def test_xml_external_entity_is_refused_without_reading_the_file(run, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    xxe = (f'<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY secret SYSTEM "file://{secret}">]>\n'
           '<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>')
    path = write_qdpx(tmp_path / "xxe.qdpx", xxe)
    outcome = _import(run, path)
    assert_refused(outcome, path)
    assert "top secret" not in outcome.output


def test_billion_laughs_is_refused(run, tmp_path):
    bomb = f'<?xml version="1.0"?>\n<!DOCTYPE Project [{LAUGHS}]>\n<Project name="&lol9;"/>'
    path = write_qdpx(tmp_path / "laughs.qdpx", bomb)
    assert_refused(_import(run, path), path)


def test_zip_slip_member_is_refused_and_nothing_is_written_outside(run, tmp_path):
    path = write_qdpx(tmp_path / "slip.qdpx", _good_project(), {SOURCE_MEMBER: GOOD_TEXT, "../../x": "owned"})
    errors = assert_refused(_import(run, path), path)
    assert any("../../x" in line for line in errors)
    assert not (tmp_path.parent / "x").exists() and not Path("x").exists()


def test_missing_source_is_refused(run, tmp_path):
    path = write_qdpx(tmp_path / "incomplete.qdpx", _good_project())
    errors = assert_refused(_import(run, path), path)
    assert any("missing" in line for line in errors)


def test_wrong_namespace_is_refused(run, tmp_path):
    path = write_qdpx(tmp_path / "wrong.qdpx", project(users(), namespace="urn:example:not-refi"))
    errors = assert_refused(_import(run, path), path)
    assert any("urn:example:not-refi" in line for line in errors)


def test_zip_without_a_project_inside_is_refused(run, tmp_path):
    path = tmp_path / "empty.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert_refused(_import(run, path), path)


def test_project_xml_that_is_not_well_formed_is_refused(run, tmp_path):
    path = write_qdpx(tmp_path / "broken.qdpx", '<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0"><Us')
    assert_refused(_import(run, path), path)


def test_a_good_file_adds_only_its_document_codes_and_codings(run, tmp_path):
    path = write_qdpx(tmp_path / "good.qdpx", _good_project(), {SOURCE_MEMBER: GOOD_TEXT})
    outcome = _import(run, path)
    assert outcome.exit_code == 0, outcome.output
    for table, before in outcome.before.items():
        assert set(before) <= set(outcome.after[table]) or table in {"codings", "settings"}, table
    assert {"documents", "decisions", "codings"} <= outcome.changed
    assert "the file's codings: 1 codings placed, 0 refused" in outcome.output


def test_codings_that_cannot_be_placed_are_named_and_counted_not_dropped_silently(run, tmp_path):
    start = GOOD_TEXT.index("broadband")
    xml = project(users() + codebook() + text_source([(start, start + 13, CODE_CHILD), (40, 4000, CODE_CHILD),
                                                      (start, start + 9, "77777777-7777-7777-7777-777777777777")]))
    outcome = _import(run, write_qdpx(tmp_path / "partly.qdpx", xml, {SOURCE_MEMBER: GOOD_TEXT}))
    assert outcome.exit_code == 0, outcome.output
    problems = outcome.problem_lines("not imported:")
    assert len(problems) == 2 and all("partly.qdpx" in line and "selection" in line for line in problems)
    assert any("positions 40-4000 outside its text" in line for line in problems)
    assert any("missing from the codebook" in line for line in problems)
    assert ("the file's codings: 1 codings placed, 2 refused (code missing from the codebook: 1; positions outside "
            "the source text: 1)") in outcome.output


def _qdc(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "codebook.qdc"
    path.write_text(text, encoding="utf-8")
    return path


def test_qdc_that_is_not_xml_is_refused(run, tmp_path):
    path = _qdc(tmp_path, "name: this is yaml, not a qdc")
    assert_refused(run("codebook", "load", path), path)


def test_qdc_with_a_wrong_namespace_is_refused_naming_the_namespace(run, tmp_path):
    path = _qdc(tmp_path, '<?xml version="1.0"?>' + codebook(namespace="urn:example:not-refi"))
    errors = assert_refused(run("codebook", "load", path), path)
    assert any("in namespace urn:example:not-refi" in line for line in errors)


def test_qdc_with_a_known_namespace_variant_loads(run, tmp_path):
    path = _qdc(tmp_path, '<?xml version="1.0"?>' + codebook(namespace="urn:QDA-XML:codebook:1:0"))
    outcome = run("codebook", "load", path)
    assert outcome.exit_code == 0, outcome.output
    assert "codebook_versions" in outcome.changed


def test_qdc_billion_laughs_is_refused(run, tmp_path):
    path = _qdc(tmp_path, f'<?xml version="1.0"?>\n<!DOCTYPE CodeBook [{LAUGHS}]>\n'
                          '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="1" name="&lol9;" '
                          'isCodable="true"/></Codes></CodeBook>')
    assert_refused(run("codebook", "load", path), path)
