"""SubRip (.srt) captions."""

from __future__ import annotations

from pathlib import Path

from coding.models import ParsedTranscript
from coding.readers.cues import blocks, merge_cues, parse_cue_block
from coding.readers.encoding import decode_transcript


class SubRipReader:
    name = "srt"
    extensions = (".srt",)

    def read(self, path: Path, data: bytes) -> ParsedTranscript:
        text = decode_transcript(path, data)
        # The cue number is optional in practice: files whose numbers were stripped are read all the same.
        cues = [parse_cue_block(path, start_line, block, "00:01:02,500 --> 00:01:05,000")
                for start_line, block in blocks(text.split("\n"))]
        turns, dropped = merge_cues(path, cues)
        return ParsedTranscript(turns=turns, dropped=dropped)
