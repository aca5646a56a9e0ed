"""Subtitle cues (WebVTT, SubRip) merged into speaker turns: a turn is a maximal run of cues by one speaker."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from coding.errors import Problem, ReaderError
from coding.models import DroppedText, ParsedTurn
from coding.readers.labels import labelled_share, lowercase_speakers, parse_timestamp, split_label

TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})(?:\s.*)?$"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass(frozen=True)
class Cue:
    """A caption block with valid timing whose payload lines are not yet split into speakers."""

    line: int
    start: float
    end: float
    payload: tuple[str, ...]


def parse_timing(path: Path, line_number: int, line: str) -> tuple[float, float]:
    match = TIMING.match(line)
    if not match:
        raise ReaderError(
            Problem(
                f"malformed cue timing {line.strip()!r}",
                path=str(path),
                line=line_number,
                hint="timings look like '00:01:02.500 --> 00:01:05.000'; re-export the captions",
            )
        )
    start, end = parse_timestamp(match.group("start")), parse_timestamp(match.group("end"))
    if end < start:
        raise ReaderError(
            Problem("cue ends before it starts", path=str(path), line=line_number, hint="re-export the captions")
        )
    return start, end


def cue_speakers_and_texts(payload: list[str] | tuple[str, ...], speakers: frozenset[str] = frozenset()
                           ) -> list[tuple[str | None, str]]:
    """Who says what in one cue: `<v Name>text</v>` (Teams; several voices in one cue are kept apart, text after a
    `</v>` stays with that voice), `Name: text` (Zoom, SRT; `speakers` are the lowercase labels the file uses), or
    unlabelled text (None), which continues whoever was speaking."""
    joined = " ".join(line.strip() for line in payload if line.strip())
    pieces = _VOICE.split(joined)
    if len(pieces) > 1:
        said = [(None, _plain(pieces[0]))]
        said += [(name.strip(), _plain(text)) for name, text in zip(pieces[1::2], pieces[2::2])]
        return [(speaker, text) for speaker, text in said if speaker is not None or text]
    joined = _plain(joined)
    labelled = split_label(joined, speakers)
    if labelled is not None and labelled.rest:
        return [(labelled.label, labelled.rest)]
    return [(None, joined)]


def _plain(text: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def merge_cues(path: Path, cues: list[Cue]) -> tuple[list[ParsedTurn], list[DroppedText]]:
    """Turns (maximal runs of cues by one speaker) and the text of cues before anyone is named, which is in no turn."""
    payloads = [_plain(" ".join(cue.payload)) for cue in cues]
    # Where most cues start with a label (Zoom names every cue), a phrase with a colon cannot start a cue: the
    # speaker's label comes first. So there a lowercase label counts from its first cue.
    speakers = lowercase_speakers(payloads, min_uses=1 if labelled_share(payloads) >= 0.5 else 2)
    turns: list[ParsedTurn] = []
    dropped: list[DroppedText] = []
    speaker: str | None = None
    texts: list[str] = []
    first: Cue | None = None
    last: Cue | None = None
    for cue in cues:
        for cue_speaker, text in cue_speakers_and_texts(cue.payload, speakers):
            cue_speaker = cue_speaker or speaker  # an unlabelled cue continues whoever was speaking
            if cue_speaker is None:
                if text:
                    _add_unattributed(dropped, cue.line, text)
                continue
            if cue_speaker != speaker and first is not None and last is not None and speaker is not None:
                turns.append(_turn(speaker, texts, first, last))
                texts, first = [], None
            speaker = cue_speaker
            first = first or cue
            last = cue
            if text:
                texts.append(text)
    if speaker is not None and first is not None and last is not None:
        turns.append(_turn(speaker, texts, first, last))
    if not turns:
        raise ReaderError(
            Problem(
                "no cue names a speaker, so the captions cannot be split into turns",
                path=str(path),
                hint="export captions with speaker names ('Name: text' or '<v Name>text</v>')",
            )
        )
    return turns, dropped


def _add_unattributed(dropped: list[DroppedText], line: int, text: str) -> None:
    """Consecutive cues before the first named speaker are reported once, from the line of the first of them."""
    if dropped:
        previous = dropped.pop()
        dropped.append(previous.model_copy(update={"characters": previous.characters + 1 + len(text)}))
    else:
        dropped.append(DroppedText(line=line, characters=len(text), what="captions before the first named speaker"))


def _turn(speaker: str, texts: list[str], first: Cue, last: Cue) -> ParsedTurn:
    return ParsedTurn(
        speaker=speaker,
        text=" ".join(texts),
        source_line=first.line,
        start_time=first.start,
        end_time=last.end,
    )


def blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks with the 1-based line number of their first line."""
    result: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for index, line in enumerate(lines):
        if line.strip():
            if not current:
                start = index + 1
            current.append(line)
        elif current:
            result.append((start, current))
            current = []
    if current:
        result.append((start, current))
    return result


def parse_cue_block(path: Path, start_line: int, block: list[str], example_timing: str) -> Cue:
    """One caption block: an optional id or number line, the timing line, then the payload."""
    timing_index = next((i for i, line in enumerate(block[:2]) if "-->" in line), None)
    if timing_index is None:
        raise ReaderError(
            Problem("caption block has no '-->' timing line", path=str(path), line=start_line,
                    hint=f"each block needs a line like '{example_timing}'")
        )
    line_number = start_line + timing_index
    begin, end = parse_timing(path, line_number, block[timing_index])
    return Cue(line=line_number, start=begin, end=end, payload=tuple(block[timing_index + 1 :]))
