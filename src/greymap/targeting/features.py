"""Declaration features, with leakage-safe encodings of the many-valued ids.

What a risk officer looks at becomes a column: the goods at three HS levels, the unit
value against what the same goods usually cost per kg, the tax at stake, the day and
month, whether the goods left from another country than their origin (transshipment),
and the track record of the importer, declarant, seller, office and route.

Repeat values: the exact declared value and weight, alone and with the HS6 line, also
get a track record. A consignment declared again with the same goods, value and weight as
one found fraudulent deserves a look. On the KCS synthetic declarations these features
dominate: the generator (CTGAN) reuses exact values with their labels across years, so
their gain there overstates what real data will show (``docs/targeting.md``). They can be
turned off (``FeatureParams.repeat_values``).

Ids with many values (importers, sellers, HS6 lines, combinations like HS6 x origin) are
encoded by their smoothed fraud rate (target encoding) and how often they occur (count
encoding). A training row's own label must never reach its encoding, or the model learns
to trust the encoding more than it deserves: training rows are therefore encoded
out-of-fold (K folds; a row's rate and count come from the other folds only), and rows
to score are encoded with the rates and counts of all the training data. Few-valued
codes (process type, payment type, transport mode) go to LightGBM as categories.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from greymap.targeting import columns as C

MISSING = "<missing>"
#: Amounts whose exact declared figure has a track record of its own (repeat consignments).
REPEATS = ("value", "weight")
#: Pairs whose joint track record says more than each alone (DATE used the first three).
INTERACTIONS = (
    ("office", "importer"),
    ("office", "hs6"),
    ("hs6", "origin"),
    ("importer", "hs6"),
    ("hs6", "declared_value"),
    ("hs6", "declared_weight"),
)
NUMERIC = (
    "value",
    "fob_value",
    "weight",
    "quantity",
    "tax_rate",
    "tax_amount",
    "log_value_per_kg",
    "value_per_kg_vs_hs",
    "unit_value",
    "fob_cif_ratio",
    "transshipment",
    "month",
    "weekday",
    "day_of_year",
)


@dataclass(frozen=True)
class FeatureParams:
    """How ids are encoded; published with the model so a score can say how it was made."""

    folds: int = 5  # K of the out-of-fold encodings
    smoothing: float = 10.0  # pseudo-count pulling a rare id's fraud rate to the prior
    max_categories: int = 50  # ids with more values than this are target/count encoded
    min_hs_rows: int = 5  # rows an HS line needs before its own median unit value is used
    repeat_values: bool = True  # track records of exact declared values and weights
    seed: int = 0


@dataclass
class Encoder:
    """Everything fitted on the training rows that scoring needs, JSON-serialisable."""

    params: FeatureParams
    prior: float
    low: dict[str, list[str]] = field(default_factory=dict)
    rates: dict[str, dict[str, float]] = field(default_factory=dict)
    counts: dict[str, dict[str, float]] = field(default_factory=dict)
    medians: dict[str, dict[str, float]] = field(default_factory=dict)
    numeric: list[str] = field(default_factory=list)

    @property
    def feature_names(self) -> list[str]:
        names = [f"cat.{c}" for c in self.low]
        for col in self.rates:
            names += [f"te.{col}", f"n.{col}"]
        return names + [f"num.{c}" for c in self.numeric]

    @property
    def categorical_features(self) -> list[str]:
        return [f"cat.{c}" for c in self.low]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Encoder:
        return cls(**{**data, "params": FeatureParams(**data["params"])})

    def transform(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Features of rows to score, encoded with all the training data."""
        base = derive(frame, self.params.repeat_values)
        out = {f"cat.{c}": _codes(base[c], self.low[c]) for c in self.low}
        for col, rates in self.rates.items():
            out[f"te.{col}"] = _lookup(base[col], rates, self.prior)
            out[f"n.{col}"] = _lookup(base[col], self.counts[col], 0.0)
        numeric = _numeric(frame, base, self.medians)
        out |= {f"num.{c}": numeric[c].to_numpy(float) for c in self.numeric}
        return pd.DataFrame(out, index=frame.index)[self.feature_names]


