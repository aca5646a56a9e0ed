"""qcode's own structure carried inside a .qdpx it exports, so that qcode reads its export back exactly.

REFI-QDA has no place for speaker turns or code ids, and its schema allows no foreign attributes, so a qcode export
adds one member, `qcode-structure.json`, beside project.qde (other programs ignore files they do not know). It
holds, per TextSource GUID, the document's title and turns (offsets into the exported plain text) with the SHA-256
of that text, per code GUID the code id, and per Note GUID the target of a memo on a theme (REFI-QDA has no theme
object to hold its NoteRef). On import the turns are used only where the source text is still exactly the one they
were written for; a source edited in another program is parsed afresh instead.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from pydantic import ValidationError

from coding.codebook.structure import normalize_guid
from coding.models import SpeakerRole, Turn
from coding.refi.archive import QdpxArchive

STRUCTURE_MEMBER = "qcode-structure.json"
STRUCTURE_FORMAT = "qcode-qdpx-structure"
STRUCTURE_VERSION = 1


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class SourceStructure:
    sha256: str
    title: str | None
    turns: list[dict]  # speaker, role, start, end, source_line, start_time, end_time

    def turns_for(self, document: str, text: str) -> list[Turn] | None:
        """The turns of `document` if `text` is the text they were written for and they fit it, else None."""
        if text_digest(text) != self.sha256:
            return None
        try:
            turns = [Turn(document=document, number=number, speaker=item["speaker"],
                          role=SpeakerRole(item["role"]), start=item["start"], end=item["end"],
                          text=text[item["start"]:item["end"]], source_line=item.get("source_line"),
                          start_time=item.get("start_time"), end_time=item.get("end_time"))
                     for number, item in enumerate(self.turns, start=1)]
        except (KeyError, TypeError, ValueError, ValidationError):
            return None
        previous_end = 0
        for turn in turns:
            if not previous_end <= turn.start <= turn.end <= len(text):
                return None
            previous_end = turn.end
        return turns


@dataclass
class QcodeStructure:
    sources: dict[str, SourceStructure] = field(default_factory=dict)  # normalised TextSource GUID ->
    code_ids: dict[str, str] = field(default_factory=dict)  # normalised code GUID -> code id
    # normalised Note GUID -> memo target REFI-QDA has no object for (a theme, "theme:RUN:THEME")
    memo_targets: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> bytes:
        data = {"format": STRUCTURE_FORMAT, "version": STRUCTURE_VERSION,
                "sources": {guid: {"sha256": s.sha256, "title": s.title, "turns": s.turns}
                            for guid, s in self.sources.items()},
                "codes": self.code_ids, "memo_targets": self.memo_targets}
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def turn_entry(turn: Turn, start: int, end: int, speaker: str) -> dict:
    return {"speaker": speaker, "role": turn.role.value, "start": start, "end": end,
            "source_line": turn.source_line, "start_time": turn.start_time, "end_time": turn.end_time}


def read_structure(archive: QdpxArchive) -> QcodeStructure | None:
    """The structure member of a qcode export, or None (absent, or not one qcode can use: it is only a help)."""
    member = archive.find(STRUCTURE_MEMBER)
    if member is None:
        return None
    try:
        data = json.loads(archive.read(member).decode("utf-8"))
        if data.get("format") != STRUCTURE_FORMAT or data.get("version") != STRUCTURE_VERSION:
            return None
        sources = {normalize_guid(guid): SourceStructure(sha256=str(item["sha256"]), title=item.get("title"),
                                                         turns=list(item["turns"]))
                   for guid, item in data.get("sources", {}).items()}
        codes = {normalize_guid(guid): str(code_id) for guid, code_id in data.get("codes", {}).items()}
        memo_targets = {normalize_guid(guid): str(target) for guid, target in data.get("memo_targets", {}).items()}
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return QcodeStructure(sources=sources, code_ids=codes, memo_targets=memo_targets)
