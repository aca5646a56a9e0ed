"""Notes in a .qdpx written by another program come in as memos on the objects that refer to them."""

from __future__ import annotations

from datetime import datetime, timezone

from coding.memos import actions
from coding.refi.qdpx_import import import_qdpx
from coding.store import codings as coding_store
from tests.export.qdpx_files import CODE_CHILD, CODE_PARENT, SOURCE, USER, project, users, write_qdpx

TEXT = "The school bus has no broadband. Families drive to the library at night."
NOTE = "9999999{}-9999-9999-9999-999999999999"


def _note(n: int, name: str, text: str, when: str = "2024-03-01T09:30:00Z") -> str:
    return (f'<Note guid="{NOTE.format(n)}" name="{name}" creatingUser="{USER}" creationDateTime="{when}">'
            f'<PlainTextContent>{text}</PlainTextContent></Note>')


def _ref(n: int) -> str:
    return f'<NoteRef targetGUID="{NOTE.format(n)}"/>'


def _file(tmp_path):
    codebook = (f'<CodeBook><Codes><Code guid="{CODE_PARENT}" name="Barriers" isCodable="true">'
                f'<Description>What gets in the way.</Description>{_ref(3)}'
                f'<Code guid="{CODE_CHILD}" name="Broadband" isCodable="true"/></Code></Codes></CodeBook>')
    selections = (
        f'<PlainTextSelection guid="55555551-5555-5555-5555-555555555555" startPosition="0" endPosition="32">'
        f'<Coding guid="66666661-6666-6666-6666-666666666666" creatingUser="{USER}">'
        f'<CodeRef targetGUID="{CODE_CHILD}"/>{_ref(4)}</Coding></PlainTextSelection>'
        f'<PlainTextSelection guid="55555552-5555-5555-5555-555555555555" startPosition="900" endPosition="910">'
        f'<Coding guid="66666662-6666-6666-6666-666666666666" creatingUser="{USER}">'
        f'<CodeRef targetGUID="{CODE_CHILD}"/></Coding>{_ref(5)}</PlainTextSelection>')
    sources = (f'<Sources><TextSource guid="{SOURCE}" name="Field notes 1.txt" plainTextPath="internal://{SOURCE}.txt">'
               f'{selections}{_ref(2)}</TextSource></Sources>')
    notes = ("<Notes>" + _note(1, "Project memo", "About the study.") + _note(2, "Source memo", "Noisy room.")
             + _note(3, "Code memo", "Barriers &amp; costs.") + _note(4, "Coding memo", "Bus route 4.")
             + _note(5, "Lost coding memo", "Its coding is outside the text.") + _note(6, "Free memo", "Loose.")
             + "</Notes>")
    body = users() + codebook + sources + notes + _ref(1)
    return write_qdpx(tmp_path / "maxqda.qdpx", project(body), {f"sources/{SOURCE}.txt": TEXT})


def test_notes_land_on_the_project_source_code_and_coding_they_refer_to(store, tmp_path):
    report = import_qdpx(store, _file(tmp_path))
    assert report.memos == 6
    memos = {m.title: m for m in actions.memos(store)}
    [coding] = coding_store.current_codings(store)
    targets = {title: m.target.label() for title, m in memos.items()}
    assert targets == {"Project memo": "project", "Source memo": "document:Field notes 1",
                       "Code memo": "code:" + next(c for c in report.codes_added if c != coding.code),
                       "Coding memo": f"coding:{coding.decision_id}", "Lost coding memo": "project",
                       "Free memo": "project"}
    assert memos["Code memo"].text == "Barriers & costs."
    assert {m.author for m in memos.values()} == {"Maxine (MAXQDA)"}
    # A UTC time in the file is stored as local time, like every time qcode keeps.
    expected = datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc).astimezone().replace(tzinfo=None)
    assert memos["Free memo"].created_at == expected == memos["Free memo"].updated_at
    said = [str(p) for p in report.problems]
    assert any(NOTE.format(5) in line and "kept as a project memo" in line for line in said)
    assert not any("memos and annotations" in line for line in said)  # what the import said before memos
