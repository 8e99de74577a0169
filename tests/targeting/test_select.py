"""Budget selection, exploration and its reproducibility."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from greymap.errors import InputError
from greymap.targeting.select import parse_budget, select

RISK = np.array([0.9, 0.1, 0.55, 0.3, 0.8, 0.05, 0.45, 0.2, 0.7, 0.6])
REVENUE = np.array([1.0, 50.0, 2.0, 40.0, 3.0, 0.0, 9.0, 30.0, 4.0, 5.0])


@pytest.mark.parametrize(
    ("text", "expected"), [("5%", 0.05), ("0.05", 0.05), ("12.5%", 0.125), ("200", 200)]
)
def test_parse_budget(text: str, expected: float | int) -> None:
    assert parse_budget(text) == expected


@pytest.mark.parametrize("text", ["0", "-5%", "150%", "abc", "2.5"])
def test_parse_budget_refuses_nonsense(text: str) -> None:
    with pytest.raises(InputError, match="--budget"):
        parse_budget(text)


def test_top_k_by_risk_and_by_revenue() -> None:
    by_risk = select(RISK, REVENUE, 0.3)
    assert np.flatnonzero(by_risk.selected).tolist() == [0, 4, 8]
    assert by_risk.rank.tolist() == [1, 9, 5, 7, 2, 10, 6, 8, 3, 4]
    assert set(by_risk.reason[by_risk.selected]) == {"risk"}
    by_revenue = select(RISK, REVENUE, 3, by="revenue")
    assert np.flatnonzero(by_revenue.selected).tolist() == [1, 3, 7]


def test_random_exploration_is_reproducible_by_seed() -> None:
    risk = np.linspace(1.0, 0.0, 1000)
    first = select(risk, risk, 0.1, explore=0.2, seed=42)
    again = select(risk, risk, 0.1, explore=0.2, seed=42)
    other = select(risk, risk, 0.1, explore=0.2, seed=43)
    assert first.selected.sum() == 100
    assert np.array_equal(first.selected, again.selected)
    assert not np.array_equal(first.selected, other.selected)
    exploit = first.reason == "risk"
    explored = first.reason == "explore-random"
    assert np.flatnonzero(exploit).tolist() == list(range(80))
    assert explored.sum() == 20 and np.flatnonzero(explored).min() >= 80
    # propensity: 1 for the top 80, 20 of the other 920 for everyone else
    assert first.propensity[:80].tolist() == [1.0] * 80
    assert first.propensity[80:] == pytest.approx(20 / 920)


def test_uncertainty_exploration_picks_risks_nearest_one_half() -> None:
    picked = select(RISK, REVENUE, 4, explore=0.5, explore_by="uncertainty")
    assert np.flatnonzero(picked.reason == "risk").tolist() == [0, 4]
    assert np.flatnonzero(picked.reason == "explore-uncertainty").tolist() == [2, 6]


def test_bad_options_are_refused() -> None:
    with pytest.raises(InputError, match="--by"):
        select(RISK, REVENUE, 3, by="value")
    with pytest.raises(InputError, match="--explore-by"):
        select(RISK, REVENUE, 3, explore=0.1, explore_by="thompson")
    with pytest.raises(InputError, match="--explore"):
        select(RISK, REVENUE, 3, explore=1.5)


@pytest.mark.parametrize("model", ["XGB", "XGB+LR", "DATE_CLS", "DATE_REV"])
def test_ranks_agree_with_the_date_repositorys_weekly_selection(
    shared_data: Path, model: str
) -> None:
    """DATE's own weekly output: its scores, ranked by greymap, give its published order."""
    published = pd.read_csv(shared_data / "date-customs" / "week1_ano_result.csv")
    scores = published[model].to_numpy()
    picked = select(scores, scores, 5)
    ours = np.argsort(picked.rank)
    theirs = np.argsort(published[f"Ranking-{model}"].to_numpy(), kind="stable")
    assert ours.tolist() == theirs.tolist()
    top5 = published[f"Ranking-{model}"].nsmallest(5).index
    assert sorted(np.flatnonzero(picked.selected)) == sorted(top5)
