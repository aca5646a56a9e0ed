"""Is a theme matched, straddling codes, or new? Decided from what the codebook explains about its members.

One similarity between a theme's centre and each code, cut at a constant, decided this before; the constant was
read off one corpus and did not carry to another. Here two views of the theme are compared:
- the member view: every member (a turn, or an excerpt) is scored by the same suggester that proposes codes for
  review, calibrated on the researcher's own codings once there are some; a code "fits" a member when the coder
  more likely than not applies it (probability >= 0.5);
- the centre view: which code the theme's centre is nearest, each code's similarity taken relative to its mean
  over all themes (see `coding.themes.reconcile`).

- matched: one code fits at least half of the members and the centre agrees (nearest that code); or, when the
  suggester is unsure of most members, the centre agrees with the code that fits the most of them, at least a
  quarter. Both views point to one code.
- straddles: two or more codes each fit at least half of the members: the theme is about both at once.
- new: otherwise. No code fits a majority, or the views disagree: the members each carry some code, but not the
  same one, and the centre sits elsewhere. What holds them together is something the codebook does not name.
  When most members carry some code and none fits half of them, the theme is new even if the centre is nearest
  the commonest code: the members say "several codes", and a centre between them adds nothing. (Letting the
  centre decide here too "matched" themes mostly about a code the codebook lacked to a code that fitted a quarter
  of their turns.)
  (Measured on two corpora: the content of codes left out of a codebook sits between codes, its turns spread over
  the two or three nearest ones; a rule that called such themes "straddles" or "matched" found none of them.)

The explanation keeps the figures (each code's share of members, the share explained at all, the centre's code),
so the researcher sees why, and can disagree. No constant here was fitted to a corpus: a half is a majority, a
quarter is the least share that lets the centre's agreement decide.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict

Status = Literal["matched", "straddles", "new"]
MAJORITY = 0.5
AGREEING_MINORITY = 0.25


class CodeShare(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    members: int  # members the suggester gives this code
    share: float  # of all members


class ThemeExplanation(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: Status
    codes: list[str]  # the matched code, or the straddled codes, best first; empty when new
    members: int
    explained: float  # share of members given at least one code
    shares: list[CodeShare]  # codes that fit at least one member, most members first (at most 5)
    centre_code: str | None = None  # the code nearest the theme's centre (per-code calibrated), for comparison
    centre_score: float | None = None
    reason: str

    def as_json(self) -> dict:
        return self.model_dump(mode="json")


def explain_theme(decided: np.ndarray, codes: Sequence[str], centre_code: str | None = None,
                  centre_score: float | None = None, unit_name: str = "turns") -> ThemeExplanation:
    """Status and reason for one theme from `decided`: (members x codes) bool, the suggester's decisions."""
    decided = np.asarray(decided, dtype=bool)
    decided = decided.reshape(len(decided), len(codes))
    n = len(decided)
    counts = decided.sum(0) if n else np.zeros(len(codes), dtype=np.int64)
    order = sorted(range(len(codes)), key=lambda j: (-int(counts[j]), codes[j]))
    shares = [CodeShare(code=codes[j], members=int(counts[j]), share=round(counts[j] / n, 4) if n else 0.0)
              for j in order if counts[j] > 0][:5]
    explained = float(decided.any(1).mean()) if n else 0.0
    top = shares[0] if shares else None
    majority = [s.code for s in shares if s.share >= MAJORITY]
    agrees = top is not None and (centre_code is None or top.code == centre_code)
    if len(majority) >= 2:
        status: Status = "straddles"
        chosen = majority
    elif majority and agrees:
        status, chosen = "matched", majority
    elif (top is not None and top.share >= AGREEING_MINORITY and centre_code is not None and agrees
          and explained < MAJORITY):  # the suggester is unsure of most members: let the centre decide
        status, chosen = "matched", [top.code]
    else:
        status, chosen = "new", []
    return ThemeExplanation(status=status, codes=chosen, members=n, explained=round(explained, 4), shares=shares,
                            centre_code=centre_code, centre_score=centre_score,
                            reason=_reason(status, shares, n, explained, unit_name, centre_code))


def _reason(status: Status, shares: list[CodeShare], n: int, explained: float, unit: str,
            centre_code: str | None) -> str:
    fits = ", ".join(f"{s.code} {s.members} ({s.share:.0%})" for s in shares[:3]) or "no code"
    centre = f"; its centre is nearest {centre_code}" if centre_code else ""
    if status == "straddles":
        return f"two or more codes each fit a majority of its {n} {unit}: {fits}"
    if status == "matched" and shares[0].share >= MAJORITY:
        return f"{shares[0].code} fits {shares[0].members} of its {n} {unit} ({shares[0].share:.0%}){centre}"
    if status == "matched":
        return (f"{shares[0].code} fits {shares[0].members} of its {n} {unit} ({shares[0].share:.0%}), the most of "
                f"any code, and its centre is nearest {centre_code} too")
    if shares and shares[0].share >= MAJORITY:
        return (f"{fits} of its {n} {unit}, but its centre is nearest {centre_code}: the members and the theme as "
                f"a whole point to different codes; read its quotes, it may need a code of its own")
    if explained < MAJORITY:
        return (f"most of its {n} {unit} carry no code at all ({explained:.0%} carry one; best: {fits}){centre}: "
                f"talk the codebook does not cover, small talk or a topic of its own; read its quotes")
    return (f"no code fits half of its {n} {unit} (best: {fits}; {explained:.0%} carry some code){centre}: what "
            f"they share may be a code the codebook lacks; read its quotes")
