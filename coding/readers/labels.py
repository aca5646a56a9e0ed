"""Recognising speaker labels, timestamps and page markers at the start of transcript lines."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
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
# An ASCII colon must be followed by a space or end the line ("At 10:30" is no label); Chinese and Japanese exports
# put text straight after a full-width colon ("李娜：我们开始了"), but not a digit ("10：30" is a time).
_COLON = r"[ \t]*(?::(?:[ \t]+|$)|：(?![0-9０-９])[ \t]*)"
LABEL = re.compile(rf"^(?P<label>{_WORD}(?:[ \t]+(?:{_WORD}|{_PARTICLE})){{0,5}}){_COLON}")
# Teams and some Zoom accounts name a speaker by e-mail address.
EMAIL_LABEL = re.compile(rf"^(?P<label>[\w.+-]+@[\w-]+(?:\.[\w-]+)+){_COLON}")
# Han, kana and Hangul: a name is a few characters with no spaces; a longer unspaced run before a colon is a sentence.
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
MAX_CJK_LABEL_LENGTH = 7
PAGE_MARKER = re.compile(
    r"^\s*(?:\d{1,4}\s*/\s*\d{1,4}|page\s+\d+(?:\s+of\s+\d+)?|-\s*\d{1,4}\s*-|\d{1,4})\s*$", re.IGNORECASE
)
# Words that end a name-like label but are really the start of a sentence or a field ("Note:", "Date:").
NOT_SPEAKERS = {"note", "notes", "date", "time", "location", "duration", "transcript", "subject", "re", "http", "https"}
# Words that make a lowercase phrase before a colon a sentence ("so here's the thing:", "and then he said:"), never a
# name: lowercase labels are only accepted when none of their words is one of these.
_SENTENCE_WORDS = {
    "a", "an", "the", "so", "and", "but", "or", "then", "because", "if", "when", "what", "which", "who", "how", "why",
    "i", "i'm", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "they", "them", "their",
    "it", "it's", "its", "this", "that", "that's", "these", "those", "there", "here", "here's", "there's",
    "is", "are", "was", "were", "be", "been", "am", "do", "did", "does", "have", "has", "had", "said", "say", "says",
    "to", "in", "at", "on", "for", "with", "from", "about", "as", "by", "not", "no", "yes", "yeah", "ok", "okay",
    "well", "like", "um", "uh", "oh", "just", "also", "only", "all", "one", "two", "three", "thing", "things",
    "question", "answer", "example", "point", "line", "problem", "reason", "idea", "step", "part", "option",
}
_LOWERCASE_WORD = re.compile(r"^[^\W\d_][^\W_]*(?:['’.\-][^\W_]+)*\.?$")
MAX_LOWERCASE_LABEL_WORDS = 3

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


def split_label(line: str, lowercase_speakers: frozenset[str] = frozenset()) -> LabelledLine | None:
    """The speaker label (and leading timestamp) that starts `line`, or None when it is not a turn start.

    Labels are name-like ("Dr. Alvarez", "iPhone de Ana", "李娜", "jdoe@district.org"); a lowercase label ("ana ruiz")
    counts only when it is in `lowercase_speakers`, the lowercase labels the whole file uses as speakers (see
    `lowercase_speakers`)."""
    found = _label_candidate(line)
    if found is None:
        return None
    labelled, name_like = found
    if name_like or normalise_label(labelled.label) in lowercase_speakers:
        return labelled
    return None


def lowercase_speakers(lines: Iterable[str], min_uses: int = 2) -> frozenset[str]:
    """Lowercase labels ("ana ruiz:") that the file uses as speakers, normalised: those that start at least
    `min_uses` lines, or that are a name-like label of the same file in other case ("Ana Ruiz:"). A phrase such as
    "bottom line:" rarely starts two lines; requiring that keeps sentences from becoming speakers."""
    counts: Counter[str] = Counter()
    name_like_labels: set[str] = set()
    for line in lines:
        found = _label_candidate(line)
        if found is None:
            continue
        key = normalise_label(found[0].label)
        if found[1]:
            name_like_labels.add(key)
        else:
            counts[key] += 1
    return frozenset(key for key, count in counts.items() if count >= min_uses or key in name_like_labels)


def labelled_share(lines: list[str]) -> float:
    """The share of lines that start with a label, name-like or lowercase."""
    return sum(_label_candidate(line) is not None for line in lines) / len(lines) if lines else 0.0


def _label_candidate(line: str) -> tuple[LabelledLine, bool] | None:
    """The label that starts `line` and whether it is name-like (True) or only a plausible lowercase name (False)."""
    timestamp = None
    rest = line
    ts_match = TIMESTAMP.match(line)
    if ts_match:
        timestamp = parse_timestamp(ts_match.group("ts"))
        rest = line[ts_match.end() :]
    rest = rest.lstrip()
    match = EMAIL_LABEL.match(rest)
    email = match is not None
    match = match or LABEL.match(rest)
    if not match:
        return None
    label = match.group("label").strip()
    if len(label) > MAX_LABEL_LENGTH or label.lower() in NOT_SPEAKERS:
        return None
    if _CJK.search(label) and " " not in label and len(label) > MAX_CJK_LABEL_LENGTH:
        return None
    labelled = LabelledLine(label=label, rest=rest[match.end() :].strip(), timestamp=timestamp)
    if email or _is_name_like(label):
        return labelled, True
    if _is_plausible_lowercase_name(label):
        return labelled, False
    return None


def _is_name_like(label: str) -> bool:
    """No word starts lowercase, except name particles after the first word ("Ángela de la Cruz") and words with a
    capital inside, as device names have ("iPhone de Ana")."""
    words = _PARENTHETICAL.sub(" ", label).split()
    return all(
        not word[0].islower() or (index > 0 and word in _PARTICLES) or any(ch.isupper() for ch in word[1:])
        for index, word in enumerate(words)
    )


def _is_plausible_lowercase_name(label: str) -> bool:
    """One to three words of letters, not counting name particles ("ana ruiz", "o'neil", "ana de la cruz"), none of
    which is a sentence word."""
    words = _PARENTHETICAL.sub(" ", label).split()
    names = [word for index, word in enumerate(words) if index == 0 or word not in _PARTICLES - _SENTENCE_WORDS]
    return (
        0 < len(names) <= MAX_LOWERCASE_LABEL_WORDS
        and all(_LOWERCASE_WORD.match(word) for word in words)
        and not any(word.lower().strip(".") in _SENTENCE_WORDS for word in words)
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
