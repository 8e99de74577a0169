"""Tiny canonical declaration frames for hand-computed cases."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from greymap.targeting.columns import CATEGORICAL, FIELDS, NUMERIC


def frame(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Canonical rows; fields not given are missing, ids and dates filled in."""
    out: dict[str, list[Any]] = {name: [] for name in FIELDS}
    for i, row in enumerate(rows):
        for name in FIELDS:
            default: Any = None if name in CATEGORICAL else np.nan
            if name == "declaration_id":
                default = f"D{i + 1}"
            elif name == "date":
                default = pd.Timestamp("2020-01-01") + pd.Timedelta(days=i)
            out[name].append(row.get(name, default))
    result = pd.DataFrame(out)
    for name in (*NUMERIC, "fraud", "critical", "revenue"):
        result[name] = result[name].astype(float)
    result["date"] = pd.to_datetime(result["date"])
    return result
