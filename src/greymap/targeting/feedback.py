"""``target update``: inspection outcomes come back, the model retrains on them.

An outcome is ``declaration_id, fraud`` and optionally ``revenue`` (what the inspection
raised). The declarations themselves come from the file that was scored (their fields
are needed to learn from them). Outcomes are appended to the rows the model was trained
on, a newer outcome replacing an older one for the same declaration, and the model is
trained again with the same settings; its metadata keeps a history of the rounds.

When an outcome gives no revenue, the revenue at stake is taken as the declaration's tax
amount if it was fraud, and zero if not: the same proxy the KCS layout uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from greymap.errors import InputError
from greymap.targeting.columns import DATE, ID
from greymap.targeting.load import FALSE, TRUE
from greymap.targeting.pipeline import TargetingModel, train_model


@dataclass(frozen=True)
class UpdateSummary:
    rows_added: int
    frauds_added: int
    outcomes_unmatched: int
    training_rows: int
    version: int

    def as_record(self) -> dict[str, Any]:
        return dict(self.__dict__)


def read_outcomes(path: str | Path) -> pd.DataFrame:
    """An outcomes CSV: ``declaration_id, fraud[, revenue]``, fraud as 0/1 or true/false."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"cannot read outcomes file {path}: {exc}") from exc
    raw.columns = [c.strip() for c in raw.columns]
    missing = [c for c in (ID, "fraud") if c not in raw.columns]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)}; expected "
            f"declaration_id, fraud (0/1) and optionally revenue; found {', '.join(raw.columns)}"
        )
    fraud = raw["fraud"].str.strip().str.lower()
    bad = ~fraud.isin(TRUE | FALSE)
    if bad.any():
        rows = ", ".join(str(i + 2) for i in np.flatnonzero(bad)[:5])
        raise InputError(f"{path}: fraud must be 0/1 (or true/false); bad on line(s) {rows}")
    out = pd.DataFrame({ID: raw[ID].str.strip(), "fraud": fraud.isin(TRUE).astype(float)})
    revenue = raw["revenue"] if "revenue" in raw.columns else pd.Series("", index=raw.index)
    out["revenue"] = pd.to_numeric(revenue.str.replace(",", ""), errors="coerce")
    return out


def apply_outcomes(declarations: pd.DataFrame, outcomes: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The declarations that have an outcome, labelled with it; and the unmatched count."""
    outcomes = outcomes.drop_duplicates(ID, keep="last").set_index(ID)
    rows = declarations[declarations[ID].isin(outcomes.index)].copy()
    found = outcomes.loc[rows[ID]]
    rows["fraud"] = found["fraud"].to_numpy(float)
    proxy = rows["fraud"] * rows["tax_amount"].fillna(0.0)
    rows["revenue"] = found["revenue"].to_numpy(float)
    rows["revenue"] = rows["revenue"].where(rows["revenue"].notna(), proxy)
    return rows, int((~outcomes.index.isin(declarations[ID])).sum())


def update_model(
    model: TargetingModel, declarations: pd.DataFrame, outcomes: pd.DataFrame | None = None
) -> tuple[TargetingModel, UpdateSummary]:
    """Retrain ``model`` with the new outcomes (or the declarations' own labels)."""
    unmatched = 0
    if outcomes is not None:
        new, unmatched = apply_outcomes(declarations, outcomes)
    else:
        new = declarations[declarations["fraud"].notna()].copy()
        proxy = new["fraud"] * new["tax_amount"].fillna(0.0)
        new["revenue"] = new["revenue"].where(new["revenue"].notna(), proxy)
    if new.empty:
        raise InputError(
            "no inspection outcomes to learn from: give --outcomes FILE (declaration_id, "
            "fraud[, revenue]) matching the declarations, or a file with its labels filled in"
        )
    old = model.training
    combined = pd.concat([old[~old[ID].isin(new[ID])], new], ignore_index=True)
    combined = combined.sort_values(DATE, kind="stable").reset_index(drop=True)
    retrained = train_model(combined, params=model.params, feature_params=model.encoder.params)
    version = int(model.metadata.get("version", 1)) + 1
    summary = UpdateSummary(
        len(new), int(new["fraud"].sum()), unmatched, len(retrained.training), version
    )
    history = [*model.metadata.get("history", []), _round(model, summary)]
    retrained.metadata |= {"version": version, "history": history}
    return retrained, summary


def _round(model: TargetingModel, summary: UpdateSummary) -> dict[str, Any]:
    """What the previous version was, kept when a new one replaces it."""
    return {
        "version": int(model.metadata.get("version", 1)),
        "training_rows": len(model.training),
        "training_period": model.metadata.get("training_period"),
        "variant": model.metadata.get("variant"),
        "then_added_rows": summary.rows_added,
        "then_added_frauds": summary.frauds_added,
    }
