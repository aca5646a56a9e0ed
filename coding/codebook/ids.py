"""Code ids made from names, for codebooks imported from tools that only have names (REFI-QDA)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

FALLBACK_ID = "CODE"


def code_id_from_name(name: str) -> str:
    """'Health care' -> 'HEALTH_CARE', 'Café: prix' -> 'CAFE_PRIX', '2022 budget' -> 'CODE_2022_BUDGET'.

    Accents are dropped, every run of other characters becomes one underscore, and an id that would not start with
    a letter gets the prefix CODE_.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^A-Z0-9]+", "_", ascii_name.upper()).strip("_")
    if not base:
        return FALLBACK_ID
    if not base[0].isalpha():
        return f"{FALLBACK_ID}_{base}"
    return base


def unique_code_id(base: str, taken: Collection[str]) -> str:
    """`base`, or `base_2`, `base_3`, ... whichever is first not in `taken`."""
    if base not in taken:
        return base
    number = 2
    while f"{base}_{number}" in taken:
        number += 1
    return f"{base}_{number}"
