"""Hand-made .qdpx files for the import tests, and a snapshot of a project to prove a failed import changed nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path

from coding.store import ProjectStore
from coding.store import codebooks as codebook_store
from coding.store import codings as coding_store
from coding.store import documents as doc_store

USER = "11111111-1111-1111-1111-111111111111"
SOURCE = "22222222-2222-2222-2222-222222222222"
CODE_PARENT = "33333333-3333-3333-3333-333333333333"
CODE_CHILD = "44444444-4444-4444-4444-444444444444"


def write_qdpx(path: Path, project_xml: str, files: dict[str, str | bytes] | None = None,
               member: str = "project.qde") -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, project_xml)
        for name, content in (files or {}).items():
            archive.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return path


def project(body: str, namespace: str = "urn:QDA-XML:project:1.0", name: str = "Field notes") -> str:
    return f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{namespace}" name="{name}">{body}</Project>'


def codebook(namespace: str | None = None) -> str:
    declared = f' xmlns="{namespace}"' if namespace else ""
    return (f'<CodeBook{declared}><Codes><Code guid="{CODE_PARENT}" name="Barriers" isCodable="true">'
            f'<Description>What gets in the way.</Description>'
            f'<Code guid="{CODE_CHILD}" name="Broadband" isCodable="true"/></Code></Codes></CodeBook>')


def users(name: str = "Maxine (MAXQDA)") -> str:
    return f'<Users><User guid="{USER}" name="{name}"/></Users>'


def text_source(selections: list[tuple[int, int, str]], name: str = "Field notes 1.txt",
                path: str = f"internal://{SOURCE}.txt") -> str:
    selected = "".join(
        f'<PlainTextSelection guid="5555555{i}-5555-5555-5555-555555555555" startPosition="{start}" '
        f'endPosition="{end}"><Coding guid="6666666{i}-6666-6666-6666-666666666666" creatingUser="{USER}">'
        f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
        for i, (start, end, code) in enumerate(selections)
    )
    source = f'<TextSource guid="{SOURCE}" name="{name}" plainTextPath="{path}">{selected}</TextSource>'
    return f"<Sources>{source}</Sources>"


def snapshot(store: ProjectStore) -> tuple:
    return (doc_store.counts(store), len(coding_store.all_decisions(store)),
            len(coding_store.current_codings(store)), len(codebook_store.codebook_history(store)))
