"""Train a targeting model on labelled declarations, and score new ones with it.

Training is time-ordered, because an administration always scores the future: the model
is fitted on the earlier rows and tuned on a later validation period (the file given as
``valid``, or else the latest ``valid_share`` of the rows, whole days kept together).
Validation decides the number of boosting rounds and whether the DATE-style leaf model
is kept. With ``refit`` the chosen settings are then fitted again on all the rows, so the
most recent outcomes count too; the validation figures stay in the metadata.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from greymap.errors import InputError
from greymap.targeting import evaluate as E
from greymap.targeting.columns import DATE, ID
from greymap.targeting.features import Encoder, FeatureParams, fit_encoder
from greymap.targeting.model import (
    MIN_REVENUE_ROWS,
    LeafModel,
    ModelParams,
    fit_booster,
    fit_leaf_model,
    predict,
)

MIN_ROWS = 50
#: Boosting rounds when no validation period has both outcomes to stop early on.
ROUNDS_WITHOUT_VALIDATION = 200


@dataclass
class TargetingModel:
    """A fitted model: the encoder, the boosters, and what it was trained on."""

    encoder: Encoder
    classifier: Any
    params: ModelParams
    leaf: LeafModel | None = None
    regressor: Any | None = None
    training: pd.DataFrame = field(default_factory=pd.DataFrame)
    metadata: dict[str, Any] = field(default_factory=dict)
    #: The leaf model validation compared, kept or not (for reports; not saved).
    leaf_candidate: LeafModel | None = None

    @property
    def variant(self) -> str:
        return "gbdt+leaf-lr" if self.leaf is not None else "gbdt"

    def features(self, frame: pd.DataFrame) -> pd.DataFrame:
        return self.encoder.transform(frame)

    def risk(self, features: pd.DataFrame) -> np.ndarray:
        if self.leaf is not None:
            return self.leaf.predict(self.classifier, features)
        return predict(self.classifier, features)

    def revenue_if_fraud(self, frame: pd.DataFrame, features: pd.DataFrame) -> np.ndarray:
        """E[revenue | fraud]: the revenue booster, else the declared tax amount."""
        if self.regressor is not None:
            return np.asarray(np.maximum(predict(self.regressor, features), 0.0), dtype=float)
        return np.asarray(np.nan_to_num(frame["tax_amount"].to_numpy(float)), dtype=float)

    def score(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Risk and expected revenue at risk for each row of ``frame``."""
        features = self.features(frame)
        risk = self.risk(features)
        revenue = risk * self.revenue_if_fraud(frame, features)
        return pd.DataFrame(
            {ID: frame[ID].to_numpy(), "risk": risk, "expected_revenue": revenue},
            index=frame.index,
        )


