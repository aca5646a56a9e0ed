"""The coded-excerpt rows shared by the CSV, XLSX and DOCX exports: one row per coding, with its context.

A row holds the document, turn, speaker and timestamps, the document's attributes, the code (id, name, path), who
coded it and how (human, accepted-suggestion, imported), and the coded text. Pseudonymisation, when chosen, is
applied here once, so every format built from these rows shows the same pseudonyms.
"""

from __future__ import annotations

import pandas as pd

from coding.analysis.data import AnalysisData
from coding.export.pseudonyms import NO_PSEUDONYMS, Pseudonymiser
from coding.models import AttributeValue, Frozen

FIXED_COLUMNS = ["document", "turn", "speaker", "speaker_role", "start_time", "end_time", "code", "code_name",
                 "code_path", "coder", "source", "text", "start", "end", "excerpt_id"]
_BEFORE_ATTRIBUTES = 6  # attribute columns go after document .. end_time


class CodedExcerptRow(Frozen):
    document: str
    turn: int
    speaker: str | None
    speaker_role: str | None
    start_time: str | None  # hh:mm:ss
    end_time: str | None
    attributes: dict[str, AttributeValue]
    code: str
    code_name: str
    code_path: str
    coder: str
    source: str
    text: str
    start: int
    end: int
    excerpt_id: str | None
    title: str | None = None

    def citation_base(self) -> dict[str, object]:
        return {"document": self.document, "turn": self.turn, "speaker": self.speaker,
                "speaker_role": self.speaker_role, "start_time": self.start_time, "end_time": self.end_time,
                "title": self.title, "code": self.code, "code_name": self.code_name, "coder": self.coder}


def clock(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _pseudonymised_attributes(attributes: dict[str, AttributeValue], names: Pseudonymiser
                              ) -> dict[str, AttributeValue]:
    return {k: names.text(v) if isinstance(v, str) else v for k, v in attributes.items()}


def coded_excerpt_rows(data: AnalysisData, names: Pseudonymiser = NO_PSEUDONYMS,
                       titles: dict[str, str | None] | None = None) -> list[CodedExcerptRow]:
    """Every coding `data` keeps, in document and text order."""
    turns = {(t.document, t.number): t for t in data.turns}
    rows = []
    for coding in sorted(data.codings, key=lambda c: (c.document, c.start, c.end, c.code, c.coder)):
        turn = turns.get((coding.document, coding.turn))
        last = turn  # a span across turns ends when the last turn it reaches ends
        while last and (later := turns.get((coding.document, last.number + 1))) and later.start < coding.end:
            last = later
        rows.append(CodedExcerptRow(
            document=names.text(coding.document) or coding.document, turn=coding.turn,
            speaker=names.speaker(turn.speaker) if turn else None,
            speaker_role=turn.role.value if turn else None,
            start_time=clock(turn.start_time) if turn else None, end_time=clock(last.end_time) if last else None,
            attributes=_pseudonymised_attributes(data.attributes.get(coding.document, {}), names),
            code=coding.code, code_name=data.code_name(coding.code), code_path=data.code_path(coding.code),
            coder=coding.coder, source=coding.source.value, text=names.text(coding.text or "") or "",
            start=coding.start, end=coding.end, excerpt_id=coding.excerpt_id,
            title=names.text((titles or {}).get(coding.document)),
        ))
    return rows


def attribute_columns(attribute_names: list[str]) -> dict[str, str]:
    """Attribute name -> column name; an attribute named like a fixed column gets an "attribute_" prefix."""
    return {name: f"attribute_{name}" if name in FIXED_COLUMNS else name for name in attribute_names}


def rows_frame(rows: list[CodedExcerptRow], attribute_names: list[str]) -> pd.DataFrame:
    """The rows as a table: fixed columns with one column per document attribute after the timestamps."""
    columns = attribute_columns(attribute_names)
    ordered = FIXED_COLUMNS[:_BEFORE_ATTRIBUTES] + list(columns.values()) + FIXED_COLUMNS[_BEFORE_ATTRIBUTES:]
    records = []
    for row in rows:
        record = row.model_dump(exclude={"attributes", "title"})
        record.update({columns[name]: row.attributes.get(name) for name in attribute_names})
        records.append(record)
    return pd.DataFrame(records, columns=ordered).astype({"turn": "int64", "start": "int64", "end": "int64"})
