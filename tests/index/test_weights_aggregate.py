"""Weighting and aggregation against hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest

from greymap.errors import InputError
from greymap.index.aggregate import aggregate, arithmetic, geometric
from greymap.index.weights import (
    category_weights,
    correlation_matrix,
    expert_weights,
    factor_weights,
    indicator_weights,
    pca_weights,
    varimax,
)

NAN = np.nan


def block(r1: float, r2: float) -> np.ndarray:
    """Two blocks of two indicators correlated r1 and r2 inside, 0 across."""
    corr = np.eye(4)
    corr[0, 1] = corr[1, 0] = r1
    corr[2, 3] = corr[3, 2] = r2
    return corr


def test_equal_and_expert_weights() -> None:
    x = np.zeros((3, 4))
    assert indicator_weights(x, "equal", np.ones(4)).tolist() == [0.25] * 4
    assert expert_weights(np.array([2.0, 1.0, 1.0])).tolist() == [0.5, 0.25, 0.25]
    assert category_weights("equal", np.array([3.0, 1.0])).tolist() == [0.5, 0.5]
    assert category_weights("pca", np.array([3.0, 1.0])).tolist() == [0.75, 0.25]


def test_pca_weights_by_hand() -> None:
    # first eigenvector of [[1, .5, 0], [.5, 1, 0], [0, 0, 1]] is (1, 1, 0) / sqrt 2
    corr = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.0], [0.0, 0.0, 1.0]])
    assert pca_weights(corr) == pytest.approx([0.5, 0.5, 0.0], abs=1e-12)
    # two indicators: always half each
    assert pca_weights(np.array([[1.0, 0.3], [0.3, 1.0]])) == pytest.approx([0.5, 0.5])


def test_uncorrelated_indicators_fall_back_to_equal_weights() -> None:
    assert pca_weights(np.eye(3)) == pytest.approx([1 / 3] * 3)
    assert factor_weights(np.eye(3)) == pytest.approx([1 / 3] * 3)


def test_factor_weights_by_hand() -> None:
    # eigenvalues 1.8 and 1.6 (> 1) are kept; rotated loadings sqrt(.9) and sqrt(.8) per
    # block; squared loadings scaled to unit sum per factor: 0.5 each; times the factor's
    # share of explained variance 1.8/3.4 and 1.6/3.4.
    w = factor_weights(block(0.8, 0.6))
    assert w == pytest.approx([0.9 / 3.4, 0.9 / 3.4, 0.8 / 3.4, 0.8 / 3.4])


def test_factor_with_one_factor_equals_pca() -> None:
    corr = np.array([[1.0, 0.6, 0.3], [0.6, 1.0, 0.4], [0.3, 0.4, 1.0]])
    assert factor_weights(corr) == pytest.approx(pca_weights(corr))


def test_varimax_recovers_simple_structure() -> None:
    # a 30-degree rotation of a simple structure is rotated back
    simple = np.array([[0.9, 0.0], [0.8, 0.0], [0.0, 0.7], [0.0, 0.6]])
    c, s = np.cos(np.pi / 6), np.sin(np.pi / 6)
    mixed = simple @ np.array([[c, -s], [s, c]])
    rotated = varimax(mixed)
    assert np.abs(rotated) == pytest.approx(np.abs(simple), abs=1e-4) or np.abs(
        rotated[:, ::-1]
    ) == pytest.approx(np.abs(simple), abs=1e-4)


def test_correlation_matrix_pairwise_complete() -> None:
    x = np.array([[1.0, 2.0], [2.0, 4.0], [3.0, NAN], [4.0, 8.0]])
    assert correlation_matrix(x) == pytest.approx(np.ones((2, 2)))


def test_arithmetic_by_hand() -> None:
    x = np.array([[100.0, 50.0], [0.0, 20.0]])
    assert arithmetic(x, np.array([0.75, 0.25])).tolist() == [87.5, 5.0]


def test_arithmetic_reweights_over_missing_values() -> None:
    x = np.array([[100.0, NAN], [NAN, NAN]])
    out = arithmetic(x, np.array([0.75, 0.25]))
    assert out[0] == 100.0 and np.isnan(out[1])


def test_geometric_by_hand() -> None:
    x = np.array([[100.0, 1.0], [4.0, 16.0]])
    # 100^.5 * 1^.5 = 10 ; 4^.5 * 16^.5 = 8
    assert geometric(x, np.array([0.5, 0.5])) == pytest.approx([10.0, 8.0])
    # weights 0.75 / 0.25: 4^.75 * 16^.25 = 2^1.5 * 2 = 5.657
    assert geometric(x, np.array([0.75, 0.25]))[1] == pytest.approx(2**2.5)


def test_geometric_needs_positive_values() -> None:
    with pytest.raises(InputError, match="positive values"):
        geometric(np.array([[0.0, 1.0]]), np.array([0.5, 0.5]))


def test_batched_weights_give_one_column_per_draw() -> None:
    x = np.array([[100.0, 0.0], [0.0, 100.0]])
    w = np.array([[1.0, 0.5, 0.0], [0.0, 0.5, 1.0]])  # 3 draws
    assert aggregate(x, w, "arithmetic").tolist() == [[100.0, 50.0, 0.0], [0.0, 50.0, 100.0]]
    with pytest.raises(InputError, match="unknown aggregation"):
        aggregate(x, w, "harmonic")