def split_by_time(frame: pd.DataFrame, share: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The earlier rows and the latest ``share`` of them; one day never straddles the cut."""
    dates = frame[DATE].sort_values(kind="stable")
    if len(dates) < 2:
        return frame, frame.iloc[0:0]
    cut = dates.iloc[min(len(dates) - 1, int(len(dates) * (1 - share)))]
    early = frame[frame[DATE] < cut]
    if early.empty:
        return frame, frame.iloc[0:0]
    return early, frame[frame[DATE] >= cut]


def labelled(frame: pd.DataFrame, what: str) -> pd.DataFrame:
    """The rows with a known outcome, or an error saying why a model cannot be trained."""
    rows = frame[frame["fraud"].notna()]
    if len(rows) < MIN_ROWS or rows["fraud"].nunique() < 2:
        raise InputError(
            f"{what}: {len(rows)} labelled row(s), {int(rows['fraud'].sum())} fraud; "
            f"training needs at least {MIN_ROWS} labelled rows with both outcomes"
        )
    return rows.sort_values(DATE, kind="stable")


def train_model(
    train: pd.DataFrame,
    valid: pd.DataFrame | None = None,
    params: ModelParams | None = None,
    feature_params: FeatureParams | None = None,
    *,
    refit: bool = True,
    valid_share: float = 0.2,
) -> TargetingModel:
    """Fit, tune on validation, optionally refit on everything; see the module docstring."""
    params = params or ModelParams()
    fparams = feature_params or FeatureParams(seed=params.seed)
    train = labelled(train, "training data")
    fit_rows, valid_rows = (
        (train, valid) if valid is not None else split_by_time(train, valid_share)
    )
    valid_rows = valid_rows[valid_rows["fraud"].notna()] if valid_rows is not None else None
    model, report = _fit(fit_rows, valid_rows, params, fparams)
    model.training = fit_rows
    if refit and valid_rows is not None and len(valid_rows):
        everything = pd.concat([fit_rows, valid_rows]).sort_values(DATE, kind="stable")
        model = _refit(everything, model, params, fparams, len(fit_rows))
        model.training = everything
    model.metadata = _metadata(model, report, fit_rows, valid_rows)
    return model


def _fit(
    rows: pd.DataFrame, valid: pd.DataFrame | None, params: ModelParams, fparams: FeatureParams
) -> tuple[TargetingModel, dict[str, Any]]:
    encoder, x_fit = fit_encoder(rows, rows["fraud"].to_numpy(), fparams)
    y_fit = rows["fraud"].to_numpy(float)
    holdout = None
    if valid is not None and valid["fraud"].nunique() == 2:
        holdout = (encoder.transform(valid), valid["fraud"].to_numpy(float))
    cats = encoder.categorical_features
    rounds = None if holdout is not None else min(params.rounds, ROUNDS_WITHOUT_VALIDATION)
    classifier = fit_booster(params, "binary", (x_fit, y_fit), holdout, cats, rounds=rounds)
    model = TargetingModel(encoder, classifier, params)
    report: dict[str, Any] = {"best_iteration": _iterations(classifier)}
    if holdout is not None and valid is not None:
        report["validation"] = _validate(model, valid, holdout, (x_fit, y_fit), report)
    elif params.leaf_features == "on":
        model.leaf = fit_leaf_model(
            classifier, x_fit, y_fit, params.leaf_c[-1], params.seed, params.leaf_trees
        )
    model.regressor = _fit_regressor(rows, x_fit, valid, encoder, params)
    return model, report


def _validate(
    model: TargetingModel,
    valid: pd.DataFrame,
    holdout: tuple[pd.DataFrame, np.ndarray],
    fit: tuple[pd.DataFrame, np.ndarray],
    report: dict[str, Any],
) -> dict[str, Any]:
    """Validation figures of both variants; keeps the leaf model if it ranks better."""
    params, revenue = model.params, valid["revenue"].to_numpy(float)
    base = _figures(predict(model.classifier, holdout[0]), holdout[1], revenue)
    figures: dict[str, Any] = {"gbdt": base}
    if params.leaf_features != "off":
        best: tuple[float, LeafModel, dict[str, Any]] | None = None
        for c in params.leaf_c:
            leaf = fit_leaf_model(
                model.classifier, fit[0], fit[1], c, params.seed, params.leaf_trees
            )
            found = _figures(leaf.predict(model.classifier, holdout[0]), holdout[1], revenue)
            if best is None or found["mean_precision"] > best[0]:
                best = (found["mean_precision"], leaf, found)
        if best is not None:
            model.leaf_candidate = best[1]
            figures["gbdt+leaf-lr"] = {**best[2], "leaf_c": best[1].c}
            wins = best[0] > base["mean_precision"]
            if params.leaf_features == "on" or wins:
                model.leaf = best[1]
    report["variant"] = model.variant
    return figures


def _figures(scores: np.ndarray, fraud: np.ndarray, revenue: np.ndarray) -> dict[str, Any]:
    results = E.at_budgets(scores, fraud, revenue)
    return {
        "auc": E.auc(scores, fraud),
        "mean_precision": E.mean_precision(results),
        "budgets": [r.as_record() for r in results],
    }


def _fit_regressor(
    rows: pd.DataFrame,
    x_fit: pd.DataFrame,
    valid: pd.DataFrame | None,
    encoder: Encoder,
    params: ModelParams,
    rounds: int | None = None,
) -> Any | None:
    """Tweedie booster of revenue at stake over the frauds, if there are enough of them."""
    frauds = (rows["fraud"] == 1).to_numpy() & rows["revenue"].notna().to_numpy()
    if frauds.sum() < MIN_REVENUE_ROWS or not (rows["revenue"][frauds] > 0).any():
        return None
    train = (x_fit[frauds], rows["revenue"].to_numpy(float)[frauds])
    holdout = None
    if valid is not None and rounds is None:
        vf = valid[(valid["fraud"] == 1) & valid["revenue"].notna()]
        if len(vf) >= MIN_REVENUE_ROWS:
            holdout = (encoder.transform(vf), vf["revenue"].to_numpy(float))
    if holdout is None and rounds is None:
        rounds = min(params.rounds, ROUNDS_WITHOUT_VALIDATION)
    cats = encoder.categorical_features
    return fit_booster(params, "tweedie", train, holdout, cats, rounds=rounds)


def _refit(
    rows: pd.DataFrame,
    tuned: TargetingModel,
    params: ModelParams,
    fparams: FeatureParams,
    n_fit: int,
) -> TargetingModel:
    """Fit the tuned settings again on all rows, rounds scaled by the extra data."""
    scale = len(rows) / max(n_fit, 1)
    encoder, x_all = fit_encoder(rows, rows["fraud"].to_numpy(), fparams)
    y_all = rows["fraud"].to_numpy(float)
    cats = encoder.categorical_features
    rounds = max(1, round(_iterations(tuned.classifier) * scale))
    classifier = fit_booster(params, "binary", (x_all, y_all), None, cats, rounds=rounds)
    model = TargetingModel(encoder, classifier, params)
    if tuned.leaf is not None:
        model.leaf = fit_leaf_model(
            classifier, x_all, y_all, tuned.leaf.c, params.seed, params.leaf_trees
        )
    if tuned.regressor is not None:
        r_rounds = max(1, round(_iterations(tuned.regressor) * scale))
        model.regressor = _fit_regressor(rows, x_all, None, encoder, params, rounds=r_rounds)
    return model


def _iterations(booster: Any) -> int:
    return int(booster.best_iteration or 0) or int(booster.num_trees())


def _metadata(
    model: TargetingModel,
    report: dict[str, Any],
    fit_rows: pd.DataFrame,
    valid_rows: pd.DataFrame | None,
) -> dict[str, Any]:
    train = model.training
    return {
        "version": 1,
        "variant": model.variant,
        "refit": len(train) != len(fit_rows),
        "training_rows": len(train),
        "training_frauds": int(train["fraud"].sum()),
        "training_period": _period(train),
        "fit_period": _period(fit_rows),
        "validation_period": _period(valid_rows) if valid_rows is not None else None,
        "validation_rows": 0 if valid_rows is None else len(valid_rows),
        "rounds": _iterations(model.classifier),
        "revenue_model": "tweedie booster" if model.regressor is not None else "tax amount",
        "features": model.encoder.feature_names,
        "model_params": asdict(model.params),
        "feature_params": asdict(model.encoder.params),
        **report,
    }


def _period(frame: pd.DataFrame | None) -> list[str] | None:
    if frame is None or frame.empty:
        return None
    return [frame[DATE].min().date().isoformat(), frame[DATE].max().date().isoformat()]
