"""Themes beyond the codebook: take part of what the codes' own texts describe out of each unit before clustering.

Theme discovery is asked what the codebook misses. Talk the codebook lacks is rarely apart from what it has: a
turn about a vendor's contract is also about cost and student data, a turn about hiring is also about training. In
the plain embedding such turns sit inside the known codes' regions, so they cluster with them, and the theme that
holds them is (rightly, by its members) matched to a known code. Shrinking every unit along the directions of the
codes' prototypes (the mean embedding of each code's name, definition, include rules and examples, as the status
check uses) makes what the codebook already names count less, so the rest (vendors, staffing) pulls units
together.

The discount only shapes the space that is clustered. Centres, representatives, keywords and the status against
the codebook still come from the full embedding, so a theme is judged on everything its members say.

x' = x - d * Q Q^T x, renormalised, where Q is an orthonormal basis of the codes' prototypes and d the discount:
0 leaves the space as it is, 1 removes the codebook's directions entirely.

Measured on corpus-dev (MiniLM, turns, 5 UMAP seeds; `python -m benchmarks.bench_themes --choose-per-half`):
with the discount (0, 0.5, 1) and the wording weight (0, 0.5, 1) chosen on each tuning half of 6 document splits,
the two codes left out of the codebook were found as new 0.67 times of 2 per check half and seed (VENDORS 19 of 30,
STAFFING 1 of 30), against 0.30 with neither (VENDORS 8, STAFFING 1). The tuning halves chose a discount of 0.5
with wording 0.5 four times of six (1 with 0.5 twice), hence the defaults; theme purity rose from 0.57 to 0.62.
"""

from __future__ import annotations

import numpy as np

from coding.embedding.base import normalise_rows


def codebook_basis(prototypes: np.ndarray, dimension: int) -> np.ndarray:
    """(dimension, r) orthonormal columns spanning the code prototypes (rank r <= number of codes); empty without
    codes. Near-duplicate prototypes add no direction."""
    prototypes = np.asarray(prototypes, dtype=np.float64).reshape(-1, dimension)
    prototypes = prototypes[np.linalg.norm(prototypes, axis=1) > 0]
    if len(prototypes) == 0:
        return np.zeros((dimension, 0))
    left, singular, _ = np.linalg.svd(prototypes.T, full_matrices=False)
    keep = singular > singular[0] * 1e-6
    return left[:, keep]


def discount_codebook(unit: np.ndarray, prototypes: np.ndarray | None, discount: float) -> np.ndarray:
    """Unit rows with `discount` of their component along the code prototypes removed, renormalised to unit length.

    `unit` unchanged when the discount is 0 or there are no prototypes. A row that lies wholly inside the codebook's
    directions (nothing left with discount 1) keeps its original direction rather than becoming zero.
    """
    unit = np.asarray(unit, dtype=np.float32)
    if discount <= 0 or prototypes is None or len(prototypes) == 0 or unit.size == 0:
        return unit
    basis = codebook_basis(prototypes, unit.shape[1])
    if basis.shape[1] == 0:
        return unit
    projected = (unit.astype(np.float64) @ basis) @ basis.T
    remaining = unit - discount * projected
    empty = np.linalg.norm(remaining, axis=1) < 1e-9
    remaining[empty] = unit[empty]
    return normalise_rows(remaining.astype(np.float32))
