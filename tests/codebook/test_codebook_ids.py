from __future__ import annotations

import re

import pytest

from coding.codebook import CODE_ID_PATTERN, code_id_from_name, unique_code_id


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Health care", "HEALTH_CARE"),
        ("SYS::REQ002 - Plantuml", "SYS_REQ002_PLANTUML"),
        ("Café: prix", "CAFE_PRIX"),
        ("2022 budget", "CODE_2022_BUDGET"),
        ("  ", "CODE"),
        ("教育", "CODE"),
    ],
)
def test_code_id_from_name_makes_valid_readable_ids(name: str, expected: str) -> None:
    assert code_id_from_name(name) == expected
    assert re.fullmatch(CODE_ID_PATTERN, expected)


def test_unique_code_id_adds_the_first_free_number() -> None:
    assert unique_code_id("COST", set()) == "COST"
    assert unique_code_id("COST", {"COST", "COST_2"}) == "COST_3"
