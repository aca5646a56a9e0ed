"""Choose on one part of a labelled corpus, report on the other: document splits for honest quality figures.

A labelled corpus is the only evidence a method or constant is right, and a figure measured on the data it was
chosen on flatters it. Every quality benchmark therefore splits the interviews by document into two halves, chooses
on the tuning half, reports on the check half, swaps the halves, and repeats with other seeds; the spread over the
repeats says how much a figure moves with the choice of interviews.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Split:
    seed: int
    tuning: frozenset[str]  # document names
    check: frozenset[str]

    @property
    def name(self) -> str:
        return f"seed {self.seed}, check {','.join(sorted(self.check))[:23]}..."


def document_splits(documents: Sequence[str], seeds: Sequence[int] = (0, 1, 2)) -> list[Split]:
    """Repeated 2-fold by document: per seed, a random half tunes and the other checks, then the reverse."""
    names = sorted(set(documents))
    splits = []
    for seed in seeds:
        order = np.random.default_rng(seed).permutation(len(names))
        first = frozenset(names[i] for i in order[: len(names) // 2])
        second = frozenset(names) - first
        splits += [Split(seed, first, second), Split(seed, second, first)]
    return splits


def mean_kappa(decided: np.ndarray, gold: np.ndarray, rows: np.ndarray | None = None) -> float:
    """Plain mean over codes of Cohen's kappa between two (units x codes) boolean matrices, on `rows` only."""
    if rows is not None:
        decided, gold = decided[rows], gold[rows]
    return float(np.mean(binary_kappas(decided, gold)))


def binary_kappas(decided: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """Cohen's kappa per column of two boolean matrices (as coding.stats.cohen_kappa, vectorised for grids)."""
    a = np.asarray(decided, dtype=np.float64)
    b = np.asarray(gold, dtype=np.float64)
    n = len(a)
    observed = (a == b).mean(0)
    pa, pb = a.mean(0), b.mean(0)
    chance = pa * pb + (1 - pa) * (1 - pb)
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = (observed - chance) / (1 - chance)
    return np.where(np.isclose(chance, 1.0) if n else True, 1.0, kappa)


def part_rows(unit_documents: np.ndarray, part: frozenset[str]) -> np.ndarray:
    return np.isin(unit_documents, sorted(part))


@dataclass(frozen=True)
class SplitFigure:
    split: Split
    chosen: str  # the candidate chosen on the tuning half
    tuning: float
    check: float


def choose_and_check(
    candidates: dict[str, np.ndarray], gold: np.ndarray, unit_documents: np.ndarray, splits: Sequence[Split]
) -> list[SplitFigure]:
    """Per split, the candidate (name -> decided units x codes) with the best tuning-half mean kappa, and its
    check-half figure. One candidate is the plain 'report both halves' case."""
    figures = []
    for split in splits:
        tuning_rows = part_rows(unit_documents, split.tuning)
        check_rows = part_rows(unit_documents, split.check)
        scored = {name: mean_kappa(decided, gold, tuning_rows) for name, decided in candidates.items()}
        best = max(scored, key=lambda name: (scored[name], name))
        figures.append(SplitFigure(split, best, scored[best], mean_kappa(candidates[best], gold, check_rows)))
    return figures


def summary(figures: Sequence[SplitFigure]) -> str:
    tuning = np.array([f.tuning for f in figures])
    check = np.array([f.check for f in figures])
    return (f"tuning {tuning.mean():.3f} (min {tuning.min():.3f}, max {tuning.max():.3f})   "
            f"check {check.mean():.3f} (min {check.min():.3f}, max {check.max():.3f}, sd {check.std():.3f})")


def print_figures(title: str, figures: Sequence[SplitFigure], show_choice: bool = False,
                  out: Callable[[str], None] = print) -> None:
    out(f"{title}: {summary(figures)}")
    if show_choice:
        for f in figures:
            out(f"    {f.split.name:40s} chose {f.chosen:28s} tuning {f.tuning:.3f} check {f.check:.3f}")
