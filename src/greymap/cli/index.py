"""``greymap index build|show|profile|sensitivity|correlations|coverage|indicators|charts``.

Thin: parse, call :func:`greymap.index.build_index` or read result tables through
:mod:`greymap.index.views`, render.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from greymap.cli.app import app, state
from greymap.cli.render import OutputFormat, render
from greymap.index import build_index, load_framework, views
from greymap.index.charts import write_charts
from greymap.workspace import Workspace

index_app = typer.Typer(
    name="index",
    help="Country index: structural capability to guard against illicit trade.",
    no_args_is_help=True,
)
app.add_typer(index_app, name="index")

Format = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
Run = Annotated[int | None, typer.Option("--run", help="Index run id (default: the latest).")]

BUILD_COLUMNS = (
    "run_id",
    "framework",
    "countries_scored",
    "countries_excluded",
    "indicators_used",
    "indicators_left_out",
    "draws",
    "seed",
    "seconds",
    "warnings",
)


@index_app.command(
    help="Build the index from the workspace indicators (default framework if no CONFIG)."
)
def build(
    config: Annotated[
        Path | None, typer.Argument(help="Framework YAML file.", show_default=False)
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Monte Carlo seed (default: framework's).")
    ] = None,
    draws: Annotated[
        int | None, typer.Option(help="Monte Carlo draws (default: framework's).")
    ] = None,
    output: Format = OutputFormat.table,
) -> None:
    framework = load_framework(config)
    with Workspace(state.workspace, create=False) as ws:
        if output is OutputFormat.table and sys.stderr.isatty():
            with Console(stderr=True).status("building the index and its uncertainty"):
                summary = build_index(ws, framework, config_path=config, seed=seed, draws=draws)
        else:
            summary = build_index(ws, framework, config_path=config, seed=seed, draws=draws)
    render([summary.as_record()], output, title="index build", columns=BUILD_COLUMNS)


@index_app.command(
    help="Scores, ranks and rank intervals: all countries, or one (with its profile)."
)
def show(
    country: Annotated[
        str | None, typer.Argument(help="ISO3/ISO2 code or name.", show_default=False)
    ] = None,
    top: Annotated[int | None, typer.Option(help="Only the first N countries.")] = None,
    run: Run = None,
    output: Format = OutputFormat.table,
) -> None:
    with Workspace(state.workspace, create=False, read_only=True) as ws:
        info = views.get_run(ws, run)
        if country is None:
            records = views.ranking(ws, info)[: top if top else None]
            profile: list[dict[str, Any]] = []
        else:
            records = [views.country_record(ws, info, country)]
            profile = views.profile(ws, info, country) if output is OutputFormat.table else []
    title = f"index run {info.run_id} ({info.framework})"
    render(records, output, title=title, columns=views.columns(info))
    strengths = [p for p in profile if p["assessment"]]
    if strengths:
        render(strengths, output, title="strengths and weaknesses against peers", columns=PROFILE)


PROFILE = (
    "level",
    "component",
    "category",
    "value",
    "peer_median",
    "difference",
    "percentile",
    "assessment",
)


@index_app.command(help="A country's categories and indicators against its peers.")
def profile(
    country: Annotated[str, typer.Argument(help="ISO3/ISO2 code or name.", show_default=False)],
    run: Run = None,
    output: Format = OutputFormat.table,
) -> None:
    with Workspace(state.workspace, create=False, read_only=True) as ws:
        info = views.get_run(ws, run)
        records = views.profile(ws, info, country)
    render(records, output, title=f"profile of {records[0]['country'] if records else country}")


@index_app.command(help="First-order sensitivity of the ranks to each methodological choice.")
def sensitivity(run: Run = None, output: Format = OutputFormat.table) -> None:
    with Workspace(state.workspace, create=False, read_only=True) as ws:
        records = views.sensitivity(ws, views.get_run(ws, run))
    render(records, output, title="sensitivity of ranks")


@index_app.command(help="Correlation structure; --flagged lists redundant, contrary or weak parts.")
def correlations(
    level: Annotated[
        str | None,
        typer.Option(help="indicator, indicator_category, category, category_index or benchmark."),
    ] = None,
    flagged: Annotated[bool, typer.Option(help="Only flagged pairs.")] = False,
    run: Run = None,
    output: Format = OutputFormat.table,
) -> None:
    with Workspace(state.workspace, create=False, read_only=True) as ws:
        records = views.correlations(ws, views.get_run(ws, run), level=level, flagged=flagged)
    render(records, output, title="correlations")


@index_app.command(help="Countries left out of the index and why (--all: every country).")
def coverage(
    all_countries: Annotated[bool, typer.Option("--all", help="Include scored countries.")] = False,
    run: Run = None,
    output: Format = OutputFormat.table,
) -> None:
    with Workspace(state.workspace, create=False, read_only=True) as ws:
        records = views.coverage(ws, views.get_run(ws, run), excluded_only=not all_countries)
    render(records, output, title="coverage")


@index_app.command(help="The indicators of the run: source, weight, coverage, treatment, citation.")
def indicators(run: Run = None, output: Format = OutputFormat.table) -> None:
    with Workspace(state.workspace, create=False, read_only=True) as ws:
        records = views.indicators(ws, views.get_run(ws, run))
    render(records, output, title="indicators")


@index_app.command(help="Write chart files (CSV, Vega-Lite JSON; HTML if plotly is installed).")
def charts(
    out: Annotated[Path, typer.Option("--out", help="Directory for the chart files.")] = Path(
        "index-charts"
    ),
    run: Run = None,
    output: Format = OutputFormat.table,
) -> None:
    with Workspace(state.workspace, create=False, read_only=True) as ws:
        paths = write_charts(ws, out, run)
    render([{"path": str(p)} for p in paths], output, title="chart files")
