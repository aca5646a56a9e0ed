"""WebVTT captions as Zoom and Teams write them."""

from __future__ import annotations

from pathlib import Path

from coding.errors import Problem, ReaderError
from coding.models import ParsedTranscript
from coding.readers.cues import blocks, merge_cues, parse_cue_block
from coding.readers.encoding import decode_transcript


class WebVttReader:
    name = "vtt"
    extensions = (".vtt",)

    def read(self, path: Path, data: bytes) -> ParsedTranscript:
        text = decode_transcript(path, data)
        lines = text.split("\n")
        if not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
            raise ReaderError(
                Problem("a WebVTT file must start with 'WEBVTT'", path=str(path), line=1,
                        hint="check that this is a caption export, not another file renamed to .vtt")
            )
        cues = [
            parse_cue_block(path, start_line, block, "00:01:02.500 --> 00:01:05.000")
            for start_line, block in (blocks(lines)[1:] if lines[0].strip() else blocks(lines))
            if not block[0].startswith(("WEBVTT", "NOTE", "STYLE", "REGION"))
        ]
        turns, dropped = merge_cues(path, cues)
        return ParsedTranscript(turns=turns, dropped=dropped)
