"""The domain objects that cross qcode's layers.

Only `coding.store` talks to DuckDB; everything else passes these pydantic objects. Offsets are character offsets
(Python string indices) into `Document.text`, which never changes once stored: for every turn and excerpt,
`document.text[start:end] == text`.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

AttributeValue = str | int | float | bool | None


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SpeakerRole(str, Enum):
    interviewer = "interviewer"
    respondent = "respondent"


class ParsedTurn(Frozen):
    """A speaker turn as a reader found it, before it is placed in the stored text."""

    speaker: str
    text: str  # the utterance, wrapped lines joined, page markers dropped; paragraph breaks kept as "\n"
    source_line: int | None = None  # 1-based line (or cue/paragraph number) where the turn starts in the file
    start_time: float | None = None  # seconds from the start of the recording
    end_time: float | None = None


class DroppedText(Frozen):
    """Text of a source file that is in no turn and not the title (a second preamble paragraph, a section heading,
    captions before the first named speaker): reported to the user, never dropped silently."""

    line: int | None  # 1-based line (paragraph for .docx, timing line for captions) where it starts
    characters: int  # how much text, not counting whitespace runs
    what: str  # "text before the first speaker label", ...
    hint: str | None = None  # how to get it stored, where the usual "give it a speaker label" does not apply


class ParsedTranscript(Frozen):
    """What a reader returns: turns in order plus any attributes the file itself carries (front matter)."""

    turns: list[ParsedTurn]
    attributes: dict[str, AttributeValue] = Field(default_factory=dict)
    title: str | None = None
    dropped: list[DroppedText] = Field(default_factory=list)


class Turn(Frozen):
    document: str
    number: int  # 1..n per document, counting every turn: the stable address "D07, turn 12"
    speaker: str
    role: SpeakerRole
    start: int  # utterance span in Document.text
    end: int
    text: str
    source_line: int | None = None
    start_time: float | None = None
    end_time: float | None = None


class Excerpt(Frozen):
    id: str  # "<document>:<turn>:<index>", stable while the document version is unchanged
    document: str
    turn: int
    index: int  # 1..k within the turn
    start: int
    end: int
    text: str


class Document(Frozen):
    name: str  # file name without extension; unique in a project
    version: int = 1
    source_path: str
    format: str  # reader name: txt, md, vtt, srt, docx, qdpx
    content_hash: str  # sha256 of the file bytes
    text: str  # the stored transcript text all offsets point into
    title: str | None = None
    attributes: dict[str, AttributeValue] = Field(default_factory=dict)
    ingested_at: datetime | None = None


class DocumentSummary(Frozen):
    document: str
    version: int
    format: str
    turns: int
    respondent_turns: int
    excerpts: int
    words: int
    speakers: list[str]
    attributes: dict[str, Any]


class SegmenterSettings(Frozen):
    """How respondent turns become excerpts; recorded with each ingest so segmentation reproduces."""

    spacy_model: str = "blank:en"  # "blank:en" = spacy.blank("en") + sentencizer; else an installed pipeline name
    max_sentences: int = 3  # excerpt windows hold 1..max_sentences consecutive sentences
    short_turn_sentences: int = 3  # a turn with at most this many sentences is a single excerpt
    include_interviewer: bool = False


class CodingSource(str, Enum):
    human = "human"
    accepted_suggestion = "accepted-suggestion"
    imported = "imported"
    theme = "theme"  # a bulk action on a theme's members (the decision's note names the run and the theme)


class DecisionAction(str, Enum):
    code = "code"  # apply a code to a span
    uncode = "uncode"  # remove a coder's code from a span
    reject = "reject"  # reject a suggested code for an excerpt (a negative example)
    recode = "recode"  # replace from_code by code on a span
    nothing = "nothing"  # the excerpt needs no code (takes it out of the coder's review queue; holds no code)
    undo = "undo"  # deactivate decision `target`
    redo = "redo"  # reactivate decision `target` (undo an undo)


class Span(Frozen):
    """Where a coding sits: a character span of one document. It may cross turns (a selection made in Transcripts,
    a REFI-QDA selection): `turn` is then the first turn it touches, and its text is `document.text[start:end]`."""

    document: str
    start: int
    end: int
    turn: int  # the turn the span starts in
    excerpt_id: str | None = None  # set when the span is exactly one excerpt


class Decision(Frozen):
    id: int | None = None
    at: datetime | None = None
    coder: str
    action: DecisionAction
    span: Span | None = None
    code: str | None = None
    from_code: str | None = None
    source: CodingSource = CodingSource.human
    target: int | None = None
    batch: str | None = None
    score: float | None = None
    note: str | None = None


class Coding(Frozen):
    decision_id: int
    coder: str
    document: str
    start: int
    end: int
    turn: int
    excerpt_id: str | None
    code: str
    source: CodingSource
    created_at: datetime
    text: str | None = None


class CodeScore(Frozen):
    code: str
    score: float


class ThemeRun(Frozen):
    id: int | None = None
    created_at: datetime | None = None
    model_id: str
    codebook_version: int | None = None
    manifest: dict[str, Any]


class Theme(Frozen):
    run_id: int | None = None
    theme: int  # 1..k by size; -1 is the unthemed queue
    label: str
    custom_label: str | None = None
    keywords: list[str]
    size: int
    documents: int
    speakers: int
    status: str  # matched | straddles | new | unthemed
    codes: list[CodeScore] = Field(default_factory=list)
    parent: int | None = None  # the top-level group (ThemeGroup.theme_group); None in runs made before groups
    explanation: dict[str, Any] | None = None  # why the status: code shares of the members, reason in words

    @property
    def display_label(self) -> str:
        return self.custom_label or self.label


class ThemeGroup(Frozen):
    """A top-level theme: a group of similar (sub-)themes of one run."""

    run_id: int | None = None
    theme_group: int  # 1..g by size
    label: str
    keywords: list[str]
    size: int  # excerpts
    turns: int  # units the themes were found in
    status: str
    explanation: dict[str, Any]
    themes: list[int] = Field(default_factory=list)  # its sub-themes' ids


class ThemeMember(Frozen):
    excerpt_id: str
    theme: int
    probability: float | None = None
    representative_rank: int | None = None
    nearest_theme: int | None = None
    similarity: float | None = None
    document: str | None = None
    turn: int | None = None
    text: str | None = None


class ThemeMention(Frozen):
    """An excerpt outside a theme whose unit uses the theme's keywords as strongly as its members do."""

    excerpt_id: str
    theme: int
    score: float
    document: str | None = None
    turn: int | None = None
    text: str | None = None


class SuggestionRun(Frozen):
    id: int | None = None
    created_at: datetime | None = None
    model_id: str
    codebook_version: int
    manifest: dict[str, Any]


class StoredSuggestion(Frozen):
    excerpt_id: str
    code: str
    score: float
    zero_shot: float | None = None
    learned: float | None = None
    suggested: bool
    evidence: str | None = None
