"""``greymap ingest FORMAT PATH... [--mapping FILE]``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from greymap.cli.app import app, state
from greymap.cli.render import OutputFormat, render
from greymap.sources import READERS, ColumnMapping
from greymap.workspace import IngestResult, Workspace, ingest_files

COLUMNS = (
    "path",
    "format",
    "rows_read",
    "rows_loaded",
    "rows_quarantined",
    "status",
    "ingest_id",
    "notes",
)


@app.command(help="Load files into the workspace. FORMAT: " + ", ".join(READERS) + ".")
def ingest(
    format: Annotated[
        str, typer.Argument(help="One of: " + ", ".join(READERS), show_default=False)
    ],
    paths: Annotated[list[Path], typer.Argument(help="Files to load.", show_default=False)],
    mapping: Annotated[
        Path | None, typer.Option("--mapping", "-m", help="YAML or TOML file mapping your columns.")
    ] = None,
    dataset: Annotated[
        str | None,
        typer.Option("--dataset", help="Dataset name for entity lists (default: per format)."),
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.table,
) -> None:
    column_mapping = ColumnMapping.load(mapping) if mapping else None
    show_progress = output is OutputFormat.table and sys.stderr.isatty()
    with Workspace(state.workspace) as ws:
        if show_progress:
            results = _with_progress(ws, format, paths, column_mapping, dataset)
        else:
            results = ingest_files(ws, format, paths, mapping=column_mapping, dataset=dataset)
    render([r.as_record() for r in results], output, title=f"ingest {format}", columns=COLUMNS)


def _with_progress(
    ws: Workspace,
    format: str,
    paths: list[Path],
    mapping: ColumnMapping | None,
    dataset: str | None,
) -> list[IngestResult]:
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} files"),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(f"ingest {format}", total=len(paths))
        return ingest_files(
            ws,
            format,
            paths,
            mapping=mapping,
            dataset=dataset,
            on_file=lambda _: progress.advance(task),
        )
