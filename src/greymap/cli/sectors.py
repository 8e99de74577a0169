"""``greymap sectors``: the 13 sectors with HS codes and SDG links, and the tables behind them."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from greymap.cli.app import app
from greymap.cli.render import OutputFormat, render
from greymap.reference.free_trade_zones import free_trade_zones
from greymap.reference.sectors import get_sector, hs_records, sdg_records, sectors, sectors_for_hs


class View(StrEnum):
    sectors = "sectors"
    hs = "hs"
    sdg = "sdg"
    zones = "zones"


# The table view shows the short columns; json and csv carry every key.
TABLE_COLUMNS = {
    View.sectors: ("sector", "name", "hs_codes", "sdgs"),
    View.hs: ("sector", "hs_code", "description", "approximate", "note"),
    View.sdg: ("sector", "sdg", "targets", "impact"),
    View.zones: ("zone", "iso3", "locode", "port_locodes"),
}
TITLES = {
    View.sectors: "illicit-trade sectors",
    View.hs: "sector HS codes",
    View.sdg: "sector x UN SDG impact",
    View.zones: "free trade zones",
}


@app.command(
    "sectors",
    help="List the 13 illicit-trade sectors with their HS codes and UN SDG links; "
    "--view hs|sdg|zones shows the HS mapping, the SDG table or the free trade zones.",
)
def sectors_command(
    view: Annotated[View, typer.Option("--view", help="What to list.")] = View.sectors,
    sector: Annotated[
        str | None, typer.Option("--sector", "-s", help="Only this sector (slug or name).")
    ] = None,
    hs: Annotated[
        str | None, typer.Option("--hs", help="Only the sectors this HS code belongs to.")
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.table,
) -> None:
    records = _records(view)
    wanted = _wanted(sector, hs)
    if wanted is not None and view is not View.zones:
        records = [r for r in records if r["sector"] in wanted]
    columns = TABLE_COLUMNS[view] if output is OutputFormat.table else None
    render(records, output, title=TITLES[view], columns=columns)


def _records(view: View) -> list[dict[str, Any]]:
    if view is View.hs:
        return hs_records()
    if view is View.sdg:
        return sdg_records()
    if view is View.zones:
        return [zone.as_record() for zone in free_trade_zones()]
    return [s.as_record() for s in sectors()]


def _wanted(sector: str | None, hs: str | None) -> set[str] | None:
    """The sectors to keep, or ``None`` for all; an unknown sector is an InputError."""
    if sector is None and hs is None:
        return None
    wanted = {s.slug for s in sectors()}
    if sector is not None:
        wanted &= {get_sector(sector).slug}
    if hs is not None:
        wanted &= set(sectors_for_hs(hs))
    return wanted
