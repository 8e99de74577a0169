"""``greymap screen NAME`` and ``greymap screen --batch FILE.csv``: counterparty screening."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from greymap.cli.app import app, state
from greymap.cli.render import OutputFormat, render
from greymap.errors import InputError
from greymap.screening import (
    RESULT_KEYS,
    THRESHOLD,
    Query,
    Screener,
    ScreeningIndex,
    load_list,
    read_batch,
    screen_batch,
)
from greymap.workspace import Workspace

TABLE_KEYS = ("query", "entity_id", "name", "schema", "score", "matched", "programs", "explanation")
CSV_KEYS = (*RESULT_KEYS, "caption", "name_kind", "datasets", "query_ref")


@app.command(help="Screen a counterparty (or a CSV batch) against the sanctions and watch lists.")
def screen(
    name: Annotated[str | None, typer.Argument(help="Name to screen.")] = None,
    schema: Annotated[
        str | None, typer.Option("--schema", help="Person, Company, Organization or Vessel.")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Country (ISO code or name).")
    ] = None,
    birth_date: Annotated[
        str | None, typer.Option("--birth-date", help="Birth date, YYYY[-MM[-DD]].")
    ] = None,
    identifier: Annotated[
        str | None,
        typer.Option("--id", help="Identifier: IMO, passport, registration or tax number."),
    ] = None,
    batch: Annotated[
        Path | None,
        typer.Option("--batch", help="CSV with columns name, schema, country, birth_date, id."),
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Lowest score reported as matched.")
    ] = THRESHOLD,
    min_score: Annotated[
        float | None,
        typer.Option(
            "--min-score", help="Also list candidates down to this score (matched=false)."
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Hits per query.")] = 10,
    dataset: Annotated[
        list[str] | None, typer.Option("--dataset", help="Screen only against these datasets.")
    ] = None,
    ownership: Annotated[
        str, typer.Option("--ownership", help="50% rule: ofac (default) or multiply.")
    ] = "ofac",
    output: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = (
        OutputFormat.table
    ),
) -> None:
    queries = _queries(name, schema, country, birth_date, identifier, batch)
    if ownership not in ("ofac", "multiply"):
        raise InputError(f"--ownership {ownership!r}: expected 'ofac' or 'multiply'")
    with Workspace(state.workspace, create=False, read_only=True) as ws:
        entities = load_list(ws, dataset, ownership=ownership)
    screener = Screener(
        ScreeningIndex(entities), threshold=threshold, min_score=min_score, limit=limit
    )
    records = screen_batch(screener, queries)
    columns = TABLE_KEYS if output is OutputFormat.table else CSV_KEYS
    render(
        records, output, title=f"screening against {len(entities):,} list entries", columns=columns
    )


def _queries(
    name: str | None,
    schema: str | None,
    country: str | None,
    birth_date: str | None,
    identifier: str | None,
    batch: Path | None,
) -> list[Query]:
    if batch is not None:
        if name:
            raise InputError("give either a NAME or --batch FILE, not both")
        if not batch.is_file():
            raise InputError(f"{batch}: no such file; expected a CSV of counterparties")
        return read_batch(batch)
    if not name:
        raise InputError("nothing to screen: give a NAME or --batch FILE.csv")
    return [Query.make(name, schema, country, birth_date, identifier, ref="argument")]
