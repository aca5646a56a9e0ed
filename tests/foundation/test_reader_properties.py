"""Property-based checks of txt reader + rendering + segmentation on generated transcripts."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coding.errors import ReaderError
from coding.models import ParsedTranscript, SegmenterSettings, SpeakerRole
from coding.readers.labels import SpeakerRoles
from coding.readers.plaintext import PlainTextReader
from coding.transcripts.segment import segment_turns
from coding.transcripts.render import render_transcript

LABELS = ["Interviewer", "Interviewer 2", "Q", "A", "I", "Dr. Alvarez", "SUPERINTENDENT HALE", "María José",
          "Émile Durand", "Moderator", "Ana de la Cruz", "Mr. O'Neil"]
WORDS = ["we", "the", "board", "teachers", "pilot", "said", "honestly", "data", "privacy", "really", "it's",
         "AI", "Chromebooks", "district", "budget", "students", "year", "policy", "maybe", "no", "yes"]
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

sentence = st.builds(
    lambda words, end: " ".join(words).capitalize() + end,
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=14),
    st.sampled_from([".", "?", "!", "...", ",", ""]),
)
utterance = st.lists(sentence, min_size=0, max_size=5).map(" ".join)
timestamp = st.sampled_from(["", "[00:03:17] ", "00:03:17 ", "(01:02) ", "1:02:03.5 "])

# One generated line: (kind, label, text, rendered line)
label_line = st.builds(lambda ts, label, text: ("label", label, text, f"{ts}{label}: {text}".rstrip()),
                       timestamp, st.sampled_from(LABELS), utterance)
label_alone = st.builds(lambda label: ("label", label, "", f"{label}:"), st.sampled_from(LABELS))
continuation = st.builds(lambda text: ("text", None, text, text), utterance.filter(lambda t: t.strip() != ""))
blank = st.just(("blank", None, "", ""))
page_marker = st.builds(lambda a, b: ("page", None, "", f"{a}/{b}"), st.integers(1, 99), st.integers(1, 99))
transcript_lines = st.lists(st.one_of(label_line, label_alone, continuation, blank, page_marker), max_size=40)


def _pipeline(text: str, document: str = "P01"):
    path = Path(f"{document}.txt")
    parsed = PlainTextReader().read(path, text.encode("utf-8"))
    rendered, turns = render_transcript(document, parsed, SpeakerRoles())
    excerpts = segment_turns(turns, SegmenterSettings())
    return parsed, rendered, turns, excerpts


def _check_invariants(parsed: ParsedTranscript, rendered: str, turns, excerpts) -> None:
    assert [t.number for t in turns] == list(range(1, len(parsed.turns) + 1))
    for turn in turns:
        assert rendered[turn.start : turn.end] == turn.text
    by_number = {t.number: t for t in turns}
    seen_ids = set()
    for excerpt in excerpts:
        turn = by_number[excerpt.turn]
        assert turn.role == SpeakerRole.respondent
        assert rendered[excerpt.start : excerpt.end] == excerpt.text
        assert turn.start <= excerpt.start < excerpt.end <= turn.end
        assert excerpt.text == excerpt.text.strip()
        assert excerpt.id not in seen_ids
        seen_ids.add(excerpt.id)
    excerpted = {e.turn for e in excerpts}
    for turn in turns:
        should_have = turn.role == SpeakerRole.respondent and turn.text.strip() != ""
        assert (turn.number in excerpted) == should_have


@PROPERTY_SETTINGS
@given(transcript_lines)
def test_generated_transcripts_give_one_turn_per_label_line_with_its_words(lines) -> None:
    text = "\n".join(line for *_, line in lines)
    expected: list[tuple[str, list[str]]] = []
    for kind, label, words, _ in lines:
        if kind == "label":
            expected.append((label, words.split()))
        elif kind == "text" and expected:
            expected[-1][1].extend(words.split())
    try:
        parsed, rendered, turns, excerpts = _pipeline(text)
    except ReaderError as error:
        assert not expected, f"labels were present but the reader refused: {error}"
        return
    assert [(t.speaker, t.text.split()) for t in parsed.turns] == expected
    _check_invariants(parsed, rendered, turns, excerpts)


FIXED_LINES = ["Interviewer: What next?", "Dr. Lee:", "[00:01:02] A: Yes.", "2/5", "", "Q: Why?"]


@PROPERTY_SETTINGS
@given(st.lists(st.one_of(st.text(max_size=60), st.sampled_from(FIXED_LINES)), max_size=30))
def test_arbitrary_text_either_fails_with_a_reader_error_or_keeps_every_offset_exact(lines) -> None:
    try:
        parsed, rendered, turns, excerpts = _pipeline("\n".join(lines))
    except ReaderError as error:
        assert error.problems and error.problems[0].path == "P01.txt"
        return
    assert parsed.turns
    _check_invariants(parsed, rendered, turns, excerpts)
