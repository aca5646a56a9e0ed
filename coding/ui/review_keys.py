"""Review's keyboard, a small custom component (keys_frontend/index.html) instead of button shortcuts.

Button shortcuts are triggers: Streamlit merges the triggers that arrive while a run is busy and replays those of an
interrupted run, so fast keys were dropped (five N presses moved once) or applied twice (one 1 logged three codings).
The component numbers every press and sends the whole list of presses the server has not yet confirmed; the server
applies each number once, in order, and renders the last number applied, which the browser then forgets.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

import streamlit.components.v1 as components

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "x", "n", "s", "u")
_component = components.declare_component("qcode_review_keys", path=str(Path(__file__).parent / "keys_frontend"))


def keyboard(key: str, screen: str, applied: int, on_change: Callable[..., None], args: tuple) -> None:
    """Listen to the review keys. `screen` names what the page shows (the excerpt id), so that a decision key pressed
    on an older screen can be refused; `applied` is the last press number the server has applied."""
    # A v1 component passes no `args` to its callback (they would become component arguments): bind them here.
    _component(screen=screen, applied=applied, keys=list(KEYS), key=key, default=None,
               on_change=partial(on_change, *args), height=20)


def presses(value: object, after: int) -> list[dict]:
    """The presses in a component value numbered above `after`, in order (a malformed value yields none)."""
    if not isinstance(value, dict) or not isinstance(value.get("keys"), list):
        return []
    found = [p for p in value["keys"] if isinstance(p, dict) and isinstance(p.get("seq"), int)
             and isinstance(p.get("key"), str) and p["seq"] > after]
    return sorted(found, key=lambda p: p["seq"])
