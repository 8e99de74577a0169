"""The whole pipeline by hand, and the Monte Carlo: reproducible, vectorised, sensible."""

from __future__ import annotations

import time

import numpy as np
import pytest

from greymap.index.composite import Choices, competition_ranks, compute, draw_ranks
from greymap.index.uncertainty import Design, intervals, run_monte_carlo, sensitivity
from tests.index.factory import random_data, small_data

ALL = {
    "imputation": ["mean", "median", "none"],
    "outliers": ["auto", "none"],
    "normalisation": ["minmax", "zscore", "rank", "distance_to_frontier"],
    "weighting": ["equal", "pca", "factor"],
    "aggregation": ["arithmetic", "geometric"],
}


def fixed(**vary: list[str]) -> dict[str, list[str]]:
    """Alternatives with every choice fixed at its nominal value except ``vary``."""
    nominal = Choices()
    return {c: vary.get(c, [getattr(nominal, c)]) for c in ALL}


def test_nominal_pipeline_by_hand() -> None:
    result = compute(small_data(), Choices(outliers="none"))
    # x1 min-max over 2..10; x2 reversed over 1..5; NOR's x2 imputed as the mean 3 -> 50
    assert result.category_scores[:, 0].tolist() == pytest.approx([100, 75, 50, 25, 0, 68.75])
    # x3 over 1..5, x4 over 20..100; NOR's x4 imputed as (100+80+100+40+20)/5 = 68 -> 60
    assert result.category_scores[:, 1].tolist() == pytest.approx([100, 75, 75, 25, 0, 73.75])
    assert result.scores.tolist() == pytest.approx([100, 75, 62.5, 25, 0, 71.25])
    assert result.ranks.tolist() == [1, 2, 4, 5, 6, 3]
    assert result.imputed[5].tolist() == [False, True, False, True]


def test_geometric_pipeline_by_hand() -> None:
    data = small_data()
    data.raw = data.raw[:5]  # the five complete countries
    data.countries = data.countries[:5]
    result = compute(data, Choices(outliers="none", aggregation="geometric"))
    # min-max columns 0..100 are shifted to 1..101 before the geometric mean
    fin, lby = result.category_scores[0], result.category_scores[4]
    assert fin.tolist() == pytest.approx([101.0, 101.0])
    assert lby.tolist() == pytest.approx([1.0, 1.0])
    deu_customs = np.sqrt(51.0 * 101.0)  # x3 = 50 -> 51, x4 = 100 -> 101
    assert result.category_scores[2, 1] == pytest.approx(deu_customs)
    assert result.scores[2] == pytest.approx(np.sqrt(51.0 * deu_customs))


def test_no_imputation_reweights_the_indicators_present() -> None:
    result = compute(small_data(), Choices(imputation="none", outliers="none"))
    assert result.category_scores[5].tolist() == pytest.approx([87.5, 87.5])  # x1, x3 only


def test_ranks() -> None:
    assert competition_ranks(np.array([3.0, 9.0, 3.0, 1.0])).tolist() == [2, 1, 2, 4]
    scores = np.array([[1.0, 5.0], [3.0, 4.0], [2.0, 6.0]])
    assert draw_ranks(scores).tolist() == [[3, 2], [1, 3], [2, 1]]


def test_same_seed_same_intervals_other_seed_other_draws() -> None:
    data = random_data()
    design = Design(ALL, draws=300, seed=42)
    a = run_monte_carlo(data, design, Choices())
    b = run_monte_carlo(data, design, Choices())
    c = run_monte_carlo(data, Design(ALL, draws=300, seed=43), Choices())
    assert np.array_equal(a.ranks, b.ranks)
    assert intervals(a, 0.9) == intervals(b, 0.9)
    assert not np.array_equal(a.ranks, c.ranks)


def test_intervals_bracket_the_median_and_widen_with_choices() -> None:
    data = random_data()
    narrow = intervals(
        run_monte_carlo(data, Design(fixed(), draws=200, seed=1, weight_noise=0.0), Choices()), 0.9
    )
    wide = intervals(run_monte_carlo(data, Design(ALL, draws=200, seed=1), Choices()), 0.9)
    nominal = compute(data, Choices()).ranks
    # nothing varies: every draw is the nominal index
    assert [(i.rank_low, i.rank_high) for i in narrow] == [(r, r) for r in nominal.tolist()]
    assert all(i.rank_low <= i.rank_median <= i.rank_high for i in wide)
    assert np.mean([i.rank_high - i.rank_low for i in wide]) > 5


def test_sensitivity_attributes_rank_variance_to_the_only_varying_choice() -> None:
    data = random_data()
    mc = run_monte_carlo(
        data,
        Design(fixed(aggregation=["arithmetic", "geometric"]), draws=200, seed=3, weight_noise=0.0),
        Choices(),
    )
    by_factor = {s.factor: s.first_order for s in sensitivity(mc)}
    assert by_factor["aggregation"] == pytest.approx(1.0)
    assert by_factor["normalisation"] == 0.0
    assert by_factor["interactions"] == pytest.approx(0.0, abs=1e-9)


def test_weight_noise_is_a_factor_per_category() -> None:
    data = random_data()
    mc = run_monte_carlo(data, Design(fixed(), draws=400, seed=5, weight_noise=0.5), Choices())
    by_factor = {s.factor: s for s in sensitivity(mc)}
    weights = [by_factor[f"weight:{c}"].first_order for c in "abcd"]
    assert all(w > 0.05 for w in weights)
    assert by_factor["weight:a"].levels == "10 equal-count bins"


def test_monte_carlo_is_fast() -> None:
    data = random_data(n=150, p=24)
    started = time.perf_counter()
    mc = run_monte_carlo(data, Design(ALL, draws=1000, seed=0), Choices())
    assert mc.ranks.shape == (150, 1000)
    assert time.perf_counter() - started < 10  # about 1 s on one core
