"""Training, scoring, reasons and the saved model, on the bundled KCS sample."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from greymap.errors import InputError
from greymap.targeting import (
    TargetingModel,
    load_model,
    save_model,
    score_declarations,
    train_model,
)
from greymap.targeting.score import KEYS
from tests.targeting.conftest import FAST

REASON = re.compile(r"^.+ \(\+\d+\.\d\d\)$")


def _later(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["date"] >= "2021-01-01"]


def test_metadata_reports_the_time_split_and_both_variants(sample_frame: pd.DataFrame) -> None:
    train = sample_frame[sample_frame["date"] < "2021-01-01"]
    params = replace(FAST, leaf_features="auto", leaf_c=(0.1,), leaf_trees=20)
    model = train_model(train, params=params, refit=False)
    meta = model.metadata
    assert meta["training_period"][0] == "2020-01-02" and meta["training_rows"] < 4000
    assert meta["validation_period"][1] <= "2020-12-31"
    assert meta["fit_period"][1] < meta["validation_period"][0]  # time-ordered, no overlap
    figures = meta["validation"]
    assert set(figures) == {"gbdt", "gbdt+leaf-lr"}
    assert [b["budget"] for b in figures["gbdt"]["budgets"]] == [0.01, 0.02, 0.05, 0.1]
    better = figures["gbdt+leaf-lr"]["mean_precision"] > figures["gbdt"]["mean_precision"]
    assert meta["variant"] == ("gbdt+leaf-lr" if better else "gbdt")
    assert (model.leaf is not None) == better


def test_training_is_deterministic(sample_frame: pd.DataFrame) -> None:
    train = sample_frame[sample_frame["date"] < "2020-07-01"]
    first = train_model(train, params=replace(FAST, rounds=15)).score(_later(sample_frame))
    again = train_model(train, params=replace(FAST, rounds=15)).score(_later(sample_frame))
    assert np.array_equal(first["risk"].to_numpy(), again["risk"].to_numpy())


def test_model_ranks_better_than_chance(
    small_model: TargetingModel, sample_frame: pd.DataFrame
) -> None:
    later = _later(sample_frame)
    scored = small_model.score(later)
    top = scored["risk"].rank(ascending=False, method="first") <= len(later) * 0.1
    precision = later["fraud"][top.to_numpy()].mean()
    assert precision > 1.5 * later["fraud"].mean()  # 4,000 rows and 40 rounds: a weak model
    assert (scored["expected_revenue"] >= 0).all()


def test_scores_with_reasons(small_model: TargetingModel, sample_frame: pd.DataFrame) -> None:
    later = _later(sample_frame)
    scored = score_declarations(small_model, later, 0.05, explore=0.2, seed=1)
    assert list(scored.columns[:5]) == list(KEYS)
    assert scored["rank"].tolist() == list(range(1, 1001))
    assert int(scored["selected"].sum()) == 50
    assert (scored["selection"] == "explore-random").sum() == 10
    picked = scored[scored["selected"]]
    for text in picked["top_reasons"]:
        parts = text.split("; ")
        assert 1 <= len(parts) <= 3 and all(REASON.match(p) for p in parts), text
    assert (scored.loc[~scored["selected"], "top_reasons"] == "").all()


def test_saved_model_scores_the_same(
    small_model: TargetingModel, sample_frame: pd.DataFrame, tmp_path: Path
) -> None:
    path = save_model(small_model, tmp_path / "model")
    assert sorted(p.name for p in path.iterdir()) == [
        "classifier.txt",
        "encoder.json",
        "metadata.json",
        "revenue.txt",
        "training.parquet",
    ]
    loaded = load_model(path)
    later = _later(sample_frame)
    before, after = small_model.score(later), loaded.score(later)
    assert np.allclose(before["risk"], after["risk"], rtol=0, atol=1e-12)
    assert np.allclose(before["expected_revenue"], after["expected_revenue"], rtol=1e-9)
    assert len(loaded.training) == len(small_model.training)


def test_not_a_model_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a greymap targeting model"):
        load_model(tmp_path)


def test_too_few_labels_to_train(sample_frame: pd.DataFrame) -> None:
    unlabelled = sample_frame.assign(fraud=np.nan)
    with pytest.raises(InputError, match="0 labelled row"):
        train_model(unlabelled, params=FAST)
