"""``greymap simulate --out DIR --seed N --scale S``: write a synthetic world with ground truth."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from greymap.cli.app import app
from greymap.cli.render import OutputFormat, render
from greymap.simulate import simulate as run_simulation

COLUMNS = ("file", "format", "rows", "path")


@app.command(
    help="Write a synthetic world (trade statistics, shipments, entities, incidents, "
    "indicators) in the ingest formats, with a ground-truth file. See docs/simulation.md."
)
def simulate(
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory to write the world into.")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same files.")] = 1,
    scale: Annotated[
        float, typer.Option("--scale", help="World size: 1 for evaluation, 0.1 for quick tests.")
    ] = 1.0,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.table,
) -> None:
    if output is OutputFormat.table and sys.stderr.isatty():
        with Console(stderr=True).status(f"simulating a world (seed {seed}, scale {scale:g})"):
            result = run_simulation(out, seed, scale)
    else:
        result = run_simulation(out, seed, scale)
    render(
        result.records(),
        output,
        title=f"world in {out} (seed {seed}, scale {scale:g})",
        columns=COLUMNS,
    )
