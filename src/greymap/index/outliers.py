"""Outlier treatment: keep a few extreme values from dominating an indicator's scale.

The rule of thumb of the JRC's COIN tool and the Handbook: an indicator needs treatment
when its absolute skewness exceeds 2 *and* its (excess) kurtosis exceeds 3.5. Treatment:

``winsorise``  replace the most extreme value on the skewed side by the next value, one
               point at a time, until the rule is met or ``max_winsorised`` points moved;
``log``        ``log(x - min + 1)`` (or its mirror for negative skew), order-preserving;
``auto``       winsorise, and if the rule still fails after ``max_winsorised`` points,
               log-transform the untreated column instead (as COIN does);
``none``       leave the data as they are.

Skewness and kurtosis are the bias-adjusted sample statistics (those pandas and Excel
report), so figures match what a researcher computes by hand in a spreadsheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from greymap.errors import InputError

Array = NDArray[np.float64]

METHODS = ("auto", "winsorise", "log", "none")


@dataclass(frozen=True, slots=True)
class Treatment:
    """What was done to one indicator, for the run record."""

    skew: float
    kurtosis: float
    treatment: str  # none | winsorised | log
    winsorised: int = 0


def skewness(v: Array) -> float:
    """Adjusted Fisher-Pearson skewness G1 (NaN ignored; NaN if fewer than 3 values)."""
    x = v[~np.isnan(v)]
    n = x.size
    if n < 3:
        return math.nan
    d = x - x.mean()
    m2, m3 = float(np.mean(d**2)), float(np.mean(d**3))
    if m2 == 0:
        return 0.0
    return float(math.sqrt(n * (n - 1)) / (n - 2) * m3 / m2**1.5)


def kurtosis(v: Array) -> float:
    """Bias-adjusted excess kurtosis G2 (NaN ignored; NaN if fewer than 4 values)."""
    x = v[~np.isnan(v)]
    n = x.size
    if n < 4:
        return math.nan
    d = x - x.mean()
    m2, m4 = float(np.mean(d**2)), float(np.mean(d**4))
    if m2 == 0:
        return 0.0
    g2 = m4 / m2**2 - 3.0
    return ((n + 1) * g2 + 6.0) * (n - 1) / ((n - 2) * (n - 3))


def needs_treatment(v: Array, max_skew: float, max_kurtosis: float) -> bool:
    s, k = skewness(v), kurtosis(v)
    return not (math.isnan(s) or math.isnan(k)) and abs(s) > max_skew and k > max_kurtosis


def treat(
    x: Array, method: str, max_skew: float = 2.0, max_kurtosis: float = 3.5, max_winsorised: int = 5
) -> tuple[Array, list[Treatment]]:
    """Treat every column of ``x``; returns the treated copy and one record per column."""
    if method not in METHODS:
        raise InputError(
            f"unknown outlier treatment {method!r}; expected one of {', '.join(METHODS)}"
        )
    out = x.astype(np.float64, copy=True)
    records = []
    for j in range(x.shape[1]):
        out[:, j], record = treat_column(x[:, j], method, max_skew, max_kurtosis, max_winsorised)
        records.append(record)
    return out, records


def treat_column(
    v: Array, method: str, max_skew: float, max_kurtosis: float, max_winsorised: int
) -> tuple[Array, Treatment]:
    s, k = skewness(v), kurtosis(v)
    if method == "none" or not needs_treatment(v, max_skew, max_kurtosis):
        return v.copy(), Treatment(s, k, "none")
    if method in ("auto", "winsorise"):
        w, moved = winsorise(v, max_skew, max_kurtosis, max_winsorised)
        if method == "winsorise" or not needs_treatment(w, max_skew, max_kurtosis):
            return w, Treatment(s, k, "winsorised" if moved else "none", moved)
    return log_transform(v, s), Treatment(s, k, "log")


def winsorise(v: Array, max_skew: float, max_kurtosis: float, max_points: int) -> tuple[Array, int]:
    """Pull the extreme value on the skewed side in to the next value, one at a time."""
    w = v.astype(np.float64, copy=True)
    moved = 0
    while moved < max_points and needs_treatment(w, max_skew, max_kurtosis):
        present = np.unique(w[~np.isnan(w)])
        if present.size < 2:
            break
        if skewness(w) > 0:
            extreme, nxt = present[-1], present[-2]
        else:
            extreme, nxt = present[0], present[1]
        hit = w == extreme
        w[hit] = nxt
        moved += int(hit.sum())
    return w, moved


def log_transform(v: Array, skew: float) -> Array:
    """``log(x - min + 1)`` for right skew; ``-log(max - x + 1)`` for left skew."""
    if skew >= 0:
        return np.log(v - np.nanmin(v) + 1.0)
    return -np.log(np.nanmax(v) - v + 1.0)
