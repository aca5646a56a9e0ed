"""Combining an imported REFI-QDA codebook with the project's codebook.

An imported code is the project's code when its GUID matches (the project's codebook went out in an earlier
export) or, failing that, when its name matches one project code (case-insensitively). Otherwise it is new and gets
the id a qcode export recorded for it, else an id made from its name.

- merge (default): the project codebook stays as it is and the new codes are added under their imported parents.
- replace: the imported codebook becomes the project's; codes matched to project codes keep their ids and, where
  the file's Description carries none, their include/exclude rules and examples.
With no project codebook the imported one is used as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from coding.codebook import Code, Codebook, codebook_from_refi_codes
from coding.codebook.refi_codes import XmlElement, child_elements
from coding.codebook.structure import normalize_guid
from coding.errors import CodebookError, Problem

CodebookMode = Literal["merge", "replace"]
CODEBOOK_MODES = ("merge", "replace")


def code_elements_in_order(codes_element: XmlElement) -> list[XmlElement]:
    """Code elements depth-first, the order `codebook_from_refi_codes` lists its codes in."""
    ordered: list[XmlElement] = []
    stack = list(reversed(child_elements(codes_element, "Code")))
    while stack:
        element = stack.pop()
        ordered.append(element)
        stack.extend(reversed(child_elements(element, "Code")))
    return ordered


def _name_matches(imported: Codebook, current: Codebook) -> dict[str, str]:
    """imported id -> project id for new codes whose name matches exactly one project code."""
    by_name: dict[str, list[str]] = {}
    for code in current.codes:
        by_name.setdefault(code.name.casefold(), []).append(code.id)
    mapping: dict[str, str] = {}
    used = {c.id for c in imported.codes if c.id in current}
    for code in imported.codes:
        if code.id in current:
            continue
        candidates = by_name.get(code.name.casefold(), [])
        if len(candidates) == 1 and candidates[0] not in used:
            mapping[code.id] = candidates[0]
            used.add(candidates[0])
    return mapping


def combine_codebooks(codes_element: XmlElement, current: Codebook | None, mode: CodebookMode, name: str,
                      source_name: str, ids_by_guid: Mapping[str, str] | None = None
                      ) -> tuple[Codebook, dict[str, str]]:
    """The project's next codebook and a map from each imported code's (normalised) GUID to its project id."""
    if mode not in CODEBOOK_MODES:
        raise CodebookError(Problem(f"unknown codebook mode '{mode}'", hint="use merge or replace"))
    imported = codebook_from_refi_codes(codes_element, name=current.name if current else name,
                                        source_name=source_name, known=current, ids_by_guid=ids_by_guid)
    renamed = _name_matches(imported, current) if current else {}

    def final(code_id: str) -> str:
        return renamed.get(code_id, code_id)

    guid_to_id: dict[str, str] = {}
    for element, code in zip(code_elements_in_order(codes_element), imported.codes):
        guid = (element.get("guid") or "").strip()
        if guid:
            guid_to_id.setdefault(normalize_guid(guid), final(code.id))
    if current is None:
        return imported, guid_to_id
    if mode == "merge":
        added = [c.model_copy(update={"parent": final(c.parent) if c.parent else None})
                 for c in imported.codes if final(c.id) not in current]
        version = current.version + (1 if added else 0)
        return Codebook(name=current.name, version=version, codes=(*current.codes, *added)), guid_to_id
    codes: list[Code] = []
    for code in imported.codes:
        kept = current.get(final(code.id))
        update: dict = {"id": final(code.id), "parent": final(code.parent) if code.parent else None}
        if kept is not None:
            update.update(include=code.include or kept.include, exclude=code.exclude or kept.exclude,
                          examples=code.examples or kept.examples,
                          counterexamples=code.counterexamples or kept.counterexamples, guid=code.guid or kept.guid,
                          definition=code.definition or kept.definition, color=code.color or kept.color)
        codes.append(code.model_copy(update=update))
    return Codebook(name=current.name, version=current.version + 1, codes=tuple(codes)), guid_to_id
