"""Entry points that prepare the reference tables and run a flows analysis."""

from __future__ import annotations

from dataclasses import replace

from greymap.engine.runs import RunRecord, run_plan
from greymap.errors import InputError
from greymap.flows.gap import GapParams, gap_plan
from greymap.flows.geography import register_geography
from greymap.flows.mirror import MirrorParams, mirror_plan
from greymap.flows.prices import PriceParams, price_plan
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
    _require_rows(workspace, "trade_flows", "greymap ingest comtrade FILE (or baci)")
    register_sector_hs(workspace.con)
    register_geography(workspace.con)
    return run_plan(
        workspace, "flows mirror", mirror_plan(params), MIRROR_TABLE, params.as_dict(), engine
    )


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
