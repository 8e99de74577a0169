"""``greymap flows mirror|prices|routes``: where trade does not add up."""

from __future__ import annotations

from typing import Annotated

import typer

from greymap.cli.app import app, state
from greymap.cli.render import OutputFormat, render
from greymap.errors import InputError
from greymap.flows import MirrorParams, PriceParams, run_mirror, run_prices
from greymap.flows.gap import GapParams
from greymap.flows.routes import RouteParams
from greymap.flows.run import run_gap, run_routes
from greymap.workspace import Workspace

flows_app = typer.Typer(
    help="Grey-market flows: mirror gaps, price anomalies, routing.", no_args_is_help=True
)
app.add_typer(flows_app, name="flows")

MIRROR_KEYS = (
    "exporter",
    "importer",
    "hs_code",
    "year",
    "exports_reported_usd",
    "imports_reported_usd",
    "gap_usd",
    "log_ratio",
    "score",
)
MIRROR_EXTRA = (
    "robust_z",
    "cif_fob_margin",
    "exporter_reliability",
    "importer_reliability",
    "reexports_usd",
    "exports_adjusted_usd",
    "reexport_credit_usd",
    "hidden_credit_usd",
    "classification_offset_usd",
    "timing_offset_usd",
    "possible_unit_error",
    "one_sided",
    "weight_log_ratio",
    "pattern",
    "direction",
)

Format = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
Engine = Annotated[str, typer.Option("--engine", help="duckdb (default) or spark.")]
Top = Annotated[int, typer.Option("--top", help="Show the N highest scores (0: all).")]


