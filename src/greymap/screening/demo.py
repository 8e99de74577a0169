"""The screening step of ``make demo``: load the lists, screen a batch, print the hits.

Uses the real OFAC SDN (2024-05-03) and UN consolidated lists in ``../shared/data`` when
they are there, else the small illustrative FtM list bundled in
``examples/data/screening``; the counterparties are ``examples/data/screening/
counterparties.csv`` (names in several scripts, a renamed vessel quoting its IMO number,
firms that must not match, and a namesake with another birth date).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from greymap.cli.render import OutputFormat, render
from greymap.screening.index import ScreeningIndex
from greymap.screening.lists import load_list
from greymap.screening.screen import Screener, read_batch, screen_batch
from greymap.workspace import Workspace

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared" / "data"
EXAMPLES = ROOT / "examples" / "data" / "screening"
COUNTERPARTIES = EXAMPLES / "counterparties.csv"
SHOWN = ("query", "name", "schema", "score", "matched", "programs", "explanation")


def list_files() -> list[tuple[str, list[Path]]]:
    """(format, paths) of the lists to load: the shared real lists, else the sample."""
    ofac = SHARED / "ofac-sdn" / "sdn_2024-05-03.csv"
    un = SHARED / "un-consolidated" / "un_sc_consolidated_2018-10-29.xml"
    real = [(fmt, [p]) for fmt, p in (("ofac", ofac), ("un-sc", un)) if p.is_file()]
    return real or [("ftm", [EXAMPLES / "sample_list.ftm.jsonl"])]


def load_and_screen(
    ws: Workspace, console: Console, ingest: Callable[[str, list[Path]], None]
) -> list[dict[str, object]]:
    """Ingest the lists with ``ingest``, screen the counterparties, print and return hits."""
    for fmt, paths in list_files():
        ingest(fmt, paths)
    index = ScreeningIndex(load_list(ws))
    screener = Screener(index)
    rows = screen_batch(screener, read_batch(COUNTERPARTIES))
    stats = index.stats()
    console.print(
        f"{stats['entities']:,} list entries, {stats['names']:,} names indexed in "
        f"{stats['build_seconds']:.1f} s; threshold {screener.threshold}"
    )
    render(rows, OutputFormat.table, title="counterparties screened", columns=SHOWN)
    return rows
