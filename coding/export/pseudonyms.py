"""Pseudonymisation for exports: the same person gets the same pseudonym everywhere (text, speaker, attribution).

Names come from a CSV of `name,pseudonym` rows (several names may share a pseudonym: "Dr. Alvarez" and "Maria
Alvarez" are one person) and from the transcripts' speakers: a speaker not in the file becomes "Respondent n" (or
"Interviewer n" for an interviewer labelled by name rather than by a generic label such as "Interviewer" or "Q"),
numbered by first appearance. Distinctive parts of a speaker's label (surname, first name) are replaced too, unless
two speakers share that part. Matching is whole-word and case-sensitive, also accepting an all-caps or capitalised
form, so a surname like "Price" does not swallow the word "price".
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from coding.errors import Problem, QcodeError
from coding.models import SpeakerRole, Turn
from coding.readers.encoding import decode_transcript
from coding.readers.labels import DEFAULT_INTERVIEWER_LABELS, normalise_label

# Words in speaker labels that are titles or roles, not names: they are never replaced on their own.
_NOT_NAMES = {
    "dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "prof", "prof.", "professor", "sir", "madam",
    "superintendent", "assistant", "associate", "deputy", "chief", "officer", "director", "principal", "teacher",
    "interviewer", "respondent", "participant", "speaker", "moderator", "facilitator", "researcher", "president",
    "board", "member", "coordinator", "manager", "head", "executive", "technology", "academic", "curriculum",
    "district", "school", "the", "of", "and", "de", "del", "la", "le", "van", "von", "der", "da", "di", "du",
}


class PseudonymError(QcodeError):
    """The pseudonyms file is unusable."""


def read_pseudonyms(path: Path) -> dict[str, str]:
    """`name,pseudonym` rows (a header row is optional) -> {name: pseudonym}."""
    if not path.exists():
        raise PseudonymError(Problem("pseudonyms file not found", path=str(path),
                                     hint="give a CSV with name,pseudonym rows"))
    text = decode_transcript(path, path.read_bytes())
    mapping: dict[str, str] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if number == 1 and [c.lower() for c in cells[:2]] == ["name", "pseudonym"]:
            continue
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise PseudonymError(Problem("each row needs a name and a pseudonym", path=str(path), row=number,
                                         hint="write rows like: Maria Alvarez,Superintendent A"))
        name, pseudonym = cells[0], cells[1]
        if mapping.get(name, pseudonym) != pseudonym:
            raise PseudonymError(Problem(f"'{name}' is given two pseudonyms ({mapping[name]} and {pseudonym})",
                                         path=str(path), row=number, hint="keep one row per name"))
        mapping[name] = pseudonym
    return mapping


@dataclass(frozen=True)
class Replacement:
    old_start: int
    old_end: int
    new_start: int
    new_end: int


class OffsetMap:
    """Maps character offsets of a text to offsets in its pseudonymised form."""

    def __init__(self, replacements: list[Replacement]):
        self._replacements = replacements
        self._starts = [r.old_start for r in replacements]

    def _shift_before(self, index: int) -> int:
        if index < 0:
            return 0
        r = self._replacements[index]
        return r.new_end - r.old_end

    def start(self, offset: int) -> int:
        """A span starting inside a replaced name starts at the pseudonym's start."""
        index = bisect.bisect_right(self._starts, offset) - 1
        if index >= 0 and offset < self._replacements[index].old_end:
            return self._replacements[index].new_start
        return offset + self._shift_before(index)

    def end(self, offset: int) -> int:
        """A span ending inside a replaced name ends at the pseudonym's end."""
        index = bisect.bisect_left(self._starts, offset) - 1
        if index >= 0 and offset <= self._replacements[index].old_end:
            return self._replacements[index].new_end
        return offset + self._shift_before(index)


