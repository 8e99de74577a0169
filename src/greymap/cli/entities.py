"""``greymap resolve``, ``greymap middlemen``, ``greymap explain``: who is who, and who brokers."""

from __future__ import annotations

from typing import Annotated

import typer

from greymap.cli.app import app, state
from greymap.cli.render import OutputFormat, render
from greymap.errors import InputError
from greymap.workspace import Workspace

Format = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]

RESOLVE_KEYS = (
    "mode",
    "records",
    "profiles",
    "new_profiles",
    "pairs_scored",
    "entities",
    "seconds",
    "skipped_training",
)
MIDDLEMEN_KEYS = ("entity_id", "name", "country", "score", "reasons")
MIDDLEMEN_EXTRA = (
    "brokerage",
    "betweenness",
    "shell",
    "closeness",
    "triads",
    "flagged_triads",
    "liaison",
    "itinerant",
    "representative",
    "gatekeeper",
    "coordinator",
    "brokered_suspicious_usd",
    "hops",
    "mass_address",
    "busy_officer",
    "incorporated",
    "trades",
)


@app.command(
    help="Resolve shipment parties, FtM entities and seizure parties into canonical entities "
    "(Splink). --decide A B same|different records an analyst's decision; --incremental "
    "scores only new records against the existing clusters."
)
def resolve(
    incremental: Annotated[
        bool, typer.Option("--incremental", help="Score only records not yet resolved.")
    ] = False,
    decide: Annotated[
        tuple[str, str, str] | None,
        typer.Option(
            "--decide",
            help="Two record or entity ids and 'same' or 'different'; kept across re-runs.",
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why (with --decide).")] = None,
    engine: Annotated[str, typer.Option("--engine", help="duckdb (default) or spark.")] = "duckdb",
    output: Format = OutputFormat.table,
) -> None:
    from greymap.entities.assign import recluster
    from greymap.entities.decisions import decide as store_decision
    from greymap.entities.resolve import THRESHOLDS, ResolveParams
    from greymap.entities.resolve import resolve as run_resolve

    with Workspace(state.workspace, create=False) as ws:
        if decide is not None:
            a, b, decision = decide
            made = store_decision(ws, a, b, decision, note)
            result = recluster(ws, THRESHOLDS)
            record = {
                "mode": "decision",
                "a": made.a,
                "b": made.b,
                "decision": made.decision,
                "entities": result.entities,
                "records": result.records,
            }
            render([record], output, title="decision stored; entities re-clustered")
            return
        out = run_resolve(ws, ResolveParams(engine=engine), incremental=incremental)
    render([out.as_record()], output, title="entity resolution", columns=RESOLVE_KEYS)


@app.command(
    help="Rank firms as illicit middlemen: brokerage, betweenness, shell signs, "
    "closeness to sanctioned or seized parties."
)
def middlemen(
    top: Annotated[int, typer.Option("--top", help="Show the N highest scores (0: all).")] = 20,
    output: Format = OutputFormat.table,
) -> None:
    from greymap.entities.middlemen import run_middlemen

    if top < 0:
        raise InputError(f"--top must be 0 or more, not {top}")
    with Workspace(state.workspace, create=False) as ws:
        run_middlemen(ws)
        cols = MIDDLEMEN_KEYS + (MIDDLEMEN_EXTRA if output is not OutputFormat.table else ())
        limit = f"LIMIT {int(top)}" if top else ""
        cur = ws.con.execute(
            f"SELECT {', '.join(cols)} FROM middlemen ORDER BY score DESC, entity_id {limit}"
        )
        names = [d[0] for d in cur.description]
        records = [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    render(records, output, title="middlemen (highest score first)", columns=cols)


@app.command(
    help="What an entity is made of: its records, links, paths to flagged parties "
    "and the evidence behind its middlemen score."
)
def explain(
    entity: Annotated[str, typer.Argument(help="Entity id, record id, FtM id or exact name.")],
    output: Format = OutputFormat.table,
) -> None:
    from greymap.entities.explain import TABLE_COLUMNS
    from greymap.entities.explain import explain as run_explain

    with Workspace(state.workspace, create=False) as ws:
        records = run_explain(ws, entity)
    columns = TABLE_COLUMNS if output is OutputFormat.table else None
    render(records, output, title=f"explain {entity}", columns=columns)
