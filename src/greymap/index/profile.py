"""Country profiles: where a country is strong or weak compared with its peers.

Peers are the ``peers`` countries whose nominal index score is closest to the country's
own: comparing Finland with Libya says little; comparing it with the countries of similar
overall standing shows what sets it apart. For each category and each indicator the
profile gives the country's normalised value, the peers' median, the difference, and the
country's percentile among all scored countries. The ``top`` largest positive differences
at each level (at most half the components) are its strengths, the ``top`` largest
negative ones its weaknesses; values
that were imputed are never called a strength or a weakness (they are not evidence).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class ProfileRow:
    country: str
    level: str  # category | indicator
    component: str
    category: str
    value: float
    peer_median: float
    difference: float
    percentile: float
    imputed: bool
    assessment: str  # strength | weakness | ""


def peers_of(scores: Array, i: int, k: int) -> NDArray[np.int64]:
    """The ``k`` countries (not ``i`` itself) with the scores closest to country ``i``'s;
    ties broken by row order, so profiles are reproducible."""
    distance = np.abs(scores - scores[i])
    distance[i] = np.inf
    return np.argsort(distance, kind="stable")[: min(k, scores.size - 1)]


def percentile(column: Array, i: int) -> float:
    """Share (0-100) of the other countries with a lower value; ties count half."""
    others = np.delete(column, i)
    others = others[~np.isnan(others)]
    if others.size == 0 or np.isnan(column[i]):
        return float("nan")
    below = np.sum(others < column[i]) + 0.5 * np.sum(others == column[i])
    return float(100.0 * below / others.size)


def profile_rows(
    i: int,
    country: str,
    level: str,
    names: list[str],
    categories: list[str],
    values: Array,
    imputed: Mask,
    peers: NDArray[np.int64],
    top: int,
) -> list[ProfileRow]:
    """One level (categories or indicators) of one country's profile."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a column all NaN among the peers
        medians = np.nanmedian(values[peers], axis=0) if peers.size else np.full(len(names), np.nan)
    diffs = values[i] - medians
    usable = ~imputed[i] & ~np.isnan(diffs)
    order = np.argsort(-np.where(usable, diffs, np.nan), kind="stable")
    ranked = [j for j in order if usable[j]]
    top = min(top, max(1, len(names) // 2))  # with 4 categories: at most 2 of each
    strengths = {j for j in ranked[:top] if diffs[j] > 0}
    weaknesses = {j for j in ranked[::-1][:top] if diffs[j] < 0}
    return [
        ProfileRow(
            country,
            level,
            names[j],
            categories[j],
            float(values[i, j]),
            float(medians[j]),
            float(diffs[j]),
            percentile(values[:, j], i),
            bool(imputed[i, j]),
            "strength" if j in strengths else "weakness" if j in weaknesses else "",
        )
        for j in range(len(names))
    ]
