"""Normalisation: put indicators measured in different units on one comparable scale.

Every method works column by column on an ``(countries, indicators)`` array with NaN for
missing values, and turns each column so that *higher means more capable*: a column whose
``positive`` flag is False (a risk score, a crime market) is reversed. The four methods are
those of the OECD/JRC Handbook on Constructing Composite Indicators (2008, section 5):

=======================  ==========================================================
``minmax``               ``100 * (x - min) / (max - min)``: 0 = worst, 100 = best
``zscore``               ``(x - mean) / sd`` (sample sd, ddof=1): mean 0, sd 1
``rank``                 ``100 * rank / n`` (average ranks for ties): (0, 100]
``distance_to_frontier`` ``100 * x / max`` (or ``100 * min / x`` when lower is better):
                         the share of the best performer's value, 100 = the frontier
=======================  ==========================================================

A column with no variation carries no information; it becomes 50 (minmax), 0 (zscore),
100 (rank, distance to frontier) so that it shifts every country alike.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from greymap.errors import InputError

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]

METHODS = ("minmax", "zscore", "rank", "distance_to_frontier")


def normalise(x: Array, method: str, positive: Mask) -> Array:
    """Apply ``method`` to every column of ``x``; ``positive[j]``: higher raw is better."""
    try:
        func = _METHODS[method]
    except KeyError:
        raise InputError(
            f"unknown normalisation {method!r}; expected one of {', '.join(METHODS)}"
        ) from None
    out = np.full_like(x, np.nan, dtype=np.float64)
    for j in range(x.shape[1]):
        out[:, j] = func(x[:, j].astype(np.float64), bool(positive[j]))
    return out


def minmax(v: Array, positive: bool = True) -> Array:
    lo, hi = np.nanmin(v), np.nanmax(v)
    if hi == lo:
        return np.where(np.isnan(v), np.nan, 50.0)
    scaled = 100.0 * (v - lo) / (hi - lo)
    return scaled if positive else 100.0 - scaled


def zscore(v: Array, positive: bool = True) -> Array:
    present = v[~np.isnan(v)]
    sd = float(np.std(present, ddof=1)) if present.size > 1 else 0.0
    if sd == 0.0:
        return np.where(np.isnan(v), np.nan, 0.0)
    z: Array = (v - present.mean()) / sd
    return z if positive else -z


def rank(v: Array, positive: bool = True) -> Array:
    out = np.full_like(v, np.nan)
    present = ~np.isnan(v)
    values = v[present] if positive else -v[present]
    if values.size == 0:
        return out
    out[present] = 100.0 * average_ranks(values) / values.size
    return out


def distance_to_frontier(v: Array, positive: bool = True) -> Array:
    """Ratio to the best value. Ratios need positive data: a column with values <= 0 is
    first shifted so its minimum is 1% of its range (the shift is reported by
    :func:`positive_shift`)."""
    lo, hi = np.nanmin(v), np.nanmax(v)
    if hi == lo:
        return np.where(np.isnan(v), np.nan, 100.0)
    w = positive_shift(v)
    return 100.0 * w / np.nanmax(w) if positive else 100.0 * np.nanmin(w) / w


def positive_shift(v: Array) -> Array:
    """``v`` itself when all values are > 0, else ``v`` shifted so that its minimum is 1%
    of its range (a 0-100 column becomes 1-101); a constant column becomes all 1.

    Geometric means and ratios are only defined for positive values; the shift is
    relative to the range so it does not depend on the unit.
    """
    lo, hi = np.nanmin(v), np.nanmax(v)
    if lo > 0:
        return v
    if hi == lo:
        return np.where(np.isnan(v), np.nan, 1.0)
    return v - lo + 0.01 * (hi - lo)


def average_ranks(values: Array) -> Array:
    """Ranks 1..n of a 1-D array without NaN, ties sharing their average rank."""
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    starts = ends - counts
    return ((starts + 1 + ends) / 2.0)[inverse]


_METHODS: dict[str, Callable[[Array, bool], Array]] = {
    "minmax": minmax,
    "zscore": zscore,
    "rank": rank,
    "distance_to_frontier": distance_to_frontier,
}
