"""Normalisation methods against values worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from greymap.errors import InputError
from greymap.index.normalise import (
    average_ranks,
    distance_to_frontier,
    minmax,
    normalise,
    positive_shift,
    rank,
    zscore,
)

NAN = np.nan
V = np.array([2.0, 4.0, 6.0, 10.0])


def test_minmax_by_hand() -> None:
    # (x - 2) / 8 * 100
    assert minmax(V).tolist() == [0.0, 25.0, 50.0, 100.0]
    assert minmax(V, positive=False).tolist() == [100.0, 75.0, 50.0, 0.0]


def test_zscore_by_hand() -> None:
    # mean 5.5, sample sd sqrt(((3.5^2 + 1.5^2 + 0.5^2 + 4.5^2) / 3)) = sqrt(35/3)
    sd = np.sqrt(35 / 3)
    assert zscore(V) == pytest.approx([-3.5 / sd, -1.5 / sd, 0.5 / sd, 4.5 / sd])
    assert zscore(V, positive=False) == pytest.approx([3.5 / sd, 1.5 / sd, -0.5 / sd, -4.5 / sd])


def test_rank_by_hand_with_ties() -> None:
    v = np.array([3.0, 1.0, 3.0, 7.0])  # ranks 2.5, 1, 2.5, 4 of n = 4
    assert rank(v).tolist() == [62.5, 25.0, 62.5, 100.0]
    # lower is better: ranks of -v are 2.5, 4, 2.5, 1
    assert rank(v, positive=False).tolist() == [62.5, 100.0, 62.5, 25.0]


def test_distance_to_frontier_by_hand() -> None:
    assert distance_to_frontier(V).tolist() == [20.0, 40.0, 60.0, 100.0]  # x / 10
    assert distance_to_frontier(V, positive=False) == pytest.approx(
        [100.0, 50.0, 100 / 3, 20.0]
    )  # 2 / x


def test_distance_to_frontier_shifts_non_positive_data() -> None:
    # 0..10: shift by 1% of the range (0.1): 0.1, 5.1, 10.1
    v = np.array([0.0, 5.0, 10.0])
    assert distance_to_frontier(v) == pytest.approx([100 * 0.1 / 10.1, 100 * 5.1 / 10.1, 100.0])


def test_positive_shift() -> None:
    assert positive_shift(np.array([0.0, 50.0, 100.0])).tolist() == [1.0, 51.0, 101.0]
    assert positive_shift(np.array([-2.0, 0.0, 2.0])) == pytest.approx([0.04, 2.04, 4.04])
    kept = np.array([0.5, 3.0])
    assert positive_shift(kept) is kept
    assert positive_shift(np.array([0.0, 0.0])).tolist() == [1.0, 1.0]


def test_missing_values_stay_missing_and_do_not_count() -> None:
    v = np.array([2.0, NAN, 10.0, 6.0])
    assert np.isnan(minmax(v)[1]) and minmax(v)[[0, 2, 3]].tolist() == [0.0, 100.0, 50.0]
    assert rank(v)[[0, 2, 3]] == pytest.approx([100 / 3, 100.0, 200 / 3])  # n = 3


def test_constant_column_is_neutral() -> None:
    v = np.array([3.0, 3.0, 3.0])
    assert minmax(v).tolist() == [50.0] * 3
    assert zscore(v).tolist() == [0.0] * 3
    assert distance_to_frontier(v).tolist() == [100.0] * 3


def test_normalise_applies_direction_per_column() -> None:
    x = np.column_stack([V, V])
    out = normalise(x, "minmax", np.array([True, False]))
    assert out[:, 0].tolist() == [0.0, 25.0, 50.0, 100.0]
    assert out[:, 1].tolist() == [100.0, 75.0, 50.0, 0.0]
    with pytest.raises(InputError, match="unknown normalisation 'bogus'"):
        normalise(x, "bogus", np.array([True, True]))


def test_average_ranks() -> None:
    assert average_ranks(np.array([5.0, 1.0, 5.0, 5.0])).tolist() == [3.0, 1.0, 3.0, 3.0]
