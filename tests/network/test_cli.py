"""The CLI contracts of choke points, interdiction, explanations and export, on a small
simulated world."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from greymap import Workspace, ingest_files
from greymap.flows import PriceParams, run_prices
from greymap.simulate import simulate
from tests.conftest import CliResult

CHOKEPOINT_KEYS = {
    "node",
    "label",
    "layer",
    "score",
    "suspicious_value_usd",
    "suspicious_share",
    "sectors",
}
PLAN_KEYS = {"node", "label", "removed_value_usd", "cumulative_share"}


@pytest.fixture(scope="module")
def world_ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("networld")
    simulate(base / "world", seed=5, scale=0.1)
    with Workspace(base / "ws") as ws:
        for name, fmt in (("shipments.csv", "shipments"), ("incidents.csv", "incidents")):
            ingest_files(ws, fmt, [base / "world" / name])
        run_prices(ws, PriceParams())
    return base / "ws"


def test_chokepoints_json_keys_and_order(cli: Callable[..., CliResult], world_ws: Path) -> None:
    for layer in ("port", "country", "firm"):
        result = cli(
            "chokepoints", "--layer", layer, "--top", "5", "--format", "json", workspace=world_ws
        )
        assert result.code == 0, result.stderr
        rows = result.json()
        assert rows and set(rows[0]) >= CHOKEPOINT_KEYS
        assert all(r["layer"] == layer for r in rows)
        scores = [r["score"] for r in rows]
        assert scores == sorted(scores, reverse=True)
        assert isinstance(rows[0]["sectors"], str)


def test_interdict_json_rows_in_pick_order(cli: Callable[..., CliResult], world_ws: Path) -> None:
    result = cli(
        "interdict",
        "--layer",
        "port",
        "--budget",
        "3",
        "--plan",
        "both",
        "--format",
        "json",
        workspace=world_ws,
    )
    assert result.code == 0, result.stderr
    rows = result.json()
    assert set(rows[0]) >= PLAN_KEYS
    for plan in ("naive", "robust"):
        picked = [r for r in rows if r["plan"] == plan]
        assert 1 <= len(picked) <= 3
        removed = [r["removed_value_usd"] for r in picked]
        assert removed == sorted(removed, reverse=True)
        shares = [r["cumulative_share"] for r in picked]
        assert shares == sorted(shares) and shares[-1] <= 1.0


def test_interdict_with_costs_file(
    cli: Callable[..., CliResult], world_ws: Path, tmp_path: Path
) -> None:
    costs = tmp_path / "costs.csv"
    costs.write_text("node,cost\nAEJEA,5\n", encoding="utf-8")
    result = cli(
        "interdict", "--budget", "2", "--costs", str(costs), "--format", "json", workspace=world_ws
    )
    assert result.code == 0, result.stderr
    assert all(r["node"] != "AEJEA" for r in result.json())


def test_bad_options_exit_2(cli: Callable[..., CliResult], world_ws: Path) -> None:
    assert cli("chokepoints", "--layer", "galaxy", workspace=world_ws).code == 2
    assert cli("interdict", "--budget", "0", workspace=world_ws).code == 2
    bad = cli("chokepoint-explain", "NOWHERE", "--format", "json", workspace=world_ws)
    assert bad.code == 2 and "NOWHERE" in bad.stderr


def test_explain_sections(cli: Callable[..., CliResult], world_ws: Path) -> None:
    top = cli("chokepoints", "--top", "1", "--format", "json", workspace=world_ws).json()[0]
    result = cli("chokepoint-explain", top["node"], "--format", "json", workspace=world_ws)
    assert result.code == 0, result.stderr
    records = result.json()
    sections = {r["section"] for r in records}
    assert {"summary", "sector", "flow", "evidence", "interdiction", "note"} <= sections
    notes = " ".join(str(r["note"]) for r in records if r["section"] == "note")
    assert "route_anomalies" in notes and "mirror_gaps" in notes


def test_export_graphml_gexf_json(
    cli: Callable[..., CliResult], world_ws: Path, tmp_path: Path
) -> None:
    written = {}
    for fmt in ("graphml", "gexf", "json"):
        out = tmp_path / f"ports.{fmt}"
        result = cli("network", "export", "--format", fmt, "--out", str(out), workspace=world_ws)
        assert result.code == 0, result.stderr
        written[fmt] = result.json()[0]
    graphml = ET.parse(tmp_path / "ports.graphml").getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(graphml.findall("g:graph/g:node", ns)) == written["graphml"]["nodes"]
    assert len(graphml.findall("g:graph/g:edge", ns)) == written["graphml"]["edges"]
    gexf = ET.parse(tmp_path / "ports.gexf").getroot()
    ns = {"x": "http://gexf.net/1.3"}
    assert len(gexf.findall("x:graph/x:nodes/x:node", ns)) == written["gexf"]["nodes"]
    payload = json.loads((tmp_path / "ports.json").read_text(encoding="utf-8"))
    assert len(payload["nodes"]) == written["json"]["nodes"]
    assert {"source", "target", "suspicious_value"} <= set(payload["edges"][0])
