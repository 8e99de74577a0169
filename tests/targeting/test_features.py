"""Features: hand-computed encodings, and that a row's own label never reaches them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from greymap.targeting.features import FeatureParams, fit_encoder, fold_ids
from tests.targeting.factory import frame

# Ten declarations by three importers; importer A is fraud 3 times in 4.
IMPORTERS = ["A", "A", "A", "A", "B", "B", "B", "C", "C", "C"]
FRAUD = [1, 1, 1, 0, 0, 0, 1, 0, 0, 0]
PARAMS = FeatureParams(folds=5, smoothing=2.0, max_categories=2, seed=3)


def _rows(fraud: list[int]) -> tuple:
    rows = frame(
        [{"importer": imp, "fraud": float(y)} for imp, y in zip(IMPORTERS, fraud, strict=True)]
    )
    return rows, np.asarray(fraud, dtype=float)


def test_scoring_rates_and_counts_use_all_training_rows() -> None:
    rows, y = _rows(FRAUD)
    encoder, _ = fit_encoder(rows, y, PARAMS)
    prior = 0.4  # 4 frauds in 10
    assert encoder.prior == prior
    # smoothed rate (frauds + m * prior) / (n + m) with m = 2
    assert encoder.rates["importer"]["A"] == pytest.approx((3 + 2 * prior) / (4 + 2))
    assert encoder.rates["importer"]["B"] == pytest.approx((1 + 2 * prior) / (3 + 2))
    assert encoder.counts["importer"] == {"A": 4.0, "B": 3.0, "C": 3.0}
    new = encoder.transform(frame([{"importer": "A"}, {"importer": "Z"}]))
    assert list(new["te.importer"]) == pytest.approx([(3 + 0.8) / 6, prior])
    assert list(new["n.importer"]) == [4.0, 0.0]


def test_training_rows_are_encoded_from_the_other_folds_only() -> None:
    rows, y = _rows(FRAUD)
    _, features = fit_encoder(rows, y, PARAMS)
    folds = fold_ids(len(rows), PARAMS.folds, PARAMS.seed)
    for i in range(len(rows)):
        others = folds != folds[i]
        same = others & (np.asarray(IMPORTERS) == IMPORTERS[i])
        prior = y[others].mean()
        expected = (y[same].sum() + 2.0 * prior) / (same.sum() + 2.0)
        assert features["te.importer"].iloc[i] == pytest.approx(expected)
        assert features["n.importer"].iloc[i] == pytest.approx(same.sum() * 5 / 4)


def test_a_training_rows_own_label_never_reaches_its_encoding() -> None:
    rows, y = _rows(FRAUD)
    _, before = fit_encoder(rows, y, PARAMS)
    folds = fold_ids(len(rows), PARAMS.folds, PARAMS.seed)
    for i in range(len(rows)):
        flipped = list(FRAUD)
        flipped[i] = 1 - flipped[i]
        changed_rows, changed_y = _rows(flipped)
        _, after = fit_encoder(changed_rows, changed_y, PARAMS)
        assert after["te.importer"].iloc[i] == before["te.importer"].iloc[i]
        # ...while the rows of other folds that share its importer do see it
        peers = [
            j for j in range(len(rows)) if IMPORTERS[j] == IMPORTERS[i] and folds[j] != folds[i]
        ]
        assert all(after["te.importer"].iloc[j] != before["te.importer"].iloc[j] for j in peers)


def test_unit_value_against_hs_median_and_transshipment() -> None:
    goods = [{"hs_code": "610910", "value": v, "weight": 1.0} for v in (10.0, 20.0, 40.0)]
    goods.append(
        {"hs_code": "610910", "value": 400.0, "weight": 2.0, "origin": "CHN", "departure": "VNM"}
    )
    goods.append(
        {"hs_code": "999999", "value": 5.0, "weight": 1.0, "origin": "CHN", "departure": "CHN"}
    )
    rows = frame([{**g, "fraud": 0.0} for g in goods])
    rows.loc[0, "fraud"] = 1.0
    params = FeatureParams(min_hs_rows=3, seed=0)
    encoder, features = fit_encoder(rows, rows["fraud"].to_numpy(), params)
    # HS6 610910 has 4 rows: median log value/kg of 10, 20, 40, 200
    median = float(np.median(np.log([10.0, 20.0, 40.0, 200.0])))
    assert encoder.medians["hs6"] == {"610910": pytest.approx(median)}
    assert features["num.value_per_kg_vs_hs"].iloc[3] == pytest.approx(math.log(200.0) - median)
    # 999999 has one row: no HS line with 3 rows, so the median of all five rows is used
    overall = float(np.median(np.log([10.0, 20.0, 40.0, 200.0, 5.0])))
    assert features["num.value_per_kg_vs_hs"].iloc[4] == pytest.approx(math.log(5.0) - overall)
    flags = features["num.transshipment"].tolist()
    assert flags[3:] == [1.0, 0.0] and all(math.isnan(f) for f in flags[:3])
    assert features["num.weekday"].tolist() == [
        2.0,
        3.0,
        4.0,
        5.0,
        6.0,
    ]  # 2020-01-01 was a Wednesday
