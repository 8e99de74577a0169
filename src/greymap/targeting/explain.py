"""Why a declaration was picked: the features that pushed its risk up the most.

The contributions are SHAP values of the fraud booster, which LightGBM computes exactly
for trees (``pred_contrib=True``; TreeSHAP, Lundberg et al. 2020), in log-odds: a
reason ``importer 7JD1S2X fraud rate 0.62 (+1.30)`` means that this importer's track
record raised the log-odds of fraud by 1.30 over the average declaration. When the
leaf model is in use, the reasons are those of the booster whose leaves it re-weighs.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from greymap.targeting.features import MISSING, derive
from greymap.targeting.model import contributions
from greymap.targeting.pipeline import TargetingModel

SEPARATOR = "; "
NAMES = {
    "hs6": "HS6",
    "hs4": "HS4",
    "hs2": "HS2",
    "value": "value",
    "fob_value": "FOB value",
    "weight": "weight (kg)",
    "tax_rate": "tax rate %",
    "tax_amount": "tax amount",
    "log_value_per_kg": "value per kg",
    "value_per_kg_vs_hs": "value per kg vs HS median",
    "unit_value": "unit value",
    "fob_cif_ratio": "FOB/CIF",
    "day_of_year": "day of year",
}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def top_reasons(
    model: TargetingModel, frame: pd.DataFrame, features: pd.DataFrame, n: int = 3
) -> list[str]:
    """For each row, its ``n`` largest positive contributions, ``'; '``-separated."""
    if frame.empty:
        return []
    shap = contributions(model.classifier, features)[:, :-1]
    names = list(features.columns)
    base = derive(frame)
    values = features.to_numpy(float)
    reasons = []
    for i in range(len(frame)):
        top = [j for j in np.argsort(-shap[i], kind="stable")[:n] if shap[i, j] > 0]
        texts = [
            f"{_describe(names[j], values[i, j], base.iloc[i])} ({shap[i, j]:+.2f})" for j in top
        ]
        reasons.append(SEPARATOR.join(texts))
    return reasons


def label(column: str) -> str:
    """A readable name for a base column: ``office_x_importer`` -> ``office x importer``."""
    parts = column.split("_x_")
    return " x ".join(NAMES.get(p, p.replace("_", " ")) for p in parts)


def _describe(feature: str, value: float, row: pd.Series) -> str:
    kind, column = feature.split(".", 1)
    if kind == "cat":
        return f"{label(column)} {_raw(row[column])}"
    if kind == "te":
        return f"{label(column)} {_raw(row[column])} fraud rate {value:.2f}"
    if kind == "n":
        times = "time" if round(value) == 1 else "times"
        return f"{label(column)} {_raw(row[column])} seen {value:.0f} {times}"
    return _numeric(column, value)


def _numeric(column: str, value: float) -> str:
    name = label(column)
    if math.isnan(value):
        return f"{name} missing"
    if column == "transshipment":
        return "departure differs from origin" if value else "departure same as origin"
    if column == "weekday":
        return f"weekday {WEEKDAYS[int(value) % 7]}"
    if column in ("month", "day_of_year"):
        return f"{name} {value:.0f}"
    if column == "log_value_per_kg":
        return f"{name} {_amount(math.exp(value))}"
    if column == "value_per_kg_vs_hs":
        return f"{name} x{math.exp(value):.2f}"
    return f"{name} {_amount(value)}"


def _amount(value: float) -> str:
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _raw(value: object) -> str:
    text = str(value)
    return "(missing)" if text == MISSING else text.replace("&", "/")
