"""``greymap threats``: the seizure catalogue by corridor, transit, country, commodity or period."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from greymap.cli.app import app, state
from greymap.cli.render import OutputFormat, render
from greymap.errors import InputError
from greymap.flows import ThreatParams, run_threats
from greymap.flows.threats import BY
from greymap.workspace import Workspace

THREAT_KEYS = (
    "sector",
    "origin",
    "transit",
    "destination",
    "incidents",
    "value_usd",
    "first_seen",
    "last_seen",
)
#: The view's own key columns, shown after the corridor keys.
VIEW_KEYS = {
    "corridor": (),
    "transit": (),
    "country": ("country",),
    "commodity": ("hs_code", "commodity"),
    "period": ("period",),
}
THREAT_EXTRA = ("quantities", "trend", "last_3y", "prior_3y", "sectors", "sector_list")
ORDER = "incidents DESC, value_usd DESC NULLS LAST, sector, origin, transit, destination"


def _date(value: str | None, option: str) -> dt.date | None:
    """An ISO date, or a year (``2015`` is 2015-01-01 for --since, 2015-12-31 for --until)."""
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) == 4 and text.isdigit():
            year = int(text)
            return dt.date(year, 1, 1) if option == "--since" else dt.date(year, 12, 31)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} {value!r} is not a date; expected YYYY-MM-DD or YYYY") from None


@app.command(
    help="Seizures summarised by corridor (origin, transit, destination), transit country, "
    "seizing country, commodity or year, with trends and the sectors each recurs in."
)
def threats(
    by: Annotated[
        str, typer.Option("--by", help="corridor, transit, country, commodity or period.")
    ] = "corridor",
    sector: Annotated[str | None, typer.Option("--sector", help="Only this sector.")] = None,
    country: Annotated[
        str | None,
        typer.Option(
            "--country",
            help="Only seizures with this origin, transit, destination or seizing country.",
        ),
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="From this date (or year).")] = None,
    until: Annotated[str | None, typer.Option("--until", help="To this date (or year).")] = None,
    engine: Annotated[str, typer.Option("--engine", help="duckdb (default) or spark.")] = "duckdb",
    top: Annotated[int, typer.Option("--top", help="Show the N largest groups (0: all).")] = 50,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.table,
) -> None:
    if by not in BY:
        raise InputError(f"--by must be one of {', '.join(BY)}; not {by!r}")
    params = ThreatParams(
        by=by, sector=sector, country=country,
        since=_date(since, "--since"), until=_date(until, "--until"),
    )  # fmt: skip
    with Workspace(state.workspace, create=False) as ws:
        run_threats(ws, params, engine=engine)
        cols = THREAT_KEYS + VIEW_KEYS[by] + THREAT_EXTRA
        limit = f"LIMIT {int(top)}" if top > 0 else ""
        cur = ws.con.execute(f"SELECT {', '.join(cols)} FROM threats ORDER BY {ORDER} {limit}")
        names = [d[0] for d in cur.description]
        records = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    if output is OutputFormat.table:
        shown = [c for c in cols if c not in ("sector_list", "prior_3y")]
        if by != "corridor":
            shown = [c for c in shown if c not in ("origin", "destination")]
        if by in ("country", "commodity", "period"):
            shown.remove("transit")
        records = [{c: r[c] for c in shown} for r in records]
    render(records, output, title=f"threat catalogue by {by} (most incidents first)")
