"""``greymap chokepoints | interdict | chokepoint-explain | network export``."""

from __future__ import annotations

import csv
import math
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from greymap.cli.app import app, state
from greymap.cli.render import OutputFormat, render
from greymap.errors import InputError
from greymap.workspace import Workspace

network_app = typer.Typer(help="The grey-market network: export its layers.", no_args_is_help=True)
app.add_typer(network_app, name="network")

CHOKEPOINT_KEYS = (
    "node",
    "label",
    "layer",
    "score",
    "suspicious_value_usd",
    "suspicious_share",
    "sectors",
)
PLAN_KEYS = ("node", "label", "removed_value_usd", "cumulative_share")
PLAN_EXTRA = (
    "plan",
    "rank",
    "layer",
    "cost",
    "cumulative_removed_after_rerouting_usd",
    "cumulative_share_after_rerouting",
)

Format = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
Layer = Annotated[str, typer.Option("--layer", help="country, port or firm.")]
Sector = Annotated[str | None, typer.Option("--sector", help="Only journeys of this sector.")]
Reuse = Annotated[
    bool, typer.Option("--reuse", help="Reuse the last shipment weights instead of recomputing.")
]


def as_records(frame: Any) -> list[dict[str, Any]]:
    """A data frame as flat JSON-ready records (numpy scalars and missing values made plain)."""
    return [{str(k): _plain(v) for k, v in r.items()} for r in frame.to_dict("records")]


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return None if value is None or str(value) == "<NA>" else value


@app.command(help="Rank choke points: where suspicious flow of many sectors passes.")
def chokepoints(
    layer: Layer = "port",
    sector: Sector = None,
    top: Annotated[int, typer.Option("--top", help="Show the N best (0: all).")] = 20,
    reuse: Reuse = False,
    output: Format = OutputFormat.table,
) -> None:
    from greymap.network.run import ChokepointParams, run_chokepoints

    with Workspace(state.workspace, create=False) as ws:
        frame = run_chokepoints(ws, ChokepointParams(layer=layer, sector=sector), reuse=reuse)
    records = as_records(frame.head(top) if top > 0 else frame)
    if output is OutputFormat.table:
        cols = (*CHOKEPOINT_KEYS, "suspicious_ratio", "in_min_cut", "key_player_rank")
        records = [{k: r[k] for k in cols} for r in records]
    render(records, output, title=f"common choke points, {layer} layer (highest score first)")


def _read_costs(path: Path) -> dict[str, float]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise InputError(f"cannot read costs file {path}: {exc}") from exc
    if not rows or not {"node", "cost"} <= set(rows[0]):
        raise InputError(f"{path}: expected a CSV with columns node,cost")
    out: dict[str, float] = {}
    for i, row in enumerate(rows, start=2):
        try:
            out[row["node"]] = float(row["cost"])
        except ValueError:
            raise InputError(f"{path}, line {i}: cost {row['cost']!r} is not a number") from None
    return out


@app.command(help="Interdiction plan: the nodes whose control removes most suspicious flow.")
def interdict(
    layer: Layer = "port",
    budget: Annotated[
        float, typer.Option("--budget", help="Number of nodes (or total cost with --costs).")
    ] = 5,
    costs: Annotated[
        Path | None, typer.Option("--costs", help="CSV node,cost: a cost per node.")
    ] = None,
    plan: Annotated[str, typer.Option("--plan", help="robust, naive or both.")] = "robust",
    sector: Sector = None,
    min_weight: Annotated[
        float, typer.Option("--min-weight", help="Journeys of at least this weight are flows.")
    ] = 0.5,
    reroute_cost: Annotated[
        float, typer.Option("--reroute-cost", help="Extra cost of taking another path.")
    ] = 1.0,
    max_cost_ratio: Annotated[
        float, typer.Option("--max-cost-ratio", help="A new path may cost this many times the old.")
    ] = 1.5,
    reuse: Reuse = False,
    output: Format = OutputFormat.table,
) -> None:
    from greymap.network.interdict import InterdictParams
    from greymap.network.run import run_interdiction

    if plan not in ("robust", "naive", "both"):
        raise InputError(f"--plan must be robust, naive or both; not {plan!r}")
    params = InterdictParams(budget=budget, min_weight=min_weight)
    params = replace(
        params,
        reroute=replace(params.reroute, reroute_cost=reroute_cost, max_cost_ratio=max_cost_ratio),
    )
    node_costs = _read_costs(costs) if costs else None
    with Workspace(state.workspace, create=False) as ws:
        rows, summary = run_interdiction(
            ws, layer, params, sector=sector, costs=node_costs, reuse=reuse
        )
    records = as_records(rows)
    if plan != "both":
        records = [r for r in records if r["plan"] == plan]
    if output is OutputFormat.table:
        records = [
            {k: r[k] for k in (*PLAN_KEYS, "plan", "cumulative_share_after_rerouting")}
            for r in records
        ]
    render(records, output, title=f"interdiction plan ({plan}), {layer} layer, budget {budget:g}")
    if output is OutputFormat.table:
        cols = ("plan", "nodes", "method", "optimal", "gap", "share_before", "share_after")
        render(
            as_records(summary),
            output,
            title="plans compared (share of suspicious flow removed before and after rerouting)",
            columns=cols,
        )


@app.command("chokepoint-explain", help="Why a node is a choke point: flows, sectors, evidence.")
def chokepoint_explain(
    node: Annotated[str, typer.Argument(help="Node id as `greymap chokepoints` lists it.")],
    layer: Layer = "port",
    top: Annotated[int, typer.Option("--top", help="Show the N most suspicious flows.")] = 10,
    reuse: Reuse = True,
    output: Format = OutputFormat.table,
) -> None:
    from greymap.network.explain import explain_node
    from greymap.network.run import prepare_layer

    with Workspace(state.workspace, create=False) as ws:
        built = prepare_layer(ws, layer, reuse=reuse)
        records = explain_node(ws, built, node.strip(), top=top)
    if output is not OutputFormat.table:
        render(records, output)
        return
    for section in ("summary", "sector", "flow", "evidence", "interdiction", "note"):
        part = [
            {k: v for k, v in r.items() if k != "section"}
            for r in records
            if r["section"] == section
        ]
        if part:
            render(part, output, title=f"{node}: {section}")


@network_app.command("export", help="Write a layer as GraphML, GEXF (Gephi) or dashboard JSON.")
def export(
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="graphml, gexf or json.")] = "graphml",
    layer: Layer = "port",
    reuse: Reuse = True,
) -> None:
    from greymap.network.common import common_scores
    from greymap.network.export import export_graph
    from greymap.network.run import prepare_layer

    with Workspace(state.workspace, create=False) as ws:
        built = prepare_layer(ws, layer, reuse=reuse)
        written = export_graph(built, common_scores(built), fmt, out)
    render([written], OutputFormat.json)