@flows_app.command(
    help="Exports as the exporter reports them against imports as the importer reports them."
)
def mirror(
    level: Annotated[
        int | None, typer.Option("--level", help="Aggregate HS codes to 2, 4 or 6 digits.")
    ] = None,
    sector: Annotated[
        str | None, typer.Option("--sector", help="Only this sector (see `greymap sectors`).")
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    cif_fob: Annotated[
        float | None,
        typer.Option("--cif-fob", help="Fixed CIF/FOB margin, e.g. 0.06 (default: estimated)."),
    ] = None,
    pattern: Annotated[
        str | None,
        typer.Option(
            "--pattern",
            help="Only gaps of these patterns, comma-separated: value (weights agree: "
            "misinvoicing), quantity (weights disagree: unrecorded goods), one-sided, "
            "unknown (no weight). Default: all.",
        ),
    ] = None,
    engine: Engine = "duckdb",
    top: Top = 50,
    output: Format = OutputFormat.table,
) -> None:
    params = MirrorParams(level=level, sector=sector, year=year, cif_fob=cif_fob, pattern=pattern)
    with Workspace(state.workspace, create=False) as ws:
        run_mirror(ws, params, engine=engine)
        limit = f"LIMIT {int(top)}" if top > 0 else ""
        table_extra = ("pattern", "direction")
        cols = MIRROR_KEYS + (MIRROR_EXTRA if output is not OutputFormat.table else table_extra)
        cur = ws.con.execute(
            f"SELECT {', '.join(cols)} FROM mirror_gaps ORDER BY score DESC, abs(gap_usd) DESC, "
            f"exporter, importer, hs_code, year {limit}"
        )
        names = [d[0] for d in cur.description]
        records = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    render(records, output, title="mirror gaps (highest score first)")


PRICE_KEYS = (
    "exporter",
    "importer",
    "hs_code",
    "year",
    "unit_value",
    "reference_unit_value",
    "score",
    "shipment_id",
)
PRICE_EXTRA = (
    "source",
    "robust_z",
    "direction",
    "value_usd",
    "weight_kg",
    "value_at_stake_usd",
    "reference_level",
    "reference_n",
    "flow",
)


@flows_app.command(
    help="Unit values far from the product's world reference (under- and over-invoicing)."
)
def prices(
    source: Annotated[
        str, typer.Option("--source", help="trade (statistics), shipments, or all.")
    ] = "all",
    sector: Annotated[str | None, typer.Option("--sector", help="Only this sector.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Only this year.")] = None,
    engine: Engine = "duckdb",
    top: Top = 50,
    output: Format = OutputFormat.table,
) -> None:
    sources = {"trade": ("trade",), "shipments": ("shipment",), "all": ("trade", "shipment")}
    if source not in sources:
        raise InputError(f"--source must be one of trade, shipments, all; not {source!r}")
    with Workspace(state.workspace, create=False) as ws:
        run_prices(ws, PriceParams(year=year, sector=sector), engine=engine)
        wanted = ", ".join(f"'{s}'" for s in sources[source])
        records = _top(
            ws, "price_anomalies", PRICE_KEYS + PRICE_EXTRA, f"source IN ({wanted})", top
        )
    if output is OutputFormat.table:
        records = [{k: r[k] for k in (*PRICE_KEYS, "direction")} for r in records]
    render(records, output, title="price anomalies (highest score first)")


def _top(
    ws: Workspace, table: str, cols: tuple[str, ...], where: str, top: int
) -> list[dict[str, object]]:
    limit = f"LIMIT {int(top)}" if top > 0 else ""
    cur = ws.con.execute(
        f"SELECT {', '.join(cols)} FROM {table} WHERE {where} ORDER BY score DESC NULLS LAST {limit}"
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


GAP_KEYS = (
    "dimension",
    "key",
    "source",
    "value_at_stake_usd",
    "low_usd",
    "high_usd",
    "flagged",
    "latitude",
    "longitude",
)


@flows_app.command(help="Value at stake by sector, country or hub, with a band (for maps).")
def gap(
    by: Annotated[str, typer.Option("--by", help="sector, country or hub.")] = "sector",
    engine: Engine = "duckdb",
    top: Top = 50,
    output: Format = OutputFormat.table,
) -> None:
    if by not in ("sector", "country", "hub"):
        raise InputError(f"--by must be sector, country or hub; not {by!r}")
    with Workspace(state.workspace, create=False) as ws:
        run_gap(ws, GapParams(), engine=engine)
        limit = f"LIMIT {int(top)}" if top > 0 else ""
        cur = ws.con.execute(
            f"SELECT {', '.join(GAP_KEYS)} FROM grey_market_gap WHERE dimension = ? "
            f"ORDER BY value_at_stake_usd DESC, key {limit}",
            [by],
        )
        names = [d[0] for d in cur.description]
        records = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    render(records, output, title=f"grey-market gap by {by} (central, low and high estimates)")


ROUTE_KEYS = ("shipment_id", "route", "hub", "score", "reasons")
ROUTE_EXTRA = (
    "origin_country",
    "destination_country",
    "hs_code",
    "year",
    "route_km",
    "direct_km",
    "detour_ratio",
    "hub_excess",
    "hub_free_trade_zone",
    "hub_usage",
    "reexport_ratio",
    "shipment_balance_ratio",
    "corridor_seizures",
    "detour_score",
    "laundering_score",
    "corridor_score",
)


@flows_app.command(
    help="Shipments routed through out-of-the-way hubs, laundering hubs or seizure corridors."
)
def routes(
    sector: Annotated[str | None, typer.Option("--sector", help="Only this sector.")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Only this arrival year.")] = None,
    detour_threshold: Annotated[
        float,
        typer.Option(
            "--detour-threshold",
            help="A call adding more than this share of the direct distance is a detour.",
        ),
    ] = RouteParams.detour_threshold,
    laundering_threshold: Annotated[
        float,
        typer.Option(
            "--laundering-threshold",
            help="Re-exports above this multiple of imports are laundering.",
        ),
    ] = RouteParams.laundering_threshold,
    engine: Engine = "duckdb",
    top: Top = 50,
    output: Format = OutputFormat.table,
) -> None:
    params = RouteParams(
        sector=sector,
        year=year,
        detour_threshold=detour_threshold,
        laundering_threshold=laundering_threshold,
    )
    with Workspace(state.workspace, create=False) as ws:
        run_routes(ws, params, engine=engine)
        limit = f"LIMIT {int(top)}" if top > 0 else ""
        cols = ROUTE_KEYS + (ROUTE_EXTRA if output is not OutputFormat.table else ())
        cur = ws.con.execute(
            f"SELECT {', '.join(cols)} FROM route_anomalies "
            f"ORDER BY score DESC, shipment_id {limit}"
        )
        names = [d[0] for d in cur.description]
        records = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    render(records, output, title="route anomalies (highest score first)")