def derive(frame: pd.DataFrame, repeats: bool = True) -> pd.DataFrame:
    """The categorical columns features are built from: fields, HS levels, pairs."""
    base = pd.DataFrame(index=frame.index)
    for name in C.CATEGORICAL:
        if name != "hs_code":
            base[name] = _text(frame[name])
    hs = frame["hs_code"].astype(object)
    for level in (6, 4, 2):
        base[f"hs{level}"] = _text(hs.str[:level])
    for name in REPEATS if repeats else ():
        base[f"declared_{name}"] = _text(frame[name].map(_amount_key))
    for left, right in INTERACTIONS:
        if left in base and right in base:
            base[f"{left}_x_{right}"] = base[left] + "&" + base[right]
    return base


def fit_encoder(
    frame: pd.DataFrame, fraud: np.ndarray, params: FeatureParams | None = None
) -> tuple[Encoder, pd.DataFrame]:
    """Fit on labelled training rows; return the encoder and the rows' out-of-fold features."""
    params = params or FeatureParams()
    base = derive(frame, params.repeat_values)
    y = np.asarray(fraud, dtype=float)
    encoder = Encoder(params, float(y.mean()) if len(y) else 0.0)
    folds = fold_ids(len(frame), params.folds, params.seed)
    out: dict[str, np.ndarray] = {}
    for col in base.columns:
        present = base[col][base[col] != MISSING]
        if present.empty or (present.nunique() <= 1 and "_x_" not in col):
            continue
        if base[col].nunique() <= params.max_categories:
            encoder.low[col] = sorted(base[col].unique())
            out[f"cat.{col}"] = _codes(base[col], encoder.low[col])
        else:
            rates, counts = _oof(base[col], y, folds, params.smoothing)
            out[f"te.{col}"], out[f"n.{col}"] = rates, counts
            stats = _stats(base[col], y, params.smoothing, encoder.prior)
            encoder.rates[col], encoder.counts[col] = stats
    encoder.medians = _medians(frame, base, params.min_hs_rows)
    numeric = _numeric(frame, base, encoder.medians)
    encoder.numeric = [c for c in NUMERIC if numeric[c].notna().any()]
    out |= {f"num.{c}": numeric[c].to_numpy(float) for c in encoder.numeric}
    return encoder, pd.DataFrame(out, index=frame.index)[encoder.feature_names]


def fold_ids(n: int, folds: int, seed: int) -> np.ndarray:
    """A seeded, balanced assignment of n rows to folds 0..folds-1."""
    rng = np.random.default_rng(seed)
    return np.asarray(rng.permutation(n) % folds, dtype=int)


def _oof(
    values: pd.Series, y: np.ndarray, folds: np.ndarray, smoothing: float
) -> tuple[np.ndarray, np.ndarray]:
    """Each row's rate and count from the other folds only (counts scaled to the full set).

    A value absent from the other folds gets count 0 and the prior, as an unseen value
    does when scoring.
    """
    codes, uniques = pd.factorize(values)
    k = int(folds.max()) + 1
    rates = np.empty(len(values))
    counts = np.empty(len(values))
    for fold in range(k):
        inside = folds == fold
        prior = float(y[~inside].mean())
        n = np.bincount(codes[~inside], minlength=len(uniques)).astype(float)
        frauds = np.bincount(codes[~inside], weights=y[~inside], minlength=len(uniques))
        rate = (frauds + smoothing * prior) / (n + smoothing)
        rates[inside] = rate[codes[inside]]
        counts[inside] = n[codes[inside]] * k / (k - 1)
    return rates, counts


