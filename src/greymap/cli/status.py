"""``greymap status``: tables, row counts, sources and quarantine counts."""

from __future__ import annotations

from typing import Annotated

import typer

from greymap.cli.app import app, state
from greymap.cli.render import OutputFormat, render
from greymap.workspace import Workspace


@app.command(help="Show the workspace: tables and row counts, ingests, quarantine.")
def status(
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.table,
) -> None:
    with Workspace(state.workspace, create=False, read_only=True) as ws:
        records = ws.status()
    render(records, output, title=f"workspace {state.workspace}")
