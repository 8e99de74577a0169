"""Writing an index run into the workspace result tables, in one transaction.

Reading them back for outputs lives in :mod:`greymap.index.views`; nothing here computes.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from greymap.index.composite import IndexResult
from greymap.index.correlation import Correlation
from greymap.index.framework import Framework
from greymap.index.inputs import Prepared, registered
from greymap.index.profile import ProfileRow
from greymap.index.uncertainty import Design, Interval, Sensitivity
from greymap.workspace import Workspace


@dataclass
class RunRecord:
    framework: Framework
    config_path: str | None
    prepared: Prepared
    nominal: IndexResult
    design: Design
    intervals: list[Interval]
    sensitivity: list[Sensitivity]
    correlations: list[Correlation]
    profiles: list[ProfileRow]
    seconds: float


def write_run(ws: Workspace, run: RunRecord) -> int:
    """Store every table of ``run`` under a new run id and return it."""
    with ws.transaction() as con:
        run_id = int(con.execute("SELECT nextval('index_run_id_seq')").fetchall()[0][0])
        _insert_run(ws, run_id, run)
        tables = {
            "index_indicators": _indicators(run),
            "index_coverage": _coverage(run),
            "index_values": _values(run),
            "index_scores": _scores(run),
            "index_uncertainty": _uncertainty(run),
            "index_sensitivity": pd.DataFrame([asdict(s) for s in run.sensitivity]),
            "index_correlations": pd.DataFrame([asdict(c) for c in run.correlations]),
            "index_profiles": pd.DataFrame([asdict(p) for p in run.profiles]),
        }
        for table, frame in tables.items():
            _append(ws, table, run_id, frame)
    return run_id


def parameters(run: RunRecord) -> dict[str, Any]:
    """Everything a reader needs to reproduce the run, as stored in ``index_runs``."""
    fw = run.framework
    return {
        "method": fw.method.model_dump(),
        "coverage": fw.coverage.model_dump(),
        "outliers": fw.outliers.model_dump(),
        "uncertainty": {
            "draws": run.design.draws,
            "seed": run.design.seed,
            "interval": run.design.interval,
            "weight_noise": run.design.weight_noise,
            "alternatives": {k: list(v) for k, v in run.design.alternatives.items()},
        },
        "correlation": fw.correlation.model_dump(),
        "profile": fw.profile.model_dump(),
        "category_weights": dict(
            zip(run.prepared.data.categories, run.nominal.category_weights.tolist(), strict=True)
        ),
    }


def _insert_run(ws: Workspace, run_id: int, run: RunRecord) -> None:
    from greymap import __version__

    prepared = run.prepared
    ws.con.execute(
        "INSERT INTO index_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            run.framework.name,
            run.framework.version,
            run.framework.digest(),
            run.config_path,
            prepared.data.categories,
            json.dumps(parameters(run)),
            len(prepared.data.countries),
            sum(1 for c in prepared.coverage if not c.included),
            len(prepared.data.indicators),
            prepared.warnings,
            run.seconds,
            datetime.now(UTC).replace(tzinfo=None),
            __version__,
        ],
    )


def _append(ws: Workspace, table: str, run_id: int, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    frame = frame.copy()
    frame.insert(0, "run_id", run_id)
    frame = frame.replace({np.nan: None})
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    with registered(ws.con, "index_frame", frame):
        ws.con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM index_frame")


def _indicators(run: RunRecord) -> pd.DataFrame:
    data, nominal = run.prepared.data, run.nominal
    position = {name: j for j, name in enumerate(data.indicators)}
    rows = []
    for s in run.prepared.statuses:
        ind = s.indicator
        j = position.get(ind.id)
        t = nominal.treatments[j] if j is not None else None
        rows.append(
            {
                "indicator": ind.id,
                "category": s.category,
                "name": ind.name,
                "source": ind.source,
                "source_indicator": ind.indicator,
                "year": ind.year,
                "direction": ind.direction,
                "weight": float(nominal.indicator_weights[j]) if j is not None else None,
                "countries": s.countries,
                "coverage": s.coverage,
                "skew": t.skew if t else None,
                "kurtosis": t.kurtosis if t else None,
                "treatment": t.treatment if t else None,
                "winsorised": t.winsorised if t else None,
                "status": s.status,
                "reason": s.reason,
                "citation": ind.citation,
            }
        )
    return pd.DataFrame(rows)


def _coverage(run: RunRecord) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "country": c.country,
                "indicators_available": c.available,
                "indicators_total": c.total,
                "coverage": c.coverage,
                "included": c.included,
                "reason": c.reason,
            }
            for c in run.prepared.coverage
        ]
    )


def _values(run: RunRecord) -> pd.DataFrame:
    data, nominal = run.prepared.data, run.nominal
    n, p = data.raw.shape
    return pd.DataFrame(
        {
            "country": np.repeat(data.countries, p),
            "indicator": np.tile(data.indicators, n),
            "year": pd.Series(np.round(run.prepared.years.ravel())).astype("Int64"),
            "raw": data.raw.ravel(),
            "value": nominal.values.ravel(),
            "normalised": nominal.normalised.ravel(),
            "imputed": nominal.imputed.ravel(),
        }
    )


def _scores(run: RunRecord) -> pd.DataFrame:
    from greymap.index.composite import competition_ranks

    data, nominal = run.prepared.data, run.nominal
    frames = [
        pd.DataFrame(
            {
                "country": data.countries,
                "component": "overall",
                "score": nominal.scores,
                "rank": nominal.ranks,
                "imputed_share": nominal.imputed.mean(axis=1),
            }
        )
    ]
    for k, category in enumerate(data.categories):
        cols = data.groups[k]
        frames.append(
            pd.DataFrame(
                {
                    "country": data.countries,
                    "component": category,
                    "score": nominal.category_scores[:, k],
                    "rank": competition_ranks(nominal.category_scores[:, k]),
                    "imputed_share": nominal.imputed[:, cols].mean(axis=1),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _uncertainty(run: RunRecord) -> pd.DataFrame:
    frame = pd.DataFrame([asdict(i) for i in run.intervals])
    frame.insert(0, "rank", run.nominal.ranks)
    frame.insert(0, "country", run.prepared.data.countries)
    return frame
