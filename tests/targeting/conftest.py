"""Shared targeting fixtures: the bundled KCS sample and one small model trained on it.

Models in tests use few boosting rounds and one LightGBM thread: the suite runs with
pytest-xdist on two cores, where two processes with two OpenMP threads each would
oversubscribe them. The library default stays two threads.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from greymap.targeting import ModelParams, TargetingModel, load_declarations, train_model

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "data" / "kcs-customs-synthetic" / "declarations_sample.csv"
FAST = ModelParams(rounds=40, num_threads=1, leaf_features="off", early_stopping=10)


@pytest.fixture(scope="session")
def sample_frame() -> pd.DataFrame:
    """The 5,000 bundled KCS declarations (4,000 from 2020, 1,000 from 2021 Q1)."""
    return load_declarations(SAMPLE).frame


@pytest.fixture(scope="session")
def small_model(sample_frame: pd.DataFrame) -> TargetingModel:
    """Trained on the 2020 rows of the sample, tuned on its latest 20 %."""
    return train_model(sample_frame[sample_frame["date"] < "2021-01-01"], params=FAST)