def _stats(
    values: pd.Series, y: np.ndarray, smoothing: float, prior: float
) -> tuple[dict[str, float], dict[str, float]]:
    """Smoothed fraud rate (frauds + m * prior) / (n + m) and count, per value."""
    codes, uniques = pd.factorize(values)
    n = np.bincount(codes, minlength=len(uniques)).astype(float)
    frauds = np.bincount(codes, weights=y, minlength=len(uniques))
    rate = (frauds + smoothing * prior) / (n + smoothing)
    keys = [str(u) for u in uniques]
    return dict(zip(keys, rate.tolist(), strict=True)), dict(zip(keys, n.tolist(), strict=True))


def _medians(frame: pd.DataFrame, base: pd.DataFrame, min_rows: int) -> dict[str, dict[str, float]]:
    """Median log value per kg for each HS line with enough rows, at 6, 4 and 2 digits."""
    log_vpk = _log_value_per_kg(frame)
    medians: dict[str, dict[str, float]] = {}
    for level in ("hs6", "hs4", "hs2"):
        grouped = log_vpk.groupby(base[level]).agg(["median", "count"])
        grouped = grouped[(grouped["count"] >= min_rows) & (grouped.index != MISSING)]
        medians[level] = {str(k): float(v) for k, v in grouped["median"].dropna().items()}
    overall = float(log_vpk.median()) if log_vpk.notna().any() else float("nan")
    medians["all"] = {"": overall}
    return medians


def _numeric(
    frame: pd.DataFrame, base: pd.DataFrame, medians: dict[str, dict[str, float]]
) -> pd.DataFrame:
    out = frame[list(C.NUMERIC)].astype(float).copy()
    out["log_value_per_kg"] = _log_value_per_kg(frame)
    reference = pd.Series(medians.get("all", {}).get("", np.nan), index=frame.index)
    for level in ("hs2", "hs4", "hs6"):
        specific = base[level].map(medians.get(level, {}))
        reference = specific.where(specific.notna(), reference)
    out["value_per_kg_vs_hs"] = out["log_value_per_kg"] - reference
    quantity = frame["quantity"].where(frame["quantity"] > 0)
    out["unit_value"] = frame["value"] / quantity
    out["fob_cif_ratio"] = frame["fob_value"] / frame["value"].where(frame["value"] > 0)
    known = frame["origin"].notna() & frame["departure"].notna()
    out["transshipment"] = (frame["origin"] != frame["departure"]).astype(float).where(known)
    dates = pd.to_datetime(frame[C.DATE])
    out["month"] = dates.dt.month.astype(float)
    out["weekday"] = dates.dt.weekday.astype(float)
    out["day_of_year"] = dates.dt.dayofyear.astype(float)
    return out


def _log_value_per_kg(frame: pd.DataFrame) -> pd.Series:
    value = frame["value"].where(frame["value"] > 0)
    weight = frame["weight"].where(frame["weight"] > 0)
    return pd.Series(np.log(value / weight), index=frame.index, dtype=float)


def _amount_key(value: float) -> str | None:
    """An amount as a key: the same figure gives the same key (``1200.0`` and ``1200``)."""
    return None if value != value else f"{value:.10g}"


def _text(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), MISSING).astype(str).astype(object)


def _lookup(values: pd.Series, table: dict[str, float], default: float) -> np.ndarray:
    """``table[value]`` for each value, ``default`` for values not in it (vectorised)."""
    keys = pd.Index(list(table))
    found = np.asarray(list(table.values()), dtype=float)
    position = keys.get_indexer(pd.Index(values.to_numpy()))
    return np.where(position >= 0, found[position], default)


def _codes(values: pd.Series, vocabulary: list[str]) -> np.ndarray:
    """Category codes for LightGBM; a value not seen in training becomes missing."""
    position = pd.Index(vocabulary).get_indexer(pd.Index(values.to_numpy())).astype(float)
    return np.where(position >= 0, position, np.nan)
