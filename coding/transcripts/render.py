"""Placing parsed turns into the stored transcript text that every offset points into.

The stored text is a clean rendering of the transcript ("Speaker: utterance" per turn, a blank line between
turns, the title on top). It is written once per document version and never changed, so
`text[turn.start:turn.end] == turn.text` holds for ever, whatever the source format was.
"""

from __future__ import annotations

from coding.models import ParsedTranscript, SpeakerRole, Turn
from coding.readers.labels import SpeakerRoles


def render_transcript(document: str, parsed: ParsedTranscript, roles: SpeakerRoles) -> tuple[str, list[Turn]]:
    parts: list[str] = []
    length = 0
    if parsed.title:
        parts.append(parsed.title + "\n\n")
        length += len(parts[-1])
    turns: list[Turn] = []
    for number, parsed_turn in enumerate(parsed.turns, start=1):
        prefix = f"{parsed_turn.speaker}: "
        start = length + len(prefix)
        end = start + len(parsed_turn.text)
        separator = "\n\n" if number < len(parsed.turns) else "\n"
        parts.append(prefix + parsed_turn.text + separator)
        length += len(parts[-1])
        role = SpeakerRole.interviewer if roles.is_interviewer(parsed_turn.speaker) else SpeakerRole.respondent
        turns.append(
            Turn(
                document=document,
                number=number,
                speaker=parsed_turn.speaker,
                role=role,
                start=start,
                end=end,
                text=parsed_turn.text,
                source_line=parsed_turn.source_line,
                start_time=parsed_turn.start_time,
                end_time=parsed_turn.end_time,
            )
        )
    return "".join(parts), turns
