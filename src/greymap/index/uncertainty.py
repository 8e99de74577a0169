"""Uncertainty and sensitivity analysis of the ranks (OECD/JRC Handbook, section 7).

Each Monte Carlo draw picks one alternative at random for every methodological choice
(imputation, outlier treatment, normalisation, weighting, aggregation) and multiplies each
category weight by an independent uniform factor in ``[1 - noise, 1 + noise]``. A draw's
ranks give, per country, a rank interval (the central ``interval`` share of its ranks).

The work is vectorised: category scores depend only on the discrete choices, so they are
computed once per distinct combination of choices, and all the draws sharing that
combination are aggregated at once with a ``(categories, draws)`` weight matrix.

First-order sensitivity of the ranks to a choice X is ``Var(E[rank | X]) / Var(rank)``,
estimated from the group means of the draws (a continuous weight factor is cut into
``bins`` equal-count bins). It is pooled over countries (the share of all rank variance
that X explains on its own); the remainder ``1 - sum(first_order)`` is due to interactions.
A fixed seed gives identical draws, hence identical intervals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from greymap.index.aggregate import aggregate
from greymap.index.composite import CHOICES, Choices, IndexData, OutlierRule, compute, draw_ranks

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Design:
    """What the Monte Carlo varies; ``alternatives[choice]`` lists the options drawn from."""

    alternatives: Mapping[str, Sequence[str]]
    draws: int = 1000
    seed: int = 0
    weight_noise: float = 0.25
    interval: float = 0.9
    bins: int = 10


@dataclass
class MonteCarlo:
    scores: Array  # (n, draws)
    ranks: IntArray  # (n, draws)
    levels: dict[str, IntArray]  # factor -> level index per draw
    level_names: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class Interval:
    rank_median: float
    rank_mean: float
    rank_low: int
    rank_high: int


@dataclass(frozen=True, slots=True)
class Sensitivity:
    factor: str
    levels: str
    first_order: float
    first_order_mean: float


def run_monte_carlo(
    data: IndexData, design: Design, base: Choices, rule: OutlierRule | None = None
) -> MonteCarlo:
    rng = np.random.default_rng(design.seed)
    picks = {c: rng.integers(0, len(design.alternatives[c]), design.draws) for c in CHOICES}
    noise = rng.uniform(
        1 - design.weight_noise, 1 + design.weight_noise, (design.draws, len(data.categories))
    )
    scores = np.empty((len(data.countries), design.draws))
    combos = np.stack([picks[c] for c in CHOICES], axis=1)
    cache: dict[tuple[str, ...], Any] = {}
    for combo in np.unique(combos, axis=0):
        draws = np.flatnonzero(np.all(combos == combo, axis=1))
        choices = replace(
            base, **{c: design.alternatives[c][int(i)] for c, i in zip(CHOICES, combo, strict=True)}
        )
        result = compute(data, choices, rule, cache)
        weights = result.category_weights[:, np.newaxis] * noise[draws].T
        weights = weights / weights.sum(axis=0, keepdims=True)
        ready = result.category_scores
        scores[:, draws] = aggregate(ready, weights, choices.aggregation)
    levels: dict[str, IntArray] = {c: picks[c].astype(np.int64) for c in CHOICES}
    names = {c: list(design.alternatives[c]) for c in CHOICES}
    if design.weight_noise > 0:
        for k, category in enumerate(data.categories):
            levels[f"weight:{category}"] = _bins(noise[:, k], design.bins)
            names[f"weight:{category}"] = [f"bin {b + 1}" for b in range(design.bins)]
    return MonteCarlo(scores, draw_ranks(scores), levels, names)


def intervals(mc: MonteCarlo, interval: float) -> list[Interval]:
    """Per country: median and mean rank and the central ``interval`` of its ranks.

    Only ranks are summarised: scores of different draws are on different scales (a
    z-score draw and a min-max draw), ranks are comparable across all of them.
    """
    tail = (1 - interval) / 2
    low = np.quantile(mc.ranks, tail, axis=1, method="lower")
    high = np.quantile(mc.ranks, 1 - tail, axis=1, method="higher")
    median = np.median(mc.ranks, axis=1)
    mean = mc.ranks.mean(axis=1)
    return [
        Interval(float(median[i]), float(mean[i]), int(low[i]), int(high[i]))
        for i in range(mc.ranks.shape[0])
    ]


def sensitivity(mc: MonteCarlo) -> list[Sensitivity]:
    """First-order index of every factor, plus the interaction remainder."""
    ranks = mc.ranks.astype(np.float64)
    total = ranks.var(axis=1)
    out = []
    for factor, level in mc.levels.items():
        between = _between_variance(ranks, level)
        pooled = float(between.sum() / total.sum()) if total.sum() > 0 else 0.0
        moving = total > 0
        mean = float(np.mean(between[moving] / total[moving])) if moving.any() else 0.0
        active = [mc.level_names[factor][i] for i in np.unique(level)]
        label = ";".join(active) if len(active) <= 6 else f"{len(active)} equal-count bins"
        out.append(Sensitivity(factor, label, pooled, mean))
    choices = [s.first_order for s in out]
    out.append(Sensitivity("interactions", "", max(0.0, 1.0 - sum(choices)), float("nan")))
    return out


def _between_variance(ranks: Array, level: IntArray) -> Array:
    """``Var(E[rank | level])`` per country, weighting each level by its share of draws."""
    onehot = np.zeros((level.size, int(level.max()) + 1))
    onehot[np.arange(level.size), level] = 1.0
    counts = onehot.sum(axis=0)
    used = counts > 0
    means = (ranks @ onehot[:, used]) / counts[used]
    share = counts[used] / level.size
    grand = ranks.mean(axis=1, keepdims=True)
    return np.asarray(((means - grand) ** 2) @ share, dtype=np.float64)


def _bins(values: Array, bins: int) -> IntArray:
    """Equal-count bins 0..bins-1 of a continuous factor."""
    order = np.argsort(values, kind="stable")
    level = np.empty(values.size, dtype=np.int64)
    level[order] = np.arange(values.size) * bins // values.size
    return level
