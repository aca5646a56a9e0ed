"""Selection positions in other programs' units (UTF-16 code units, a CR LF counted as one) against the character
offsets qcode stores, checked against Python's own UTF-16 encoding and line-end replacement."""

from __future__ import annotations

import random

import pytest

from coding.refi.positions import PositionConverter, PositionReading

PIECES = ["a", "é", "🙂", "👩‍🏫", "\r\n", "\n", " ", "字", "𝔘", "\r"]


def _units(text: str, reading: PositionReading) -> int:
    counted = text.replace("\r\n", "\n") if reading.crlf_as_one else text
    return len(counted.encode("utf-16-le")) // 2 if reading.utf16 else len(counted)


@pytest.mark.parametrize("reading", [PositionReading(), PositionReading(utf16=True), PositionReading(crlf_as_one=True),
                                     PositionReading(utf16=True, crlf_as_one=True)])
@pytest.mark.parametrize("seed", range(5))
def test_positions_convert_both_ways_as_the_encodings_count(reading, seed):
    rng = random.Random(seed)
    text = "".join(rng.choice(PIECES) for _ in range(300))
    converter = PositionConverter(text, reading)
    assert converter.length == _units(text, reading)
    for index in range(len(text) + 1):
        # Between the CR and the LF of a pair counted as one is the same position as before the pair.
        inside_crlf = reading.crlf_as_one and index > 0 and text[index - 1:index + 1] == "\r\n"
        before = index - 1 if inside_crlf else index
        position = converter.units_before(index)
        assert position == _units(text[:before], reading)
        assert converter.to_index(position) == before
    if reading.utf16:  # a position between the halves of a surrogate pair is no character's position
        astral = next(i for i, ch in enumerate(text) if ord(ch) > 0xFFFF)
        assert converter.to_index(converter.units_before(astral) + 1) is None
    assert converter.to_index(converter.length + 1) is None and converter.to_index(-1) is None
