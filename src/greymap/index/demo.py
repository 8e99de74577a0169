"""The country-index steps of ``make demo``: which files to load, what to print.

Uses the real country files in ``../shared/data/country-indices`` when they are there,
else the two openly licensed files bundled in ``examples/data/country-indices`` (Basel
AML Index, CPI), with which the default framework still builds a reduced index: missing
indicators and categories are reported, not fatal.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from greymap.cli.render import OutputFormat, render
from greymap.index import views
from greymap.index.build import BuildSummary, build_index
from greymap.index.framework import load_framework
from greymap.workspace import Workspace

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared" / "data" / "country-indices"
BUNDLED = ROOT / "examples" / "data" / "country-indices"
FILES = (
    "global_organized_crime_index_2023.csv",
    "global_organized_crime_index_2021.csv",
    "basel_aml_index_expert_edition.csv",
    "cpi_2012_2017_iso3.csv",
    "lpi_2010_2016.csv",
)


def country_files() -> list[Path]:
    """The country indicator files to ingest: the shared real data, else the bundled."""
    for folder in (SHARED, BUNDLED):
        found = [folder / f for f in FILES if (folder / f).is_file()]
        if found:
            return found
    return []


def build_and_show(ws: Workspace, console: Console, top: int = 10) -> BuildSummary:
    """Build the default index and print the top and bottom countries with intervals."""
    summary = build_index(ws, load_framework())
    for warning in summary.warnings:
        console.print(f"[yellow]note[/yellow]: {warning}")
    run = views.get_run(ws, summary.run_id)
    ranking = views.ranking(ws, run)
    columns = ["rank", "rank_low", "rank_high", "country", "name", "score", *run.categories]
    interval = run.parameters["uncertainty"]["interval"]
    console.print(
        f"{summary.countries_scored} countries scored, {summary.countries_excluded} excluded "
        f"(see: greymap index coverage); rank intervals: central {interval:.0%} of "
        f"{summary.draws} Monte Carlo draws, seed {summary.seed}"
    )
    render(ranking[:top], OutputFormat.table, title=f"top {top}", columns=columns)
    render(ranking[-top:], OutputFormat.table, title=f"bottom {top}", columns=columns)
    bench = [c for c in views.correlations(ws, run, level="benchmark") if c["a"] == "index"]
    if bench:
        render(
            bench,
            OutputFormat.table,
            title="rank correlation with published rankings",
            columns=("b", "spearman", "pearson", "n"),
        )
    return summary
