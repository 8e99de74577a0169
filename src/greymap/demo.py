"""``make demo``: build a workspace from bundled data, print a summary and where it is.

Each step is a function of the demo context, so later features add a step rather than
rewrite the script. The workspace is rebuilt on each run so the output is reproducible.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console

from greymap.cli.render import OutputFormat, render
from greymap.workspace import IngestResult, Workspace, ingest_files

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"


@dataclass
class Demo:
    out: Path
    console: Console
    workspace: Workspace
    ingested: list[IngestResult] = field(default_factory=list)

    def ingest(self, format: str, paths: list[Path]) -> None:
        results = ingest_files(self.workspace, format, paths)
        self.ingested.extend(results)


def ingest_samples(demo: Demo) -> None:
    """Bundled sample files, in their published formats."""
    demo.ingest("shipments", [EXAMPLES / "shipments_sample.csv"])


def ingest_country_indicators(demo: Demo) -> None:
    """Country indicator files (GOCI, Basel AML, CPI, LPI) for the country index."""
    from greymap.index.demo import country_files

    demo.ingest("indicators", country_files())


def simulate_world(demo: Demo) -> None:
    """A simulated world (seed 7, scale 0.3) in <out>/world, ingested in every format."""
    from greymap.errors import InputError
    from greymap.simulate import simulate
    from greymap.sources import get_reader

    result = simulate(demo.out / "world", seed=7, scale=0.3)
    render(
        result.records(),
        OutputFormat.table,
        title="world written",
        columns=("file", "format", "rows"),
    )
    for written in result.files:
        if not written.format:
            continue
        try:
            get_reader(written.format)
        except InputError:
            demo.console.print(f"skipped {written.file}: no {written.format} reader in this build")
            continue
        demo.ingest(written.format, [written.path])


def show_ingests(demo: Demo) -> None:
    """What each file gave: rows read, loaded and quarantined."""
    render(
        [r.as_record() for r in demo.ingested],
        OutputFormat.table,
        title="files ingested",
        columns=("path", "format", "rows_read", "rows_loaded", "rows_quarantined"),
    )


def show_status(demo: Demo) -> None:
    """The workspace after the demo: every table and its row count."""
    render(demo.workspace.status(), OutputFormat.table, title="workspace tables")


def country_index(demo: Demo) -> None:
    """Country index: top and bottom countries with rank intervals."""
    from greymap.index.demo import build_and_show

    build_and_show(demo.workspace, demo.console)


def grey_market_flows(demo: Demo) -> None:
    """Where trade does not add up: top mirror gaps, price anomalies, gap by sector."""
    from greymap.cli.flows import GAP_KEYS, MIRROR_KEYS, PRICE_KEYS
    from greymap.flows import MirrorParams, PriceParams, run_mirror, run_prices
    from greymap.flows.gap import GapParams
    from greymap.flows.run import run_gap

    ws = demo.workspace
    if ws.count("trade_flows") == 0:
        demo.console.print("no trade flows loaded: skipped")
        return
    run_mirror(ws, MirrorParams())
    run_prices(ws, PriceParams())
    run_gap(ws, GapParams())
    for table, cols, where, title in (
        ("mirror_gaps", (*MIRROR_KEYS, "pattern"), "TRUE", "top mirror gaps"),
        ("price_anomalies", PRICE_KEYS, "source = 'shipment'", "top shipment price anomalies"),
        ("grey_market_gap", GAP_KEYS[:7], "dimension = 'sector'", "grey-market gap by sector"),
    ):
        order = "value_at_stake_usd" if table == "grey_market_gap" else "score"
        cur = ws.con.execute(
            f"SELECT {', '.join(cols)} FROM {table} WHERE {where} ORDER BY {order} DESC LIMIT 10"
        )
        names = [d[0] for d in cur.description]
        render(
            [dict(zip(names, r, strict=True)) for r in cur.fetchall()],
            OutputFormat.table,
            title=title,
        )


def screen_counterparties(demo: Demo) -> None:
    """Screening: a batch of counterparties against the OFAC and UN lists, with explanations."""
    from greymap.screening.demo import load_and_screen

    load_and_screen(demo.workspace, demo.console, demo.ingest)


def choke_points(demo: Demo) -> None:
    """Common choke points (port layer) and an interdiction plan, before and after rerouting."""
    from greymap.cli.network import CHOKEPOINT_KEYS, PLAN_KEYS, as_records
    from greymap.network import (
        ChokepointParams,
        InterdictParams,
        run_chokepoints,
        run_interdiction,
    )

    ws = demo.workspace
    if ws.count("shipments") == 0:
        demo.console.print("no shipments loaded: skipped")
        return
    if "route_anomalies" not in ws.table_names():
        from greymap.flows import RouteParams, run_routes

        run_routes(ws, RouteParams())
    ranking = run_chokepoints(ws, ChokepointParams(layer="port"))
    render(
        as_records(ranking.head(10)),
        OutputFormat.table,
        title="common choke points, port layer",
        columns=CHOKEPOINT_KEYS,
    )
    rows, summary = run_interdiction(ws, "port", InterdictParams(budget=5), reuse=True)
    render(
        as_records(rows[rows["plan"] == "robust"]),
        OutputFormat.table,
        title="interdiction plan (robust to rerouting), 5 ports",
        columns=(*PLAN_KEYS, "cumulative_share_after_rerouting"),
    )
    render(
        as_records(summary),
        OutputFormat.table,
        title="plans compared: share of suspicious flow removed before and after rerouting",
        columns=("plan", "nodes", "share_before", "share_after"),
    )


def find_middlemen(demo: Demo) -> None:
    """Middlemen: resolve the parties into entities, rank the brokers, say why."""
    from greymap.cli.entities import MIDDLEMEN_KEYS
    from greymap.entities.middlemen import run_middlemen
    from greymap.entities.resolve import resolve

    ws = demo.workspace
    if ws.count("shipments") == 0:
        demo.console.print("no shipments loaded: skipped")
        return
    tables = set(ws.table_names())
    if "route_anomalies" not in tables:
        from greymap.flows import RouteParams, run_routes

        run_routes(ws, RouteParams())
    if "price_anomalies" not in tables and ws.count("trade_flows"):
        from greymap.flows import PriceParams, run_prices

        run_prices(ws, PriceParams())
    result = resolve(ws)
    demo.console.print(
        f"resolved {result.records:,} party records ({result.profiles:,} distinct "
        f"descriptions) into {result.entities:,} entities in {result.seconds:.0f} s"
    )
    run_middlemen(ws)
    cur = ws.con.execute(
        f"SELECT {', '.join(MIDDLEMEN_KEYS)} FROM middlemen ORDER BY score DESC LIMIT 10"
    )
    names = [d[0] for d in cur.description]
    render(
        [dict(zip(names, r, strict=True)) for r in cur.fetchall()],
        OutputFormat.table,
        title="top middlemen (greymap explain ENTITY_ID says why)",
        columns=MIDDLEMEN_KEYS,
    )


def target_declarations(demo: Demo) -> None:
    """Declaration targeting: train on 2020, select 5% of 2021 Q1 with reasons (KCS sample)."""
    from greymap.targeting.demo import train_and_select

    train_and_select(demo.out, demo.console)


STEPS: list[Callable[[Demo], None]] = [
    ingest_samples,
    ingest_country_indicators,
    simulate_world,
    show_ingests,
    grey_market_flows,
    choke_points,
    find_middlemen,
    country_index,
    screen_counterparties,
    target_declarations,
    show_status,
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("demo-output"))
    args = parser.parse_args(argv)
    out: Path = args.out
    ws_dir = out / "workspace"
    if ws_dir.exists():
        shutil.rmtree(ws_dir)
    out.mkdir(parents=True, exist_ok=True)
    console = Console()
    with Workspace(ws_dir) as ws:
        demo = Demo(out, console, ws)
        for step in STEPS:
            console.rule(step.__doc__.splitlines()[0] if step.__doc__ else step.__name__)
            step(demo)
    console.print(
        f"\n[bold]Results[/bold]: workspace {ws_dir.resolve()} "
        f"(inspect with: greymap --workspace {ws_dir} status)"
    )


if __name__ == "__main__":
    main()
