"""Chart artefacts of an index run for the report and the dashboard.

Always written, with no plotting library: a CSV of the ranking and Vega-Lite JSON specs
with their data embedded (any Vega-Lite renderer, the Vega editor or a dashboard can draw
them). When plotly is installed (``pip install 'greymap[web]'``) an HTML page with the same
charts is written too. Everything is read from the result tables through
:mod:`greymap.index.views`; nothing is computed here.
"""

from __future__ import annotations

import contextlib
import csv
import importlib
import json
from pathlib import Path
from typing import Any

from greymap.errors import MissingDependencyError
from greymap.index import views
from greymap.workspace import Workspace

VEGA_LITE = "https://vega.github.io/schema/vega-lite/v5.json"


def write_charts(
    ws: Workspace, out: Path, run_id: int | None = None, *, html: bool = True
) -> list[Path]:
    """Write the chart files of run ``run_id`` (latest by default) into ``out``."""
    run = views.get_run(ws, run_id)
    ranking = views.ranking(ws, run)
    sens = [s for s in views.sensitivity(ws, run) if s["factor"] != "interactions"]
    corr = views.correlations(ws, run, level="indicator")
    out.mkdir(parents=True, exist_ok=True)
    written = [_write_csv(out / "index_ranking.csv", ranking, views.columns(run))]
    specs = {
        "index_rank_intervals.vl.json": rank_intervals_spec(ranking),
        "index_categories.vl.json": categories_spec(ranking, run.categories),
        "index_sensitivity.vl.json": sensitivity_spec(sens),
        "index_correlations.vl.json": correlations_spec(corr),
    }
    for name, spec in specs.items():
        path = out / name
        path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
        written.append(path)
    if html:
        # without plotly the Vega-Lite specs above are the charts
        with contextlib.suppress(MissingDependencyError):
            written.append(write_html(out / "index_charts.html", ranking, run.categories, sens))
    return written


def rank_intervals_spec(ranking: list[dict[str, Any]]) -> dict[str, Any]:
    data = [
        {k: r[k] for k in ("country", "name", "rank", "rank_low", "rank_high", "score")}
        for r in ranking
    ]
    y = {"field": "country", "type": "nominal", "sort": {"field": "rank"}, "title": None}
    return {
        "$schema": VEGA_LITE,
        "title": "Index rank with its Monte Carlo interval",
        "data": {"values": data},
        "height": {"step": 12},
        "layer": [
            {
                "mark": "rule",
                "encoding": {
                    "y": y,
                    "x": {"field": "rank_low", "type": "quantitative", "title": "rank"},
                    "x2": {"field": "rank_high"},
                },
            },
            {
                "mark": {"type": "point", "filled": True},
                "encoding": {
                    "y": y,
                    "x": {"field": "rank", "type": "quantitative"},
                    "tooltip": [
                        {"field": f} for f in ("name", "score", "rank", "rank_low", "rank_high")
                    ],
                },
            },
        ],
    }


def categories_spec(ranking: list[dict[str, Any]], categories: list[str]) -> dict[str, Any]:
    data = [
        {"country": r["country"], "rank": r["rank"], "category": c, "score": r[c]}
        for r in ranking
        for c in categories
    ]
    return {
        "$schema": VEGA_LITE,
        "title": "Category scores",
        "data": {"values": data},
        "height": {"step": 12},
        "mark": "rect",
        "encoding": {
            "y": {"field": "country", "type": "nominal", "sort": {"field": "rank"}, "title": None},
            "x": {"field": "category", "type": "nominal", "sort": categories, "title": None},
            "color": {"field": "score", "type": "quantitative"},
            "tooltip": [{"field": "country"}, {"field": "category"}, {"field": "score"}],
        },
    }


def sensitivity_spec(sens: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": VEGA_LITE,
        "title": "First-order sensitivity of the ranks to each choice",
        "data": {"values": sens},
        "mark": "bar",
        "encoding": {
            "y": {"field": "factor", "type": "nominal", "sort": "-x", "title": None},
            "x": {
                "field": "first_order",
                "type": "quantitative",
                "title": "share of rank variance",
            },
        },
    }


def correlations_spec(corr: list[dict[str, Any]]) -> dict[str, Any]:
    data = [{"a": c["a"], "b": c["b"], "r": c["pearson"], "flag": c["flag"]} for c in corr]
    data += [{"a": c["b"], "b": c["a"], "r": c["pearson"], "flag": c["flag"]} for c in corr]
    return {
        "$schema": VEGA_LITE,
        "title": "Correlations between indicators (normalised, observed values)",
        "data": {"values": data},
        "mark": "rect",
        "encoding": {
            "x": {"field": "a", "type": "nominal", "title": None},
            "y": {"field": "b", "type": "nominal", "title": None},
            "color": {
                "field": "r",
                "type": "quantitative",
                "scale": {"domain": [-1, 1], "scheme": "redblue"},
            },
            "tooltip": [{"field": "a"}, {"field": "b"}, {"field": "r"}, {"field": "flag"}],
        },
    }


def write_html(
    path: Path, ranking: list[dict[str, Any]], categories: list[str], sens: list[dict[str, Any]]
) -> Path:
    """One HTML page with plotly charts; needs the ``web`` extra."""
    try:
        go: Any = importlib.import_module("plotly.graph_objects")
    except ImportError as exc:
        raise MissingDependencyError("plotly", "web") from exc
    names = [r["country"] for r in ranking]
    intervals = go.Figure(
        go.Scatter(
            x=[r["rank"] for r in ranking],
            y=names,
            mode="markers",
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [r["rank_high"] - r["rank"] for r in ranking],
                "arrayminus": [r["rank"] - r["rank_low"] for r in ranking],
            },
        )
    )
    intervals.update_layout(title="Rank with Monte Carlo interval", height=14 * len(names) + 200)
    heat = go.Figure(
        go.Heatmap(z=[[r[c] for c in categories] for r in ranking], x=categories, y=names)
    )
    heat.update_layout(title="Category scores", height=14 * len(names) + 200)
    bars = go.Figure(
        go.Bar(x=[s["first_order"] for s in sens], y=[s["factor"] for s in sens], orientation="h")
    )
    bars.update_layout(title="First-order sensitivity of ranks")
    parts = [
        f.to_html(full_html=False, include_plotlyjs=i == 0)
        for i, f in enumerate((intervals, heat, bars))
    ]
    path.write_text("<html><body>" + "\n".join(parts) + "</body></html>", encoding="utf-8")
    return path


def _write_csv(path: Path, records: list[dict[str, Any]], columns: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(records)
    return path
