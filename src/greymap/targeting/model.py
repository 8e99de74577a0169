"""The boosters: fraud probability, DATE-style leaf interactions, revenue at stake.

* The classifier is a LightGBM binary booster over the features of
  :mod:`greymap.targeting.features`.
* Tree leaves as interaction features, after DATE (Kim et al., KDD 2020) and its GBDT+LR
  baseline (He et al. 2014): each declaration falls in one leaf per tree, and a leaf is a
  conjunction of conditions (importer rate high AND unit value low AND ...). A logistic
  regression over the one-hot leaves re-weighs these conjunctions. Whether it helps is an
  empirical question: :mod:`greymap.targeting.pipeline` fits both and keeps the leaf model
  only if it ranks the validation period better.
* Revenue: expected revenue at risk = P(fraud) x E[revenue | fraud], the second factor
  from a Tweedie booster trained on the training frauds (revenue is zero-heavy and
  long-tailed); with too few frauds it is the declared tax amount.

Everything runs with a fixed seed, ``deterministic=True`` and ``num_threads`` (2 by
default), so the same data give the same model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from greymap.errors import MissingDependencyError

MIN_REVENUE_ROWS = 30


@dataclass(frozen=True)
class ModelParams:
    """Booster settings; the defaults were tuned on the KCS 2021 Q1 validation quarter."""

    rounds: int = 1000  # most boosting rounds; early stopping on validation picks fewer
    learning_rate: float = 0.1
    num_leaves: int = 31
    min_data_in_leaf: int = 20
    feature_fraction: float = 0.8
    bagging_fraction: float = 0.8
    lambda_l2: float = 1.0
    early_stopping: int = 50  # rounds without validation improvement before stopping
    leaf_features: str = "auto"  # auto: keep the leaf model only if validation says so
    leaf_c: tuple[float, ...] = (0.03, 0.1)  # inverse L2 strengths tried for the LR
    leaf_trees: int = 200  # the leaves of the first N trees feed the LR
    num_threads: int = 2
    seed: int = 0

    def lightgbm(self, objective: str) -> dict[str, Any]:
        return {
            "objective": objective,
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_data_in_leaf": self.min_data_in_leaf,
            "feature_fraction": self.feature_fraction,
            "bagging_fraction": self.bagging_fraction,
            "bagging_freq": 1,
            "lambda_l2": self.lambda_l2,
            "num_threads": self.num_threads,
            "seed": self.seed,
            "deterministic": True,
            "force_row_wise": True,
            "verbose": -1,
        }


def lightgbm() -> Any:
    """The lightgbm module, or an error naming the extra to install."""
    try:
        import lightgbm as lgb
    except ImportError as exc:  # pragma: no cover - the ml extra is installed in CI
        raise MissingDependencyError("lightgbm", "ml") from exc
    return lgb


def fit_booster(
    params: ModelParams,
    objective: str,
    train: tuple[pd.DataFrame, np.ndarray],
    valid: tuple[pd.DataFrame, np.ndarray] | None,
    categorical: list[str],
    rounds: int | None = None,
) -> Any:
    """Train a booster; with ``valid``, stop when the validation loss stops improving."""
    lgb = lightgbm()
    settings = params.lightgbm(objective)
    if objective == "tweedie":
        settings["tweedie_variance_power"] = 1.5
    data = lgb.Dataset(train[0], train[1], categorical_feature=categorical, free_raw_data=False)
    callbacks, valid_sets = [], []
    if valid is not None and len(valid[1]):
        valid_sets = [lgb.Dataset(valid[0], valid[1], reference=data)]
        callbacks = [lgb.early_stopping(params.early_stopping, verbose=False)]
    return lgb.train(
        settings,
        data,
        num_boost_round=rounds or params.rounds,
        valid_sets=valid_sets,
        callbacks=callbacks,
    )


def predict(booster: Any, features: pd.DataFrame) -> np.ndarray:
    return np.asarray(booster.predict(features, num_iteration=_best(booster)), dtype=float)


def contributions(booster: Any, features: pd.DataFrame) -> np.ndarray:
    """SHAP values (log-odds) per feature, last column the expected value."""
    raw = booster.predict(features, num_iteration=_best(booster), pred_contrib=True)
    return np.asarray(raw, dtype=float)


def _best(booster: Any) -> int | None:
    best = int(booster.best_iteration or 0)
    return best if best > 0 else None


@dataclass
class LeafModel:
    """Logistic regression over one-hot tree leaves, stored as plain arrays.

    ``offsets[t] + leaf`` is the column of a leaf of tree ``t``; scoring is a sum of
    looked-up weights, so no scikit-learn is needed to use a saved model.
    """

    offsets: np.ndarray
    weights: np.ndarray
    intercept: float
    c: float
    trees: int

    def predict(self, booster: Any, features: pd.DataFrame) -> np.ndarray:
        columns = self._columns(booster, features)
        logit = self.intercept + self.weights[columns].sum(axis=1)
        return np.asarray(1.0 / (1.0 + np.exp(-logit)), dtype=float)

    def _columns(self, booster: Any, features: pd.DataFrame) -> np.ndarray:
        leaves = booster.predict(features, num_iteration=self.trees, pred_leaf=True)
        leaves = np.asarray(leaves, dtype=np.int64).reshape(len(features), -1)
        return np.asarray(leaves + self.offsets[None, : leaves.shape[1]], dtype=np.int64)

    def to_dict(self) -> dict[str, Any]:
        return {
            "offsets": self.offsets.tolist(),
            "weights": self.weights.tolist(),
            "intercept": self.intercept,
            "c": self.c,
            "trees": self.trees,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LeafModel:
        return cls(
            np.asarray(data["offsets"], dtype=np.int64),
            np.asarray(data["weights"], dtype=float),
            float(data["intercept"]),
            float(data["c"]),
            int(data["trees"]),
        )


def fit_leaf_model(
    booster: Any,
    features: pd.DataFrame,
    fraud: np.ndarray,
    c: float,
    seed: int,
    max_trees: int = 200,
) -> LeafModel:
    """Fit the logistic regression over the leaves of the first trees, on the training rows."""
    from scipy import sparse  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    trees = min(_best(booster) or booster.num_trees(), max_trees)
    sizes = [t["num_leaves"] for t in booster.dump_model(num_iteration=trees)["tree_info"]]
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    model = LeafModel(offsets, np.zeros(int(sum(sizes))), 0.0, c, trees)
    columns = model._columns(booster, features)
    rows = np.repeat(np.arange(len(features)), columns.shape[1])
    onehot = sparse.csr_matrix(
        (np.ones(columns.size), (rows, columns.ravel())), shape=(len(features), sum(sizes))
    )
    lr = LogisticRegression(C=c, solver="liblinear", random_state=seed, max_iter=1000)
    lr.fit(onehot, np.asarray(fraud, dtype=int))
    model.weights = np.asarray(lr.coef_[0], dtype=float)
    model.intercept = float(lr.intercept_[0])
    return model
