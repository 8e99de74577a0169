"""Entry points: prepare the inputs, run the analyses, store results and how they were made.

* :func:`run_suspicion` -> ``shipment_suspicion`` (a SQL plan, DuckDB or Spark);
* :func:`run_chokepoints` -> ``chokepoints`` (one layer, optionally one sector);
* :func:`run_interdiction` -> ``interdiction_plans`` (naive and robust plans, rows in pick
  order) and ``interdiction_summary`` (what each plan removes before and after
  rerouting, with the degree and volume baselines).

Each run is recorded in ``analysis_runs`` with its parameters, like every analysis.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from greymap.engine.runs import RunRecord, run_plan
from greymap.errors import InputError
from greymap.network.common import CommonParams, common_scores
from greymap.network.interdict import (
    InterdictParams,
    flow_set,
    heuristic_choice,
    naive_plan,
    plan_rows,
    robust_plan,
    summarise,
)
from greymap.network.layers import LAYERS, Layer, build_layer, load_journeys
from greymap.network.measures import extra_measures
from greymap.network.milp import Solution
from greymap.network.parties import register_party_keys
from greymap.network.suspicion import (
    OPTIONAL_INPUTS,
    SuspicionWeights,
    missing_notes,
    suspicion_plan,
)
from greymap.network.suspicion import TABLE as SUSPICION_TABLE
from greymap.network.watchlist import register_watchlist
from greymap.reference.register import register
from greymap.reference.sectors import get_sector
from greymap.workspace import Workspace
from greymap.workspace.store import _now

CHOKEPOINT_TABLE = "chokepoints"
PLAN_TABLE = "interdiction_plans"
SUMMARY_TABLE = "interdiction_summary"

CHOKEPOINT_COLUMNS = (
    "node",
    "label",
    "layer",
    "score",
    "suspicious_value_usd",
    "suspicious_share",
    "sectors",
    "rank",
    "total_value_usd",
    "suspicious_ratio",
    "journeys",
    "sectors_with_excess",
    "path_betweenness_share",
    "path_betweenness_stderr",
    "in_min_cut",
    "key_player_rank",
)


def run_suspicion(
    workspace: Workspace, weights: SuspicionWeights | None = None, engine: str = "duckdb"
) -> RunRecord:
    """Weigh every shipment into ``shipment_suspicion``; see :mod:`.suspicion`."""
    weights = weights or SuspicionWeights()
    if "shipments" not in workspace.table_names() or workspace.count("shipments") == 0:
        raise InputError(
            "the workspace has no shipments yet; load some first: greymap ingest shipments FILE"
        )
    register(workspace.con)
    listed = register_watchlist(workspace)
    keyed_by = register_party_keys(workspace)
    tables = set(workspace.table_names())
    present = [t for t in OPTIONAL_INPUTS if t in tables and workspace.count(t) > 0]
    parameters = {
        **weights.as_dict(),
        "evidence_tables": present,
        "notes": missing_notes(present),
        "parties_keyed_by": keyed_by,
        "listed_entities": listed,
    }
    plan = suspicion_plan(weights, present)
    return run_plan(workspace, "network suspicion", plan, SUSPICION_TABLE, parameters, engine)


def prepare_layer(
    workspace: Workspace,
    layer: str,
    sector: str | None = None,
    *,
    weights: SuspicionWeights | None = None,
    reuse: bool = False,
    engine: str = "duckdb",
) -> Layer:
    """Weigh shipments (unless ``reuse`` and already done) and build ``layer``, restricted
    to journeys of ``sector`` when given."""
    if layer not in LAYERS:
        raise InputError(f"--layer must be one of {', '.join(LAYERS)}, not {layer!r}")
    if not (reuse and _has_weights(workspace)):
        run_suspicion(workspace, weights, engine)
    journeys = load_journeys(workspace)
    if sector:
        slug = get_sector(sector).slug
        journeys = journeys[journeys["sectors"].map(lambda s: slug in s)].reset_index(drop=True)
    return build_layer(journeys, layer)


def _has_weights(workspace: Workspace) -> bool:
    """Whether ``shipment_suspicion`` holds this module's weights (another analysis
    writing a table of the same name must not be mistaken for them)."""
    if SUSPICION_TABLE not in workspace.table_names():
        return False
    cols = {
        r[0]
        for r in workspace.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
            [SUSPICION_TABLE],
        ).fetchall()
    }
    return {"rid", "next_rid", "weight", "evidence"} <= cols


def record_run(
    workspace: Workspace,
    analysis: str,
    table: str,
    parameters: Mapping[str, Any],
    rows: int,
    seconds: float,
) -> int:
    """A row in ``analysis_runs``, as :func:`greymap.engine.runs.run_plan` writes."""
    from greymap import __version__

    run_id = int(workspace.scalar("SELECT nextval('analysis_run_id_seq')"))
    workspace.con.execute(
        "INSERT INTO analysis_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            analysis,
            table,
            "python",
            json.dumps(dict(parameters), default=str),
            rows,
            seconds,
            _now(),
            __version__,
        ],
    )
    return run_id


def _store(workspace: Workspace, table: str, frame: pd.DataFrame, where: dict[str, Any]) -> None:
    """Replace the rows of ``table`` matching ``where`` with ``frame`` (created on first use)."""
    con = workspace.con
    con.register("_net_frame", frame)
    try:
        if table not in workspace.table_names():
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM _net_frame LIMIT 0")
        clause = " AND ".join(f"{k} IS NOT DISTINCT FROM ?" for k in where)
        con.execute(f"DELETE FROM {table} WHERE {clause}", list(where.values()))
        cols = ", ".join(frame.columns)
        con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _net_frame")
    finally:
        con.unregister("_net_frame")


@dataclass(frozen=True)
class ChokepointParams:
    layer: str = "port"
    sector: str | None = None
    common: CommonParams = field(default_factory=CommonParams)
    interdict: InterdictParams = field(default_factory=InterdictParams)
    key_players: int = 10
    betweenness_samples: int = 64


def run_chokepoints(
    workspace: Workspace, params: ChokepointParams, *, reuse: bool = False
) -> pd.DataFrame:
    """Rank the nodes of one layer into ``chokepoints``; returns the ranking."""
    started = time.perf_counter()
    layer = prepare_layer(workspace, params.layer, params.sector, reuse=reuse)
    ranking = common_scores(layer, params.common)
    extras, notes = extra_measures(layer, ranking, params)
    ranking = ranking.merge(extras, on="node", how="left")
    ranking["sectors"] = ranking["sectors"].map(";".join)
    frame = ranking[list(CHOKEPOINT_COLUMNS)].copy()
    frame["sector_filter"] = params.sector
    parameters = {
        "layer": params.layer,
        "sector": params.sector,
        **params.common.as_dict(),
        "key_players": params.key_players,
        "min_weight": params.interdict.min_weight,
        "betweenness_samples": params.betweenness_samples,
        **notes,
    }
    seconds = time.perf_counter() - started
    run_id = record_run(workspace, "chokepoints", CHOKEPOINT_TABLE, parameters, len(frame), seconds)
    frame["run_id"] = run_id
    _store(
        workspace, CHOKEPOINT_TABLE, frame, {"layer": params.layer, "sector_filter": params.sector}
    )
    return frame


def run_interdiction(
    workspace: Workspace,
    layer_name: str,
    params: InterdictParams,
    *,
    sector: str | None = None,
    costs: Mapping[str, float] | None = None,
    reuse: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Naive and robust plans for one layer into ``interdiction_plans`` and
    ``interdiction_summary``; returns (plan rows, summary rows)."""
    if params.budget <= 0:
        raise InputError(f"--budget must be positive, not {params.budget}")
    started = time.perf_counter()
    layer = prepare_layer(workspace, layer_name, sector, reuse=reuse)
    flows = flow_set(layer, params, costs)
    if not len(flows.network.paths):
        raise InputError(
            f"no journey on the {layer_name} layer has a suspicion weight of at least "
            f"{params.min_weight}; nothing to interdict (lower --min-weight?)"
        )
    problem, naive = naive_plan(flows, params)
    robust_problem, robust, rounds = robust_plan(flows, params)
    rows = plan_rows(flows, problem, naive, params, "naive")
    rows += plan_rows(flows, robust_problem, robust, params, "robust")
    summaries = [
        summarise(flows, naive, params, "naive"),
        summarise(flows, robust, params, "robust", rounds),
    ]
    if costs is None:
        for by in ("degree", "volume"):
            chosen = heuristic_choice(flows, layer, params.budget, by)
            baseline = Solution(chosen, 0.0, 0.0, by, False, 0.0)
            summaries.append(summarise(flows, baseline, params, by))
    parameters = {
        "layer": layer_name,
        "sector": sector,
        **params.as_dict(),
        "costs": "per node" if costs else "one per node",
    }
    seconds = time.perf_counter() - started
    plan_frame = pd.DataFrame(rows)
    summary = pd.DataFrame([s.as_record() for s in summaries])
    run_id = record_run(workspace, "interdict", PLAN_TABLE, parameters, len(plan_frame), seconds)
    for frame in (plan_frame, summary):
        frame["layer"] = layer_name
        frame["sector_filter"] = sector
        frame["run_id"] = run_id
    if not plan_frame.empty:
        _store(workspace, PLAN_TABLE, plan_frame, {"layer": layer_name, "sector_filter": sector})
    _store(workspace, SUMMARY_TABLE, summary, {"layer": layer_name, "sector_filter": sector})
    return plan_frame, summary


def with_budget(params: InterdictParams, budget: float) -> InterdictParams:
    return replace(params, budget=budget)
