"""Theme discovery: cluster excerpt embeddings into candidate themes and compare them with the codebook."""

from coding.themes.cluster import Clustering, HdbscanClusterer, PrecomputedClusterer
from coding.themes.discover import Outlier, Theme, ThemeResult, discover_themes
from coding.themes.reduce import IdentityReducer, PcaReducer, UmapReducer
from coding.themes.settings import ThemeSettings, scaled_min_cluster_size

__all__ = [
    "Clustering",
    "HdbscanClusterer",
    "IdentityReducer",
    "Outlier",
    "PcaReducer",
    "PrecomputedClusterer",
    "Theme",
    "ThemeResult",
    "ThemeSettings",
    "UmapReducer",
    "discover_themes",
    "scaled_min_cluster_size",
]
