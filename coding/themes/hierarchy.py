"""A reviewable top level over the fine themes: sub-themes grouped by the similarity of their centres.

HDBSCAN's leaf clusters are fine-grained (tens of small, homogeneous themes); its 'eom' selection on interviews
tends to keep one root cluster holding almost everything. So the top level is built on the leaves instead: average
linkage on the cosine distance between theme centres, cut into `top_level_count(k)` groups. The count grows like
the square root of the number of themes (4 themes -> 3 groups, 16 -> 6, 50 -> 10, 450 -> 30) and never passes
`max_groups`, so the top level stays something a researcher can read in one sitting while a large study still
shows its coarse structure.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from coding.embedding.base import normalise_rows

MAX_TOP_LEVEL_THEMES = 30


def top_level_count(n_themes: int, max_groups: int = MAX_TOP_LEVEL_THEMES) -> int:
    """How many top-level groups `n_themes` fine themes are gathered into."""
    if n_themes <= 1:
        return n_themes
    return max(1, min(max_groups, n_themes, math.ceil(math.sqrt(2 * n_themes))))


def group_themes(centroids: np.ndarray, max_groups: int = MAX_TOP_LEVEL_THEMES) -> np.ndarray:
    """Top-level group 1..g for each fine theme (rows of `centroids`); groups numbered by size, largest first,
    ties by their first theme. Deterministic: no random step."""
    centroids = normalise_rows(np.atleast_2d(np.asarray(centroids, dtype=np.float32)))
    k = len(centroids) if np.asarray(centroids).size else 0
    if k == 0:
        return np.zeros(0, dtype=np.int64)
    wanted = top_level_count(k, max_groups)
    if wanted >= k:
        raw = np.arange(k)
    else:
        tree = linkage(centroids.astype(np.float64), method="average", metric="cosine")
        raw = fcluster(tree, t=wanted, criterion="maxclust") - 1
    groups = sorted(set(raw.tolist()), key=lambda g: (-int(np.sum(raw == g)), int(np.argmax(raw == g))))
    renumber = {g: i + 1 for i, g in enumerate(groups)}
    return np.array([renumber[g] for g in raw.tolist()], dtype=np.int64)