class Pseudonymiser:
    """Replaces names by pseudonyms in speakers and text. An empty mapping changes nothing."""

    def __init__(self, names: dict[str, str]):
        self.names = dict(names)
        variants: dict[str, str] = {}
        for name, pseudonym in names.items():
            capitalised = name[:1].upper() + (name[1:].lower() if name.isupper() else name[1:])
            for variant in (name, name.upper(), capitalised):
                variants.setdefault(variant, pseudonym)
        self._variants = variants
        ordered = sorted(variants, key=len, reverse=True)  # longest first: "Maria Alvarez" before "Maria"
        self._pattern = (
            re.compile(r"(?<![\w])(?:" + "|".join(re.escape(v) for v in ordered) + r")(?![\w])") if ordered else None
        )

    @property
    def active(self) -> bool:
        return bool(self.names)

    def speaker(self, name: str | None) -> str | None:
        if name is None or not self.active:
            return name
        return self._variants.get(name) or self.text(name)

    def text(self, text: str | None) -> str | None:
        if text is None or self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._variants[m.group(0)], text)

    def text_with_offsets(self, text: str) -> tuple[str, OffsetMap]:
        """The pseudonymised text and a map from old offsets to new ones (for codings that point into it)."""
        if self._pattern is None:
            return text, OffsetMap([])
        parts: list[str] = []
        replacements: list[Replacement] = []
        position = 0
        length = 0
        for match in self._pattern.finditer(text):
            parts.append(text[position:match.start()])
            length += match.start() - position
            pseudonym = self._variants[match.group(0)]
            replacements.append(Replacement(match.start(), match.end(), length, length + len(pseudonym)))
            parts.append(pseudonym)
            length += len(pseudonym)
            position = match.end()
        parts.append(text[position:])
        return "".join(parts), OffsetMap(replacements)


NO_PSEUDONYMS = Pseudonymiser({})


def _is_name_word(word: str) -> bool:
    return len(word.strip(".")) >= 3 and word[0].isupper() and word.lower() not in _NOT_NAMES


def _name_parts(label: str) -> list[str]:
    """The name words of a label and every run of consecutive ones: "Dr. Maria Alvarez" -> "Maria Alvarez",
    "Maria", "Alvarez" (so "Maria Alvarez" in the text becomes one pseudonym, not two)."""
    words = re.findall(r"[^\W\d_][\w'’.\-]*", label)
    parts: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if word and _is_name_word(word):
            run.append(word)
            continue
        for size in range(len(run), 0, -1):
            parts += [" ".join(run[i:i + size]) for i in range(len(run) - size + 1)]
        run = []
    return parts


def build_pseudonymiser(turns: Iterable[Turn], mapping: dict[str, str] | None = None,
                        generic_labels: Iterable[str] = DEFAULT_INTERVIEWER_LABELS) -> Pseudonymiser:
    """Names from `mapping` plus every speaker of `turns` (in document and turn order) not already mapped."""
    names = dict(mapping or {})
    generic = {normalise_label(label) for label in generic_labels}
    speakers: dict[str, SpeakerRole] = {}
    for turn in sorted(turns, key=lambda t: (t.document, t.number)):
        if normalise_label(turn.speaker) not in generic:
            speakers.setdefault(turn.speaker, turn.role)
    used = set(names.values())
    counters = {SpeakerRole.respondent: 0, SpeakerRole.interviewer: 0}
    for speaker, role in speakers.items():
        if speaker in names:
            continue
        while True:
            counters[role] += 1
            pseudonym = f"{'Respondent' if role == SpeakerRole.respondent else 'Interviewer'} {counters[role]}"
            if pseudonym not in used:
                break
        names[speaker] = pseudonym
        used.add(pseudonym)
    owners: dict[str, set[str]] = {}
    for speaker in speakers:
        for part in _name_parts(speaker):
            owners.setdefault(part, set()).add(names[speaker])
    for part, pseudonyms in owners.items():
        if len(pseudonyms) == 1 and part not in names:
            names[part] = next(iter(pseudonyms))
    return Pseudonymiser(names)
