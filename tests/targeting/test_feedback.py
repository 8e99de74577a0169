"""Feedback: outcomes of one inspection round make the next round's picks better."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from greymap.errors import InputError
from greymap.targeting import evaluate as E
from greymap.targeting import (
    load_declarations,
    read_outcomes,
    score_declarations,
    train_model,
    update_model,
)
from tests.targeting.conftest import FAST


def _precision(model, frame: pd.DataFrame) -> list[float]:  # type: ignore[no-untyped-def]
    scores = model.score(frame)["risk"].to_numpy()
    return [r.precision for r in E.at_budgets(scores, frame["fraud"].to_numpy())]


def test_inspection_outcomes_improve_the_next_round(shared_data: Path) -> None:
    """January 2020 trains the first model; it picks 10 % of February-March (a fifth of
    them explored at random); the picks' true outcomes are fed back; both models then
    rank April-May, which neither has seen."""
    kcs = load_declarations(shared_data / "kcs-customs-synthetic" / "df_syn_train_eng.csv").frame
    first = kcs[kcs["date"] < "2020-02-01"]
    inspected_period = kcs[(kcs["date"] >= "2020-02-01") & (kcs["date"] < "2020-04-01")]
    later = kcs[(kcs["date"] >= "2020-04-01") & (kcs["date"] < "2020-06-01")]
    params = replace(FAST, rounds=60)
    model = train_model(first, params=params)

    unlabelled = inspected_period.assign(fraud=np.nan, revenue=np.nan)
    picks = score_declarations(model, unlabelled, 0.10, explore=0.2, seed=1, reasons=0)
    chosen = picks.loc[picks["selected"], "declaration_id"]
    truth = inspected_period[inspected_period["declaration_id"].isin(chosen)]
    outcomes = truth[["declaration_id", "fraud", "revenue"]]
    updated, summary = update_model(model, unlabelled, outcomes)

    assert summary.rows_added == len(chosen) == 594
    assert summary.frauds_added == int(truth["fraud"].sum())
    assert summary.training_rows == len(first) + 594
    assert updated.metadata["version"] == 2
    assert updated.metadata["history"][0]["training_rows"] == len(first)
    before, after = _precision(model, later), _precision(updated, later)
    assert after[2] > before[2] and after[3] > before[3]  # at 5 % and 10 %
    assert np.mean(after) > np.mean(before) + 0.02


def test_outcomes_file_is_checked(fixtures: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"fraud must be 0/1.*line\(s\) 3"):
        read_outcomes(fixtures / "targeting" / "outcomes_bad.csv")
    path = tmp_path / "o.csv"
    path.write_text("id,result\n1,1\n")
    with pytest.raises(InputError, match=r"missing column\(s\) declaration_id, fraud"):
        read_outcomes(path)
    path.write_text("declaration_id,fraud,revenue\nA,1,\nB,no,5\n")
    found = read_outcomes(path)
    assert found["fraud"].tolist() == [1.0, 0.0]
    assert np.isnan(found["revenue"].iloc[0]) and found["revenue"].iloc[1] == 5.0
