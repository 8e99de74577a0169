"""The ``greymap`` command: parse, call the library, render. Nothing is computed here."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from greymap.settings import WORKSPACE

app = typer.Typer(
    name="greymap",
    help="Chart the global grey market: ingest trade, shipment, entity and seizure data; "
    "find gaps, choke points and middlemen; screen counterparties.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class State:
    workspace: Path = WORKSPACE


state = State()


@app.callback()
def main_options(
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Workspace directory (default ./greymap-workspace or $GREYMAP_WORKSPACE).",
        ),
    ] = None,
) -> None:
    state.workspace = workspace or Path(os.environ.get("GREYMAP_WORKSPACE", str(WORKSPACE)))
