"""Theme discovery: cluster excerpt embeddings into candidate themes and compare them with the codebook.

Pure library code (no storage): `discover_themes` turns vectors and texts into a `ThemeResult`; `reconcile` scores
its theme centroids against code prototypes. Stages are replaceable objects, as in BERTopic.
"""

from coding.themes.cluster import Clustering, HdbscanClusterer, PrecomputedClusterer
from coding.themes.discover import Outlier, Theme, ThemeResult, discover_themes
from coding.themes.reconcile import CodeScore, ReconcileSettings, ThemeCodeMatch, code_prototype_texts, reconcile
from coding.themes.reduce import IdentityReducer, PcaReducer, UmapReducer
from coding.themes.settings import ThemeSettings, scaled_min_cluster_size

__all__ = [
    "Clustering",
    "CodeScore",
    "HdbscanClusterer",
    "IdentityReducer",
    "Outlier",
    "PcaReducer",
    "PrecomputedClusterer",
    "ReconcileSettings",
    "Theme",
    "ThemeCodeMatch",
    "ThemeResult",
    "ThemeSettings",
    "UmapReducer",
    "code_prototype_texts",
    "discover_themes",
    "reconcile",
    "scaled_min_cluster_size",
]
