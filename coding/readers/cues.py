"""Subtitle cues (WebVTT, SubRip) merged into speaker turns: a turn is a maximal run of cues by one speaker."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from coding.errors import Problem, ReaderError
from coding.models import ParsedTurn
from coding.readers.labels import parse_timestamp, split_label

TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?P<end>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})(?:\s.*)?$"
)
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+(?P<name>[^>]+)>(?P<text>.*?)(?:</v>|$)", re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass(frozen=True)
class Cue:
    line: int
    start: float
    end: float
    speaker: str | None
    text: str


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


def cue_speaker_and_text(payload: list[str]) -> tuple[str | None, str]:
    """`<v Name>text</v>` (Teams) or `Name: text` (Zoom, SRT) or unlabelled text."""
    joined = " ".join(line.strip() for line in payload if line.strip())
    voice = _VOICE.search(joined)
    if voice:
        speaker = voice.group("name").strip()
        text = _TAG.sub("", voice.group("text"))
        return speaker, html.unescape(" ".join(text.split()))
    joined = html.unescape(_TAG.sub("", joined))
    labelled = split_label(joined)
    if labelled is not None and labelled.rest:
        return labelled.label, labelled.rest
    return None, " ".join(joined.split())


def merge_cues(path: Path, cues: list[Cue]) -> list[ParsedTurn]:
    turns: list[ParsedTurn] = []
    speaker: str | None = None
    texts: list[str] = []
    first: Cue | None = None
    last: Cue | None = None
    for cue in cues:
        cue_speaker = cue.speaker or speaker  # an unlabelled cue continues whoever was speaking
        if cue_speaker is None:
            continue
        if cue_speaker != speaker and first is not None and last is not None and speaker is not None:
            turns.append(_turn(speaker, texts, first, last))
            texts, first = [], None
        speaker = cue_speaker
        first = first or cue
        last = cue
        if cue.text:
            texts.append(cue.text)
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
    return turns


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
    speaker, cue_text = cue_speaker_and_text(block[timing_index + 1 :])
    return Cue(line=line_number, start=begin, end=end, speaker=speaker, text=cue_text)
