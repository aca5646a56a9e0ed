"""Nearest-neighbour search used to feed UMAP and to place excerpts outside the fitted sample."""

from __future__ import annotations

import numpy as np

from coding.themes.knn import approximate_knn, exact_knn
from tests.themes.planted import sphere_blobs


def _brute_force(queries, points, k, exclude_self=False):
    similarity = queries @ points.T
    if exclude_self:
        np.fill_diagonal(similarity, -np.inf)
    return np.argsort(-similarity, axis=1, kind="stable")[:, :k]


def test_exact_knn_matches_brute_force_nearest_first():
    points, _ = sphere_blobs(centres=5, per_blob=40, seed=1)
    indices, distances = exact_knn(points[:50], points, 7)
    assert np.array_equal(indices, _brute_force(points[:50], points, 7))
    assert np.all(np.diff(distances, axis=1) >= 0)
    assert np.allclose(distances[:, 0], 0.0, atol=1e-5)  # each query is itself a point


def test_exact_knn_can_leave_each_point_out_of_its_own_list():
    points, _ = sphere_blobs(centres=3, per_blob=30, seed=2)
    indices, _ = exact_knn(points, points, 5, exclude_self=True)
    assert not np.any(indices == np.arange(len(points))[:, None])
    assert np.array_equal(indices, _brute_force(points, points, 5, exclude_self=True))


def test_approximate_knn_finds_most_true_neighbours_and_reproduces():
    points, _ = sphere_blobs(centres=20, per_blob=120, dimension=48, seed=4)
    queries, fitted = points[::2], points[1::2]
    first = approximate_knn(queries, fitted, 10, seed=5)
    second = approximate_knn(queries, fitted, 10, seed=5)
    assert np.array_equal(first[0], second[0])
    truth = _brute_force(queries, fitted, 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(first[0], truth)])
    assert recall > 0.8
