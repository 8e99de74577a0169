"""Score a batch of declarations, pick the inspections, say why; or grade a labelled batch.

These are the two things a user does with a trained model, and what ``target score`` and
``target evaluate`` print.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from greymap.errors import InputError
from greymap.targeting import evaluate as E
from greymap.targeting.explain import top_reasons
from greymap.targeting.pipeline import TargetingModel
from greymap.targeting.select import select

#: The contract's keys first, then what else a score row says.
KEYS = ("declaration_id", "risk", "expected_revenue", "selected", "top_reasons")
EXTRA = ("rank", "selection", "propensity", "date")


def score_declarations(
    model: TargetingModel,
    frame: pd.DataFrame,
    budget: float | int,
    *,
    by: str = "risk",
    explore: float = 0.0,
    explore_by: str = "random",
    seed: int = 0,
    reasons: int = 3,
    reasons_for: str = "selected",
) -> pd.DataFrame:
    """One row per declaration, in rank order, with the selection and its reasons.

    ``reasons_for`` is ``selected`` (explain only the picks: fast on large batches) or
    ``all``.
    """
    if frame.empty:
        raise InputError("no declarations to score")
    features = model.features(frame)
    scored = model.score(frame)
    picked = select(
        scored["risk"].to_numpy(),
        scored["expected_revenue"].to_numpy(),
        budget,
        by=by,
        explore=explore,
        explore_by=explore_by,
        seed=seed,
    )
    out = scored.assign(
        selected=picked.selected,
        top_reasons="",
        rank=picked.rank,
        selection=picked.reason,
        propensity=picked.propensity,
        date=frame["date"].dt.date.astype(str).to_numpy(),
    )
    explain = picked.selected if reasons_for == "selected" else np.ones(len(frame), dtype=bool)
    if reasons > 0 and explain.any():
        rows = np.flatnonzero(explain)
        texts = top_reasons(model, frame.iloc[rows], features.iloc[rows], reasons)
        out.loc[out.index[rows], "top_reasons"] = texts
    return out.sort_values("rank", kind="stable")[[*KEYS, *EXTRA]].reset_index(drop=True)


def records(scored: pd.DataFrame, only_selected: bool = False) -> list[dict[str, Any]]:
    """Flat records with plain Python values, for rendering."""
    rows = scored[scored["selected"]] if only_selected else scored
    out: list[dict[str, Any]] = []
    for raw in rows.to_dict(orient="records"):
        record = {str(k): v for k, v in raw.items()}
        record["risk"] = round(float(record["risk"]), 6)
        record["expected_revenue"] = round(float(record["expected_revenue"]), 2)
        record["propensity"] = round(float(record["propensity"]), 6)
        record["selected"] = bool(record["selected"])
        record["rank"] = int(record["rank"])
        out.append(record)
    return out


def evaluate_model(
    model: TargetingModel, frame: pd.DataFrame, budgets: tuple[float, ...] = E.BUDGETS
) -> list[dict[str, Any]]:
    """Precision, recall and revenue at each budget, ranking by risk and by revenue."""
    rows = frame[frame["fraud"].notna()]
    if rows.empty or rows["fraud"].nunique() < 2:
        raise InputError(
            "evaluation needs labelled declarations with both outcomes (fraud 0 and 1)"
        )
    scored = model.score(rows)
    fraud, revenue = rows["fraud"].to_numpy(float), rows["revenue"].to_numpy(float)
    critical = (rows["critical"] == 2).to_numpy() if rows["critical"].notna().any() else None
    out: list[dict[str, Any]] = []
    for by, column in (("risk", "risk"), ("revenue", "expected_revenue")):
        results = E.at_budgets(scored[column].to_numpy(), fraud, revenue, budgets, critical)
        out += [{"ranked_by": by, **r.as_record()} for r in results]
    return out


__all__ = ["EXTRA", "KEYS", "evaluate_model", "records", "score_declarations"]
