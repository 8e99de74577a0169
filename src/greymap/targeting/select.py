"""Which declarations to inspect under a budget, with a share left to exploration.

A model trained only on what it chose to inspect learns only about what it already
suspects: the declarations it ranks low are never opened, so their outcomes never come
back. Keeping a share of the budget for exploration (declarations drawn at random from
the rest, or those the model is least sure about) keeps some outcomes unbiased, as the
DATE group's follow-up recommends (Kim et al., "Active learning for human-in-the-loop
customs inspection"). Random picks come from a seeded generator, so a run can be
repeated, and each row carries its probability of being picked (its propensity), which
unbiased evaluation of later outcomes needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from greymap.errors import InputError
from greymap.targeting.evaluate import budget_size, rank

BY = ("risk", "revenue")
EXPLORE_BY = ("random", "uncertainty")


@dataclass(frozen=True)
class Selection:
    """Per row: picked or not, why, its rank by the primary score, its propensity."""

    selected: np.ndarray
    reason: np.ndarray
    rank: np.ndarray
    propensity: np.ndarray


def parse_budget(text: str) -> float | int:
    """``5%`` or ``0.05`` -> a share of the declarations; ``200`` -> a count."""
    raw = str(text).strip()
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", raw)
    try:
        if match:
            share = float(match.group(1)) / 100.0
            if 0 < share <= 1:
                return share
        else:
            number = float(raw)
            if 0 < number < 1:
                return number
            if number >= 1 and number.is_integer():
                return int(number)
    except ValueError:
        pass
    raise InputError(
        f"--budget {text!r}: expected a share like 5% or 0.05, or a number of declarations"
    )


def select(
    risk: np.ndarray,
    expected_revenue: np.ndarray,
    budget: float | int,
    *,
    by: str = "risk",
    explore: float = 0.0,
    explore_by: str = "random",
    seed: int = 0,
) -> Selection:
    """Pick ``budget`` rows: the top by ``by``, and ``explore`` of the budget explored."""
    _check(by, explore, explore_by)
    n = len(risk)
    primary = np.asarray(risk if by == "risk" else expected_revenue, dtype=float)
    order = rank(primary)
    k = budget_size(budget, n) if isinstance(budget, float) else min(int(budget), n)
    n_explore = min(round(explore * k), k)
    chosen, pool = order[: k - n_explore], order[k - n_explore :]
    selected = np.zeros(n, dtype=bool)
    reason = np.full(n, "", dtype=object)
    selected[chosen], reason[chosen] = True, by
    propensity = np.zeros(n)
    propensity[chosen] = 1.0
    if n_explore and len(pool):
        picked = _explore(pool, np.asarray(risk, dtype=float), n_explore, explore_by, seed)
        selected[picked], reason[picked] = True, f"explore-{explore_by}"
        if explore_by == "random":
            propensity[pool] = n_explore / len(pool)
        else:
            propensity[picked] = 1.0
    ranks = np.empty(n, dtype=int)
    ranks[order] = np.arange(1, n + 1)
    return Selection(selected, reason, ranks, propensity)


def _explore(pool: np.ndarray, risk: np.ndarray, n: int, how: str, seed: int) -> np.ndarray:
    if how == "random":
        rng = np.random.default_rng(seed)
        return np.sort(rng.choice(pool, size=min(n, len(pool)), replace=False))
    closeness = np.abs(risk[pool] - 0.5)
    return pool[np.argsort(closeness, kind="stable")[:n]]


def _check(by: str, explore: float, explore_by: str) -> None:
    if by not in BY:
        raise InputError(f"--by {by!r}: expected one of {', '.join(BY)}")
    if explore_by not in EXPLORE_BY:
        raise InputError(f"--explore-by {explore_by!r}: expected one of {', '.join(EXPLORE_BY)}")
    if not 0 <= explore <= 1:
        raise InputError(f"--explore {explore}: expected a share of the budget between 0 and 1")
