"""SubRip (.srt) captions."""

from __future__ import annotations

from pathlib import Path

from coding.errors import Problem, ReaderError
from coding.models import ParsedTranscript
from coding.readers.cues import Cue, blocks, cue_speaker_and_text, merge_cues, parse_timing
from coding.readers.encoding import decode_transcript


class SubRipReader:
    name = "srt"
    extensions = (".srt",)

    def read(self, path: Path, data: bytes) -> ParsedTranscript:
        text = decode_transcript(path, data)
        cues: list[Cue] = []
        for start_line, block in blocks(text.split("\n")):
            # The cue number is optional in practice: tolerate files whose numbers were stripped.
            timing_index = next((i for i, line in enumerate(block[:2]) if "-->" in line), None)
            if timing_index is None:
                raise ReaderError(
                    Problem("subtitle block has no '-->' timing line", path=str(path), line=start_line,
                            hint="each block needs a line like '00:01:02,500 --> 00:01:05,000'")
                )
            line_number = start_line + timing_index
            begin, end = parse_timing(path, line_number, block[timing_index])
            speaker, cue_text = cue_speaker_and_text(block[timing_index + 1 :])
            cues.append(Cue(line=line_number, start=begin, end=end, speaker=speaker, text=cue_text))
        return ParsedTranscript(turns=merge_cues(path, cues))
