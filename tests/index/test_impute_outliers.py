"""Imputation flags and outlier treatment, against hand and spreadsheet values."""

from __future__ import annotations

import numpy as np
import pytest

from greymap.errors import InputError
from greymap.index.impute import impute
from greymap.index.outliers import kurtosis, skewness, treat, treat_column

NAN = np.nan
X = np.array([[1.0, 10.0], [NAN, 20.0], [3.0, NAN], [8.0, 30.0]])


def test_mean_imputation_flags_what_it_filled() -> None:
    out, flags = impute(X, "mean")
    assert out[1, 0] == pytest.approx(4.0)  # (1 + 3 + 8) / 3
    assert out[2, 1] == pytest.approx(20.0)
    assert flags.tolist() == [[False, False], [True, False], [False, True], [False, False]]


def test_median_imputation() -> None:
    out, flags = impute(X, "median")
    assert out[1, 0] == 3.0 and out[2, 1] == 20.0 and flags.sum() == 2


def test_no_imputation_leaves_gaps_unflagged() -> None:
    out, flags = impute(X, "none")
    assert np.isnan(out[1, 0]) and not flags.any()


def test_unknown_imputation() -> None:
    with pytest.raises(InputError, match="expected one of none, mean, median"):
        impute(X, "knn")


def test_skewness_and_kurtosis_match_spreadsheet_values() -> None:
    # Excel SKEW / KURT (= pandas Series.skew / kurt) of these data
    v = np.array([1.0, 2.0, 3.0, 4.0, 100.0])
    assert skewness(v) == pytest.approx(2.2323959116364573)
    assert kurtosis(v) == pytest.approx(4.986865957200655)
    assert np.isnan(kurtosis(np.array([1.0, 2.0, 3.0])))


def test_winsorising_pulls_in_the_extreme_value() -> None:
    v = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 200], dtype=float)  # skew 3.15, kurtosis 9.95
    out, record = treat_column(v, "auto", 2.0, 3.5, 5)
    assert out.tolist() == [1, 2, 3, 4, 5, 6, 7, 8, 9, 9]
    assert (record.treatment, record.winsorised) == ("winsorised", 1)
    assert record.skew == pytest.approx(3.1519059141282977)


def test_auto_falls_back_to_log_when_winsorising_is_not_enough() -> None:
    v = np.array([1.0] * 30 + [2.0**k for k in range(1, 13)])
    out, record = treat_column(v, "auto", 2.0, 3.5, 5)
    assert record.treatment == "log"
    assert out[-1] == pytest.approx(np.log(4096.0))  # log(x - min + 1)
    assert out[0] == 0.0


def test_symmetric_data_are_left_alone() -> None:
    x = np.column_stack([np.arange(10.0), np.arange(10.0) ** 1.1])
    out, records = treat(x, "auto")
    assert np.array_equal(out, x) and [r.treatment for r in records] == ["none", "none"]


def test_none_never_treats() -> None:
    v = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 200], dtype=float)
    out, record = treat_column(v, "none", 2.0, 3.5, 5)
    assert out.tolist() == v.tolist() and record.treatment == "none"
