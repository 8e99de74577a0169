"""Precision, recall and revenue at a budget: hand-computed, and against DATE's table."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from greymap.targeting.evaluate import at_budgets, auc, budget_size


def test_budget_size_is_ceil_of_share_times_count() -> None:
    assert budget_size(0.05, 100) == 5  # 0.05 * 100 is 5.000000000000001 in floating point
    assert [budget_size(b, 8481) for b in (0.01, 0.02, 0.05, 0.1)] == [85, 170, 425, 849]
    assert budget_size(0.01, 10) == 1
    assert budget_size(0.5, 0) == 0


def test_hand_computed_ranking() -> None:
    # 20 declarations; scores descend with the index; frauds at ranks 1, 2, 4, 7, 15
    scores = np.linspace(1.0, 0.05, 20)
    fraud = np.zeros(20)
    fraud[[0, 1, 3, 6, 14]] = 1
    revenue = np.zeros(20)
    revenue[[0, 1, 3, 6, 14]] = [10.0, 0.0, 30.0, 20.0, 40.0]
    results = at_budgets(scores, fraud, revenue, budgets=(0.05, 0.1, 0.2, 0.5))
    assert [r.inspected for r in results] == [1, 2, 4, 10]
    assert [r.frauds_found for r in results] == [1, 2, 3, 4]
    assert [r.precision for r in results] == [1.0, 1.0, 0.75, 0.4]
    assert [r.recall for r in results] == [0.2, 0.4, 0.6, 0.8]
    assert [r.revenue for r in results] == [0.1, 0.1, 0.4, 0.6]
    assert [r.revenue_found for r in results] == [10.0, 10.0, 40.0, 60.0]


def test_ties_keep_file_order() -> None:
    results = at_budgets(np.array([0.5, 0.5, 0.5, 0.5]), np.array([0, 1, 1, 1]), None, (0.25,))
    assert results[0].frauds_found == 0  # the first of the tied rows is inspected


def test_auc_rank_sum() -> None:
    # positives at 0.9 and 0.4; negatives at 0.8, 0.4, 0.1: pairs won 1 + 0.5 + 1 + 1 + ... / 6
    scores = np.array([0.9, 0.8, 0.4, 0.4, 0.1])
    fraud = np.array([1, 0, 1, 0, 0])
    assert auc(scores, fraud) == pytest.approx((3 + 1.5) / 6)
    assert np.isnan(auc(scores, np.zeros(5)))


def _published(shared_data: Path) -> list[dict[str, str]]:
    path = shared_data / "date-customs" / "date_reported_results_nigeria.csv"
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_published_date_table_fits_these_definitions(shared_data: Path) -> None:
    """recall = precision * k / frauds: every row implies the same share of frauds."""
    rows = _published(shared_data)
    assert len(rows) == 32
    shares = [
        float(r["precision_pct"]) * float(r["n_pct"]) / float(r["recall_pct"]) / 100 for r in rows
    ]
    assert min(shares) > 0.0222 and max(shares) < 0.0226  # 2.24 % illicit in DATE's test period


def test_reproduces_date_cls_recall_from_its_precision(shared_data: Path) -> None:
    """A ranking with DATE_CLS's published precision gives its published recall."""
    published = [r for r in _published(shared_data) if r["model"] == "DATE_CLS"]
    n, share = 100_000, 0.02242
    frauds = round(share * n)
    fraud = np.zeros(n)
    found_before, start = 0, 0
    for row in published:
        k = budget_size(float(row["n_pct"]) / 100, n)
        found = round(float(row["precision_pct"]) / 100 * k)
        fraud[start : start + found - found_before] = 1  # frauds first within the new slice
        found_before, start = found, k
    fraud[n - (frauds - int(fraud.sum())) :] = 1  # the rest at the bottom of the ranking
    scores = np.linspace(1.0, 0.0, n)
    results = at_budgets(scores, fraud, None, [float(r["n_pct"]) / 100 for r in published])
    for row, result in zip(published, results, strict=True):
        assert 100 * result.precision == pytest.approx(float(row["precision_pct"]), abs=0.05)
        assert 100 * result.recall == pytest.approx(float(row["recall_pct"]), abs=0.1)


def test_recall_of_the_gravest_frauds() -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0])
    fraud = np.array([1, 1, 0, 1, 0, 0, 1, 0, 0, 0])
    critical = np.array([0, 1, 0, 0, 0, 0, 1, 0, 0, 0], dtype=bool)
    results = at_budgets(scores, fraud, None, (0.2, 0.5, 1.0), critical=critical)
    assert [r.critical_found for r in results] == [1, 1, 2]
    assert [r.critical_recall for r in results] == [0.5, 0.5, 1.0]
    assert at_budgets(scores, fraud, None, (0.2,))[0].critical_recall is None
