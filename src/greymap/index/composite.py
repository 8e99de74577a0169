"""One pass of the composite-indicator pipeline under one set of methodological choices.

impute -> treat outliers -> normalise -> (shift to positive for geometric) -> weight ->
aggregate indicators into categories -> aggregate categories into the index.

The same function serves the nominal run and every Monte Carlo draw, so the uncertainty
analysis varies exactly the choices the nominal index made and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from greymap.index.aggregate import aggregate, make_positive
from greymap.index.impute import impute
from greymap.index.normalise import normalise
from greymap.index.outliers import Treatment, treat
from greymap.index.weights import category_weights, indicator_weights

Array = NDArray[np.float64]
Mask = NDArray[np.bool_]

CHOICES = ("imputation", "outliers", "normalisation", "weighting", "aggregation")


@dataclass(frozen=True, slots=True)
class Choices:
    imputation: str = "mean"
    outliers: str = "auto"
    normalisation: str = "minmax"
    weighting: str = "equal"
    aggregation: str = "arithmetic"


@dataclass(frozen=True, slots=True)
class OutlierRule:
    max_skew: float = 2.0
    max_kurtosis: float = 3.5
    max_winsorised: int = 5


@dataclass
class IndexData:
    """The raw indicator matrix of the countries to score, and the framework's structure.

    ``groups[k]`` holds the column numbers of category ``k``'s indicators.
    """

    countries: list[str]
    indicators: list[str]
    categories: list[str]
    groups: list[list[int]]
    raw: Array
    positive: Mask
    indicator_expert: Array
    category_expert: Array

    def __post_init__(self) -> None:
        n, p = self.raw.shape
        assert n == len(self.countries) and p == len(self.indicators)
        assert len(self.groups) == len(self.categories) == self.category_expert.size


@dataclass
class IndexResult:
    values: Array  # after imputation and outlier treatment
    imputed: Mask
    treatments: list[Treatment]
    normalised: Array
    indicator_weights: Array  # within-category weights, sum to 1 per category
    category_weights: Array
    category_scores: Array  # (n, K)
    scores: Array  # (n,)
    ranks: NDArray[np.int64] = field(init=False)

    def __post_init__(self) -> None:
        self.ranks = competition_ranks(self.scores)


def compute(
    data: IndexData,
    choices: Choices,
    rule: OutlierRule | None = None,
    cache: dict[tuple[str, ...], Any] | None = None,
) -> IndexResult:
    """The index under ``choices``. ``cache`` (a dict shared across calls on the same
    data) reuses the imputed, treated and normalised matrices between choice sets that
    differ only in later steps, as the Monte Carlo's do."""
    rule = rule or OutlierRule()
    cache = {} if cache is None else cache
    key = (choices.imputation, choices.outliers)
    if key not in cache:
        values, imputed = impute(data.raw, choices.imputation)
        treated = treat(
            values, choices.outliers, rule.max_skew, rule.max_kurtosis, rule.max_winsorised
        )
        cache[key] = (*treated, imputed)
    values, treatments, imputed = cache[key]
    norm_key = (*key, choices.normalisation)
    if norm_key not in cache:
        cache[norm_key] = normalise(values, choices.normalisation, data.positive)
    normalised = cache[norm_key]
    ready = make_positive(normalised) if choices.aggregation == "geometric" else normalised
    weights = np.zeros(len(data.indicators))
    category_scores = np.empty((len(data.countries), len(data.categories)))
    for k, cols in enumerate(data.groups):
        w = indicator_weights(ready[:, cols], choices.weighting, data.indicator_expert[cols])
        weights[cols] = w
        category_scores[:, k] = aggregate(ready[:, cols], w, choices.aggregation)
    cat_w = category_weights(choices.weighting, data.category_expert)
    scores = aggregate(category_scores, cat_w, choices.aggregation)
    return IndexResult(
        values, imputed, treatments, normalised, weights, cat_w, category_scores, scores
    )


def competition_ranks(scores: Array) -> NDArray[np.int64]:
    """Rank 1 = highest score; ties share the best rank ("1224" ranking); NaN ranks last."""
    filled = np.where(np.isnan(scores), -np.inf, scores)
    return np.array([int(np.sum(filled > s)) + 1 for s in filled], dtype=np.int64)


def draw_ranks(scores: Array) -> NDArray[np.int64]:
    """Ranks of each column of ``(n, draws)`` scores, rank 1 = highest; ties broken by
    row order (a stable sort) so draws are reproducible."""
    order = np.argsort(-scores, axis=0, kind="stable")
    ranks = np.empty_like(order)
    rows = np.arange(scores.shape[0])[:, np.newaxis]
    np.put_along_axis(ranks, order, np.broadcast_to(rows + 1, order.shape), axis=0)
    return ranks
