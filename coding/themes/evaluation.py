"""How well a theme run lines up with a coder's codes, and whether codes missing from the codebook surface as new.

Turn level. A theme is "mostly about" a code when at least half of its turns carry the code. A code missing from
the codebook counts as found when at most `max_themes` themes flagged `new`, each of at least `min_turns` turns and
mostly about it, together cover at least `min_coverage` of its turns with at least `min_precision` of their turns
carrying it. The same rule scores `qcode evaluate --themes` on a project and the theme benchmark on corpus-dev.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

from pydantic import BaseModel, ConfigDict


class FoundRule(BaseModel):
    model_config = ConfigDict(frozen=True)

    max_themes: int = 4
    min_turns: int = 5
    min_coverage: float = 0.5
    min_precision: float = 0.6


class ThemeAbout(BaseModel):
    model_config = ConfigDict(frozen=True)

    theme: int
    status: str
    turns: int
    with_code: int  # of its turns, how many carry the code

    @property
    def share(self) -> float:
        return self.with_code / self.turns if self.turns else 0.0


class CodeThemes(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    hidden: bool  # left out of the codebook for this check
    turns: int  # turns the coder gave it
    themes: list[ThemeAbout]  # themes mostly about it, most of its turns first
    in_themes: int  # its turns inside any theme at all (the rest are unthemed)
    found_as_new: bool | None  # hidden codes only: does the rule find it
    coverage: float | None  # hidden codes only: share of its turns in the chosen new themes
    precision: float | None


class ThemeEvaluation(BaseModel):
    model_config = ConfigDict(frozen=True)

    themes: int
    new_themes: int
    rule: FoundRule
    codes: list[CodeThemes]

    def found(self) -> list[str]:
        return [c.code for c in self.codes if c.found_as_new]


def evaluate_themes(
    theme_turns: Mapping[int, set[Hashable]],
    status: Mapping[int, str],
    turn_codes: Mapping[Hashable, set[str]],
    hidden: set[str] = frozenset(),
    rule: FoundRule = FoundRule(),
) -> ThemeEvaluation:
    """theme_turns: theme id -> the turns in it (outliers left out); turn_codes: turn -> the coder's codes."""
    all_codes = sorted({c for codes in turn_codes.values() for c in codes})
    themed = set().union(*theme_turns.values()) if theme_turns else set()
    report = []
    for code in all_codes:
        carrying = {t for t, codes in turn_codes.items() if code in codes}
        about = sorted(
            (ThemeAbout(theme=theme, status=status.get(theme, ""), turns=len(turns),
                        with_code=len(turns & carrying))
             for theme, turns in theme_turns.items() if turns and len(turns & carrying) >= 0.5 * len(turns)),
            key=lambda a: (-a.with_code, a.theme))
        found = coverage = precision = None
        if code in hidden:
            found, coverage, precision = _found(about, theme_turns, carrying, rule)
        report.append(CodeThemes(code=code, hidden=code in hidden, turns=len(carrying), themes=about,
                                 in_themes=len(carrying & themed), found_as_new=found, coverage=coverage,
                                 precision=precision))
    return ThemeEvaluation(themes=len(theme_turns), new_themes=sum(1 for t in theme_turns if status.get(t) == "new"),
                           rule=rule, codes=report)


def _found(about: list[ThemeAbout], theme_turns: Mapping[int, set[Hashable]], carrying: set[Hashable],
           rule: FoundRule) -> tuple[bool, float, float]:
    candidates = [a for a in about if a.status == "new" and a.turns >= rule.min_turns][: rule.max_themes]
    union: set[Hashable] = set().union(*(theme_turns[a.theme] for a in candidates)) if candidates else set()
    coverage = len(union & carrying) / len(carrying) if carrying else 0.0
    precision = len(union & carrying) / len(union) if union else 0.0
    found = bool(candidates) and coverage >= rule.min_coverage and precision >= rule.min_precision
    return found, round(coverage, 4), round(precision, 4)
