"""Correlation structure of an index: do its parts pull together, repeat, or contradict?

Computed on the nominal run's normalised values, which are already turned so that higher
means more capable, over the values a country reported (imputed cells are left out so the
fill-in cannot manufacture agreement). Flags follow the JRC's statistical audits:

``redundant``  two indicators correlate above ``redundant_above`` (default 0.92): they
               measure the same thing and double its weight
``contrary``   a correlation below ``contrary_below`` (default -0.3): a trade-off inside
               the index, so the aggregate hides opposite movements
``weak``       an indicator (or category) correlates below ``weak_below`` (default 0.3) with
               the category (or index) it belongs to: it is not well captured by it

Benchmark rows compare each component with a published ranking (Spearman's rho on the
countries both cover), turned the same way round (higher = more capable).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from greymap.index.normalise import average_ranks
from greymap.index.weights import pearson

Array = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Thresholds:
    redundant_above: float = 0.92
    contrary_below: float = -0.3
    weak_below: float = 0.3


@dataclass(frozen=True, slots=True)
class Correlation:
    level: str  # indicator | indicator_category | category | category_index | benchmark
    a: str
    b: str
    same_category: bool | None
    pearson: float
    spearman: float
    n: int
    flag: str


def spearman(a: Array, b: Array) -> float:
    """Spearman's rho: Pearson's r of the average ranks, over pairwise-complete rows."""
    both = ~(np.isnan(a) | np.isnan(b))
    if both.sum() < 3:
        return float("nan")
    return pearson(average_ranks(a[both]), average_ranks(b[both]))


def correlate(
    level: str, a: str, b: str, x: Array, y: Array, flag: str = "", same: bool | None = None
) -> Correlation:
    n = int(np.sum(~(np.isnan(x) | np.isnan(y))))
    r = pearson(x, y) if n >= 3 else float("nan")
    return Correlation(level, a, b, same, r, spearman(x, y), n, flag)


def pair_flag(r: float, t: Thresholds) -> str:
    if r >= t.redundant_above:
        return "redundant"
    return "contrary" if r <= t.contrary_below else ""


def member_flag(r: float, t: Thresholds) -> str:
    if r <= t.contrary_below:
        return "contrary"
    return "weak" if r < t.weak_below else ""


def structure(
    observed: Array,
    indicators: list[str],
    groups: list[list[int]],
    categories: list[str],
    category_scores: Array,
    scores: Array,
    t: Thresholds,
) -> list[Correlation]:
    """Indicator pairs, indicator vs its category, category pairs, category vs index."""
    group_of = {j: k for k, cols in enumerate(groups) for j in cols}
    out = []
    for a in range(len(indicators)):
        for b in range(a + 1, len(indicators)):
            c = correlate("indicator", indicators[a], indicators[b], observed[:, a], observed[:, b])
            same = group_of[a] == group_of[b]
            out.append(
                Correlation(
                    c.level, c.a, c.b, same, c.pearson, c.spearman, c.n, pair_flag(c.pearson, t)
                )
            )
    for j, name in enumerate(indicators):
        k = group_of[j]
        c = correlate(
            "indicator_category", name, categories[k], observed[:, j], category_scores[:, k]
        )
        out.append(_flagged(c, member_flag(c.pearson, t) if len(groups[k]) > 1 else ""))
    for a in range(len(categories)):
        for b in range(a + 1, len(categories)):
            c = correlate(
                "category",
                categories[a],
                categories[b],
                category_scores[:, a],
                category_scores[:, b],
            )
            out.append(_flagged(c, pair_flag(c.pearson, t)))
        c = correlate("category_index", categories[a], "index", category_scores[:, a], scores)
        out.append(_flagged(c, member_flag(c.pearson, t) if len(categories) > 1 else ""))
    return out


def benchmarks(components: dict[str, Array], published: dict[str, Array]) -> list[Correlation]:
    """Every component (``index`` and each category) against every published ranking."""
    return [
        correlate("benchmark", name, bench, values, ref)
        for bench, ref in published.items()
        for name, values in components.items()
    ]


def _flagged(c: Correlation, flag: str) -> Correlation:
    return Correlation(c.level, c.a, c.b, c.same_category, c.pearson, c.spearman, c.n, flag)
