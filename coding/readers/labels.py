"""Recognising speaker labels, timestamps and page markers at the start of transcript lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LABEL_LENGTH = 40

# "[00:03:17] ", "00:03:17 ", "(00:03)", "0:03:17.250 " before a label.
TIMESTAMP = re.compile(r"^\s*[\[(]?(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)[\])]?\s+")
# A label is a name-like phrase: words that start with a capital letter or a digit ("Interviewer 2", "Dr. Alvarez",
# "SUPERINTENDENT HALE", "Gloria Benavidez-Ruiz", "Émile", "Q"), optionally joined by name particles. Requiring
# capitals keeps sentence openings such as "So here's the thing: ..." from being read as speakers. Python's `re` has
# no Unicode "uppercase" class, so the pattern accepts any word and `_is_name_like` checks the capitals.
_WORD = r"(?:[^\W_][\w'’.\-]*|\([\w .'-]+\))"
_PARTICLES = {"de", "del", "la", "le", "van", "von", "der", "da", "di", "du", "bin", "al", "y", "of", "the", "and", "&"}
_PARTICLE = rf"(?:{'|'.join(sorted(_PARTICLES))})"
_PARENTHETICAL = re.compile(r"\([^)]*\)")
LABEL = re.compile(rf"^(?P<label>{_WORD}(?:[ \t]+(?:{_WORD}|{_PARTICLE})){{0,5}})[ \t]*:(?:[ \t]+|$)")
PAGE_MARKER = re.compile(
    r"^\s*(?:\d{1,4}\s*/\s*\d{1,4}|page\s+\d+(?:\s+of\s+\d+)?|-\s*\d{1,4}\s*-|\d{1,4})\s*$", re.IGNORECASE
)
# Words that end a name-like label but are really the start of a sentence or a field ("Note:", "Date:").
NOT_SPEAKERS = {"note", "notes", "date", "time", "location", "duration", "transcript", "subject", "re", "http", "https"}

DEFAULT_INTERVIEWER_LABELS = (
    "Interviewer",
    "Interviewer 1",
    "Interviewer 2",
    "Moderator",
    "Facilitator",
    "Q",
    "I",
    "Researcher",
)


@dataclass(frozen=True)
class LabelledLine:
    label: str
    rest: str  # text after the colon (may be empty: label alone on its line)
    timestamp: float | None


def parse_timestamp(value: str) -> float:
    """'01:02:03.5' or '02:03' -> seconds."""
    value = value.replace(",", ".")
    parts = [float(p) for p in value.split(":")]
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def split_label(line: str) -> LabelledLine | None:
    """The speaker label (and leading timestamp) that starts `line`, or None when it is not a turn start."""
    timestamp = None
    rest = line
    ts_match = TIMESTAMP.match(line)
    if ts_match:
        timestamp = parse_timestamp(ts_match.group("ts"))
        rest = line[ts_match.end() :]
    match = LABEL.match(rest.lstrip())
    if not match:
        return None
    label = match.group("label").strip()
    if len(label) > MAX_LABEL_LENGTH or label.lower() in NOT_SPEAKERS or not _is_name_like(label):
        return None
    return LabelledLine(label=label, rest=rest.lstrip()[match.end() :].strip(), timestamp=timestamp)


def _is_name_like(label: str) -> bool:
    """No word starts lowercase, except name particles after the first word ("Ángela de la Cruz")."""
    words = _PARENTHETICAL.sub(" ", label).split()
    return all(
        not word[0].islower() or (index > 0 and word in _PARTICLES) for index, word in enumerate(words)
    )


def is_page_marker(line: str) -> bool:
    return bool(PAGE_MARKER.match(line))


def normalise_label(label: str) -> str:
    return " ".join(label.replace("’", "'").split()).casefold()


class SpeakerRoles:
    """Decides interviewer vs respondent from a configurable list of labels (case-insensitive)."""

    def __init__(self, interviewer_labels: tuple[str, ...] | list[str] = DEFAULT_INTERVIEWER_LABELS, extra=()):
        self.labels = {normalise_label(label) for label in (*interviewer_labels, *extra)}

    def is_interviewer(self, speaker: str) -> bool:
        return normalise_label(speaker) in self.labels
