"""Precision, recall and revenue when inspecting the top n% of a ranking.

These are the measures of the DATE paper (Kim et al., KDD 2020, Table 3), as its code
computes them (``metrics`` in the repository's ``utils.py``): rank declarations by score,
inspect the top n%, then

* precision = frauds found / declarations inspected,
* recall = frauds found / all frauds in the period,
* revenue = revenue at stake in the inspected frauds / revenue at stake in all of them.

DATE cuts at the (100-n)th percentile of the scores; with distinct scores that inspects
``ceil(n * (N - 1))`` rows, one fewer than ``ceil(n * N)`` for some N. greymap inspects
exactly ``k = ceil(n * N)`` (at least one), ties broken by file order, so a budget is
the same number of inspections whatever the scores. By these definitions
``recall = precision * k / frauds`` for every model at every n, so a table's precision and
recall columns pin down the share of frauds in the period: the published DATE rows give
2.24 % for the Nigerian test period at every n and for every model, which the tests check.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd

BUDGETS = (0.01, 0.02, 0.05, 0.10)


@dataclass(frozen=True)
class BudgetResult:
    """What inspecting the top ``budget`` share of a period would have found."""

    budget: float
    inspected: int
    frauds_found: int
    precision: float
    recall: float
    revenue: float
    revenue_found: float
    critical_found: int | None = None
    critical_recall: float | None = None

    def as_record(self) -> dict[str, float | int | None]:
        return asdict(self)


def budget_size(budget: float, n: int) -> int:
    """Declarations a budget buys: ceil(budget * n), at least one, at most n."""
    if n == 0:
        return 0
    return min(n, max(1, math.ceil(round(budget * n, 9))))


def rank(scores: np.ndarray) -> np.ndarray:
    """Row positions from the highest score down; ties keep file order."""
    return np.argsort(-np.asarray(scores, dtype=float), kind="stable")


def at_budgets(
    scores: np.ndarray,
    fraud: np.ndarray,
    revenue: np.ndarray | None = None,
    budgets: Sequence[float] = BUDGETS,
    critical: np.ndarray | None = None,
) -> list[BudgetResult]:
    """Precision, recall and revenue share of the top ``budget`` of ``scores``.

    ``critical`` (optional, boolean) marks the gravest frauds (KCS ``Critical Fraud`` = 2);
    their recall is reported beside the others.
    """
    y = np.asarray(fraud, dtype=float)
    money = np.zeros(len(y)) if revenue is None else np.nan_to_num(np.asarray(revenue, float))
    order = rank(scores)
    total_fraud, total_money = float(y.sum()), float(money.sum())
    results = []
    for budget in budgets:
        top = order[: budget_size(budget, len(y))]
        found, caught = float(y[top].sum()), float(money[top].sum())
        result = BudgetResult(
            budget=budget,
            inspected=len(top),
            frauds_found=int(found),
            precision=found / len(top) if len(top) else 0.0,
            recall=found / total_fraud if total_fraud else 0.0,
            revenue=caught / total_money if total_money else 0.0,
            revenue_found=caught,
        )
        results.append(_with_critical(result, critical, top))
    return results


def _with_critical(
    result: BudgetResult, critical: np.ndarray | None, top: np.ndarray
) -> BudgetResult:
    if critical is None:
        return result
    flags = np.asarray(critical, dtype=bool)
    found, total = int(flags[top].sum()), int(flags.sum())
    return replace(result, critical_found=found, critical_recall=found / total if total else None)


def mean_precision(results: Sequence[BudgetResult]) -> float:
    """The single figure variants are compared by on validation data."""
    return float(np.mean([r.precision for r in results])) if results else 0.0


def auc(scores: np.ndarray, fraud: np.ndarray) -> float:
    """Area under the ROC curve by the rank-sum formula (ties count half); NaN if one class."""
    y = np.asarray(fraud, dtype=float)
    positives, negatives = float(y.sum()), float(len(y) - y.sum())
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = pd.Series(np.asarray(scores, dtype=float)).rank(method="average").to_numpy()
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def table(name: str, results: Sequence[BudgetResult]) -> list[dict[str, object]]:
    """Flat records, one per budget, for rendering or JSON."""
    return [{"model": name, **r.as_record()} for r in results]
