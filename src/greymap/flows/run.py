"""Entry points that prepare the reference tables and run a flows analysis."""

from __future__ import annotations

from dataclasses import replace

from greymap.engine.runs import RunRecord, run_plan
from greymap.errors import InputError
from greymap.flows.gap import GapParams, gap_plan
from greymap.flows.geography import register_geography, register_locations
from greymap.flows.mirror import PATTERNS, DataShape, MirrorParams, mirror_plan
from greymap.flows.prices import PriceParams, price_plan
from greymap.flows.routes import RouteParams, route_plan
from greymap.flows.threats import BY as THREAT_VIEWS
from greymap.flows.threats import ThreatParams, threat_plan
from greymap.reference.countries import to_iso3
from greymap.reference.register import register, register_sector_hs
from greymap.reference.sectors import get_sector
from greymap.workspace import Workspace

MIRROR_TABLE = "mirror_gaps"


def run_mirror(workspace: Workspace, params: MirrorParams, engine: str = "duckdb") -> RunRecord:
    """Compute mirror gaps into ``mirror_gaps``; see :mod:`greymap.flows.mirror`."""
    if params.level not in (None, 2, 4, 6):
        raise InputError(f"--level must be 2, 4 or 6, not {params.level}")
    if params.sector:
        params = replace(params, sector=get_sector(params.sector).slug)
    if params.cif_fob is not None and not 0 <= params.cif_fob < 1:
        raise InputError(
            f"--cif-fob must be a margin between 0 and 1 (e.g. 0.06), not {params.cif_fob}"
        )
    if params.pattern is not None:
        asked = [p.strip() for p in params.pattern.split(",")]
        unknown = [p for p in asked if p not in PATTERNS]
        if unknown:
            raise InputError(
                f"--pattern must be one or more of {', '.join(PATTERNS)} (comma-separated), "
                f"not {params.pattern!r}"
            )
    _require_rows(workspace, "trade_flows", "greymap ingest comtrade FILE (or baci)")
    if params.sector:
        register_sector_hs(workspace.con)
    register_locations(workspace.con)
    plan = mirror_plan(params, probe_shape(workspace))
    return run_plan(workspace, "flows mirror", plan, MIRROR_TABLE, params.as_dict(), engine)


def probe_shape(workspace: Workspace) -> DataShape:
    """Whether the flows hold monthly rows, re-exports and trade with special partners:
    one pass over four columns, so the plan can leave out what would only add zeros. Each
    test is looser than the step's own filter, so a step is only left out when it would
    have found nothing."""
    row = workspace.con.execute(
        """SELECT coalesce(bool_or(month IS NOT NULL), false),
                  coalesce(bool_or(flow = 're-export'), false),
                  coalesce(bool_or(partner IS NULL AND partner_special IS NOT NULL
                                   AND partner_special NOT IN ('world', 'eu')), false)
           FROM trade_flows"""
    ).fetchall()[0]
    return DataShape(monthly=bool(row[0]), reexports=bool(row[1]), special_partners=bool(row[2]))


def _require_rows(workspace: Workspace, table: str, hint: str) -> None:
    if workspace.count(table) == 0:
        raise InputError(f"the workspace has no {table} yet; load some first: {hint}")


PRICE_TABLE = "price_anomalies"


def run_prices(workspace: Workspace, params: PriceParams, engine: str = "duckdb") -> RunRecord:
    """Score unit values of flows and shipments into ``price_anomalies``."""
    if params.sector:
        params = replace(params, sector=get_sector(params.sector).slug)
    if workspace.count("trade_flows") == 0 and workspace.count("shipments") == 0:
        raise InputError(
            "the workspace has no trade_flows or shipments yet; load some first: "
            "greymap ingest comtrade FILE or greymap ingest shipments FILE"
        )
    register_sector_hs(workspace.con)
    return run_plan(
        workspace, "flows prices", price_plan(params), PRICE_TABLE, params.as_dict(), engine
    )


GAP_TABLE = "grey_market_gap"


def run_gap(workspace: Workspace, params: GapParams, engine: str = "duckdb") -> RunRecord:
    """Value at stake by sector, country and hub into ``grey_market_gap``; runs the mirror
    and price analyses first (with their defaults) if the workspace has no results yet."""
    tables = set(workspace.table_names())
    if "mirror_gaps" not in tables:
        run_mirror(workspace, MirrorParams(), engine=engine)
    if "price_anomalies" not in tables:
        run_prices(workspace, PriceParams(), engine=engine)
    register(workspace.con)
    register_geography(workspace.con)
    return run_plan(workspace, "flows gap", gap_plan(params), GAP_TABLE, params.as_dict(), engine)


ROUTE_TABLE = "route_anomalies"


def run_routes(workspace: Workspace, params: RouteParams, engine: str = "duckdb") -> RunRecord:
    """Score shipments' routes into ``route_anomalies``; see :mod:`greymap.flows.routes`."""
    if params.sector:
        params = replace(params, sector=get_sector(params.sector).slug)
    if params.detour_threshold < 0 or params.laundering_threshold <= 1:
        raise InputError(
            "the detour threshold must be >= 0 (e.g. 0.3 for 30%) and the laundering "
            f"threshold > 1 (e.g. 2), not {params.detour_threshold} and "
            f"{params.laundering_threshold}"
        )
    _require_rows(workspace, "shipments", "greymap ingest shipments FILE")
    register(workspace.con)
    register_geography(workspace.con)
    return run_plan(
        workspace, "flows routes", route_plan(params), ROUTE_TABLE, params.as_dict(), engine
    )


THREAT_TABLE = "threats"


def run_threats(workspace: Workspace, params: ThreatParams, engine: str = "duckdb") -> RunRecord:
    """Summarise seizures into ``threats``; see :mod:`greymap.flows.threats`."""
    if params.by not in THREAT_VIEWS:
        raise InputError(f"--by must be one of {', '.join(THREAT_VIEWS)}, not {params.by!r}")
    if params.sector:
        params = replace(params, sector=get_sector(params.sector).slug)
    if params.country:
        iso3 = to_iso3(params.country)
        if iso3 is None:
            raise InputError(f"unknown country {params.country!r}; expected a name or ISO code")
        params = replace(params, country=iso3)
    if params.since and params.until and params.since > params.until:
        raise InputError(f"--since {params.since} is after --until {params.until}")
    _require_rows(workspace, "incidents", "greymap ingest incidents FILE")
    return run_plan(
        workspace, "threats", threat_plan(params), THREAT_TABLE, params.as_dict(), engine
    )
