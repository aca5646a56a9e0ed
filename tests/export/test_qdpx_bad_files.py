"""Bad or hostile .qdpx files: each is a clean QcodeError naming the file, and the project is left as it was."""

from __future__ import annotations

import zipfile

import pytest

from coding.errors import QcodeError
from coding.refi import qdpx_import
from coding.refi.qdpx_import import import_qdpx
from tests.export.qdpx_files import CODE_CHILD, codebook, project, snapshot, text_source, users, write_qdpx

SOURCE_MEMBER = "Sources/22222222-2222-2222-2222-222222222222.txt"
GOOD_TEXT = "Interviewer: Any barriers?\nAna Ruiz: The broadband gap, mostly.\n"


def _good_project() -> str:
    start = GOOD_TEXT.index("broadband")
    return project(users() + codebook() + text_source([(start, start + 13, CODE_CHILD)]))


def _refused(store, path, match: str, **kwargs) -> QcodeError:
    before = snapshot(store)
    with pytest.raises(QcodeError, match=match) as caught:
        import_qdpx(store, path, **kwargs)
    assert str(path) in str(caught.value)
    assert snapshot(store) == before
    return caught.value


def test_a_file_that_is_not_a_zip(study, tmp_path):
    path = tmp_path / "notes.qdpx"
    path.write_text("just some text", encoding="utf-8")
    _refused(study, path, "a .qdpx file is a zip archive and this is not one")


def test_external_entities_are_refused(study, tmp_path):
    xxe = ('<?xml version="1.0"?>\n<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
           '<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>')
    _refused(study, write_qdpx(tmp_path / "xxe.qdpx", xxe), "DOCTYPE")


def test_billion_laughs_is_refused(study, tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    bomb = f'<?xml version="1.0"?>\n<!DOCTYPE Project [{entities}]>\n<Project name="&lol9;"/>'
    _refused(study, write_qdpx(tmp_path / "laughs.qdpx", bomb), "DOCTYPE")


@pytest.mark.parametrize("member", ["../../x", "Sources/../../etc/cron.d/x", "/etc/passwd", "C:\\Windows\\x.txt"])
def test_members_escaping_the_archive_are_refused(study, tmp_path, member):
    path = write_qdpx(tmp_path / "slip.qdpx", _good_project(), {SOURCE_MEMBER: GOOD_TEXT, member: "owned"})
    error = _refused(study, path, "qcode refuses such archives")
    assert member in str(error)
    assert not (tmp_path.parent / "x").exists()


def test_a_missing_source_file(study, tmp_path):
    path = write_qdpx(tmp_path / "incomplete.qdpx", _good_project())
    _refused(study, path, r"source 'Field notes 1.txt': its text sources/.*\.txt is missing from the archive")


def test_a_source_outside_the_archive(study, tmp_path):
    xml = project(users() + codebook() + text_source([], path="relative:///home/me/notes.txt"))
    _refused(study, write_qdpx(tmp_path / "outside.qdpx", xml), "refers to a file outside the archive")


def test_a_wrong_namespace(study, tmp_path):
    xml = project(users(), namespace="urn:example:not-refi")
    _refused(study, write_qdpx(tmp_path / "wrong.qdpx", xml), r"root element is <\{urn:example:not-refi\}Project>")


def test_no_project_file_inside(study, tmp_path):
    path = tmp_path / "empty.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    _refused(study, path, "has no project.qde inside")


def test_a_zip_bomb_is_refused_before_it_is_inflated(study, tmp_path):
    path = write_qdpx(tmp_path / "bomb.qdpx", _good_project(), {SOURCE_MEMBER: b"\0" * 2_000_000})
    _refused(study, path, "would decompress to more than 1,000,000 bytes", max_total_bytes=1_000_000)


def test_malformed_positions_are_reported_with_the_selection(study, tmp_path):
    xml = _good_project().replace('startPosition="', 'startPosition="x')
    path = write_qdpx(tmp_path / "positions.qdpx", xml, {SOURCE_MEMBER: GOOD_TEXT})
    _refused(study, path, "startPosition that is not a whole number")


def test_a_failure_while_writing_rolls_the_whole_import_back(study, tmp_path, monkeypatch):
    path = write_qdpx(tmp_path / "good.qdpx", _good_project(), {SOURCE_MEMBER: GOOD_TEXT})

    def failing_record(store, decisions):
        raise QcodeError(f"{path}: simulated failure after the documents were written")

    monkeypatch.setattr(qdpx_import.coding_store, "record", failing_record)
    _refused(study, path, "simulated failure")


def test_the_same_good_file_imports(study, tmp_path):
    path = write_qdpx(tmp_path / "good.qdpx", _good_project(), {SOURCE_MEMBER: GOOD_TEXT})
    report = import_qdpx(study, path)
    assert (report.documents_added, report.codings, report.codes_added) == (["Field notes 1"], 1,
                                                                           ["BARRIERS", "BROADBAND"])
