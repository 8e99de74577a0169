"""Rendering of flat records as a Rich table, one JSON array, or CSV, on stdout.

``json`` prints exactly one JSON array of flat records and nothing else, so scripts can
pipe it; tables go through Rich only when asked for.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def render(
    records: Sequence[Mapping[str, Any]],
    fmt: OutputFormat,
    *,
    title: str | None = None,
    columns: Sequence[str] | None = None,
) -> None:
    cols = list(columns) if columns else _columns(records)
    if fmt is OutputFormat.json:
        sys.stdout.write(
            json.dumps([_flat(r, cols) for r in records], default=str, ensure_ascii=False)
        )
        sys.stdout.write("\n")
    elif fmt is OutputFormat.csv:
        writer = csv.DictWriter(
            sys.stdout, fieldnames=cols, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        for record in records:
            writer.writerow(_flat(record, cols))
    else:
        table = Table(title=title, show_lines=False)
        for col in cols:
            table.add_column(col, overflow="fold")
        for record in records:
            table.add_row(*[_cell(record.get(c)) for c in cols])
        console = Console()
        if not console.is_terminal:
            console = Console(width=200)
        console.print(table)


def _columns(records: Sequence[Mapping[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for record in records:
        for key in record:
            seen.setdefault(key, None)
    return list(seen)


def _flat(record: Mapping[str, Any], cols: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in cols:
        value = record.get(col)
        if isinstance(value, list | tuple | set):
            value = ";".join(str(v) for v in value)
        out[col] = value
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e4 else f"{value:,.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)
