"""Theme settings: scaled defaults and serialisation into the manifest."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from coding.themes import ThemeSettings, scaled_min_cluster_size
from coding.themes.settings import scaled_min_samples


@pytest.mark.parametrize(
    ("n", "expected"), [(0, 5), (20, 5), (300, 9), (1_500, 19), (10_000, 50), (100_000, 158)]
)
def test_min_cluster_size_grows_with_the_square_root_of_the_corpus(n, expected):
    assert scaled_min_cluster_size(n) == expected


def test_smallest_theme_is_a_falling_share_of_a_growing_corpus():
    assert scaled_min_cluster_size(300) / 300 > scaled_min_cluster_size(100_000) / 100_000
    assert 100_000 / scaled_min_cluster_size(100_000) < 1_000  # at most some hundreds of themes to review


def test_explicit_sizes_override_the_scaled_ones():
    settings = ThemeSettings(min_cluster_size=12, min_samples=2)
    assert settings.resolved_min_cluster_size(100_000) == 12
    assert settings.resolved_min_samples(100_000) == 2


def test_min_samples_defaults_to_a_quarter_of_the_theme_size_but_at_least_three():
    assert ThemeSettings().resolved_min_samples(100_000) == scaled_min_samples(158) == 39
    assert ThemeSettings().resolved_min_samples(300) == 3


def test_settings_round_trip_through_json_for_the_manifest():
    settings = ThemeSettings(reducer="pca", seed=7, extra_stop_words=("district",))
    assert ThemeSettings.model_validate_json(settings.model_dump_json()) == settings


def test_unknown_reducer_is_refused():
    with pytest.raises(ValidationError):
        ThemeSettings(reducer="tsne")
