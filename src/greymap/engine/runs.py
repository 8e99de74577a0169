"""Running an analysis plan and recording how its result was made.

Every result table is written together with a row in ``analysis_runs`` (the analysis, the
engine, the parameters as JSON, rows, seconds), so a report can say how a figure was
made and a rerun can be compared with the last one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from greymap.engine.base import Plan, get_engine
from greymap.workspace import Workspace
from greymap.workspace.store import _now


@dataclass(frozen=True)
class RunRecord:
    run_id: int
    analysis: str
    result_table: str
    engine: str
    rows: int
    seconds: float


def run_plan(
    workspace: Workspace,
    analysis: str,
    plan: Plan,
    result_table: str,
    parameters: Mapping[str, Any],
    engine: str = "duckdb",
) -> RunRecord:
    """Run ``plan`` on ``engine`` into ``result_table`` and record the run."""
    runner = get_engine(engine)
    started = time.perf_counter()
    rows = runner.run(workspace, plan, result_table)
    seconds = time.perf_counter() - started
    from greymap import __version__

    row = workspace.con.execute("SELECT nextval('analysis_run_id_seq')").fetchone()
    assert row is not None
    run_id = int(row[0])
    workspace.con.execute(
        "INSERT INTO analysis_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            analysis,
            result_table,
            engine,
            json.dumps(dict(parameters), default=str),
            rows,
            seconds,
            _now(),
            __version__,
        ],
    )
    return RunRecord(run_id, analysis, result_table, engine, rows, seconds)


def last_run(workspace: Workspace, result_table: str) -> dict[str, Any] | None:
    """The latest run that wrote ``result_table``, with its parameters decoded."""
    cur = workspace.con.execute(
        "SELECT run_id, analysis, engine, parameters, rows, seconds, created_at "
        "FROM analysis_runs WHERE result_table = ? ORDER BY run_id DESC LIMIT 1",
        [result_table],
    )
    row = cur.fetchone()
    if row is None:
        return None
    keys = ("run_id", "analysis", "engine", "parameters", "rows", "seconds", "created_at")
    record = dict(zip(keys, row, strict=True))
    record["parameters"] = json.loads(record["parameters"])
    return record
