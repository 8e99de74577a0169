"""Mirror gaps on a world small enough to work out by hand."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from greymap import InputError, Workspace
from greymap.flows import MirrorParams, run_mirror
from tests.conftest import CliResult
from tests.flows import world

D = 1000.0  # damping, USD
MARGIN = 0.05


def gaps(ws: Workspace) -> dict[tuple[str, str, str], dict[str, object]]:
    cur = ws.con.execute("SELECT * FROM mirror_gaps")
    names = [d[0] for d in cur.description]
    return {
        (r["exporter"], r["importer"], r["hs_code"]): r
        for r in (dict(zip(names, row, strict=True)) for row in cur.fetchall())
    }


def test_hand_computed_gaps(workspace: Workspace) -> None:
    world.load(workspace)
    run_mirror(workspace, MirrorParams(cif_fob=MARGIN))
    g = gaps(workspace)
    # Special partners and codes never appear; monthly NLD rows are summed.
    assert set(g) == {
        ("FRA", "DEU", "030231"),
        ("ESP", "DEU", "030231"),
        ("ITA", "DEU", "030231"),
        ("NLD", "DEU", "030231"),
        ("FRA", "ESP", "030231"),
        ("CHN", "DEU", "030231"),
        ("FRA", "DEU", "030232"),
    }
    assert g["NLD", "DEU", "030231"]["exports_reported_usd"] == 300_000.0
    honest = g["FRA", "DEU", "030231"]
    assert honest["gap_usd"] == pytest.approx(0.0, abs=1e-6)
    assert honest["log_ratio"] == pytest.approx(0.0, abs=1e-12)
    assert honest["score"] == pytest.approx(0.0, abs=1e-9)

    odd = g["ESP", "DEU", "030231"]
    imports_fob = 262_500 / (1 + MARGIN)  # 250,000
    assert odd["gap_usd"] == pytest.approx(imports_fob - 500_000)
    lr = math.log((imports_fob + D) / (500_000 + D))
    assert odd["log_ratio"] == pytest.approx(lr)
    # Five two-sided pairs of 030231: ratios 0,0,0,0 and lr -> median 0, MAD 0 (floored
    # at 0.05), so z = lr / (1.4826 * 0.05).
    z = lr / (1.4826 * 0.05)
    assert odd["robust_z"] == pytest.approx(z)
    # Germany agrees with three of its four partners (median |z| 0): reliable, weight 1.
    assert odd["score"] == pytest.approx(abs(z) * 1.0 * math.log10(1 + 250_000 / 1000))
    assert odd["direction"] == "importer-reports-less"
    # Spain's median |z| over its two pairs is |z|/2: a less reliable reporter.
    assert odd["exporter_reliability"] == pytest.approx(1 / (1 + abs(z) / 2 - 0.6745))

    silent = g["CHN", "DEU", "030231"]
    assert silent["one_sided"] == "exporter-not-reporting"
    assert silent["score"] == 0.0
    assert silent["imports_reported_usd"] == 50_000.0


def test_level_and_sector_aggregate(workspace: Workspace) -> None:
    world.load(workspace)
    run_mirror(workspace, MirrorParams(level=4, cif_fob=MARGIN))
    g = gaps(workspace)
    fra = g["FRA", "DEU", "0302"]
    assert fra["exports_reported_usd"] == 1_100_000.0
    assert fra["imports_reported_usd"] == 1_155_000.0
    run_mirror(workspace, MirrorParams(sector="fisheries", cif_fob=MARGIN))
    g = gaps(workspace)
    assert g["FRA", "DEU", "fisheries"]["exports_reported_usd"] == 1_100_000.0


def test_estimated_margin_is_the_median_ratio(workspace: Workspace) -> None:
    world.load(workspace)
    run_mirror(workspace, MirrorParams())
    margins = [
        r[0] for r in workspace.con.execute("SELECT cif_fob_margin FROM mirror_gaps").fetchall()
    ]
    # Too few pairs per distance band: every pair takes the overall median ratio, 1.05.
    assert margins == pytest.approx([0.05] * 7)
    run = workspace.con.execute(
        "SELECT analysis, parameters FROM analysis_runs ORDER BY run_id DESC LIMIT 1"
    ).fetchone()
    assert run is not None and run[0] == "flows mirror" and '"cif_fob": null' in run[1]


def test_bad_options_and_empty_workspace(workspace: Workspace) -> None:
    with pytest.raises(InputError, match="no trade_flows yet"):
        run_mirror(workspace, MirrorParams())
    world.load(workspace)
    with pytest.raises(InputError, match="--level must be 2, 4 or 6"):
        run_mirror(workspace, MirrorParams(level=3))
    with pytest.raises(InputError, match="unknown sector"):
        run_mirror(workspace, MirrorParams(sector="unicorns"))


@pytest.mark.slow
def test_spark_gives_the_same_gaps(workspace: Workspace) -> None:
    pytest.importorskip("pyspark")
    world.load(workspace)
    run_mirror(workspace, MirrorParams())
    query = "SELECT * EXCLUDE (distance_km) FROM mirror_gaps ORDER BY exporter, importer, hs_code"
    expected = workspace.con.execute(query).fetchall()
    run_mirror(workspace, MirrorParams(), engine="spark")
    got = workspace.con.execute(query).fetchall()
    assert_same_rows(got, expected)


def assert_same_rows(got: list[tuple[object, ...]], expected: list[tuple[object, ...]]) -> None:
    """Equal row by row: numbers to 1e-9 (engines sum in different orders), rest exactly."""
    assert len(got) == len(expected)
    for row, want in zip(got, expected, strict=True):
        for a, b in zip(row, want, strict=True):
            if isinstance(b, float) and not isinstance(b, bool):
                assert a == pytest.approx(b, rel=1e-9, abs=1e-9)
            else:
                assert a == b


def test_cli_json_keys(cli: Callable[..., CliResult], tmp_path: object) -> None:
    from pathlib import Path

    ws_dir = Path(str(tmp_path)) / "ws"
    with Workspace(ws_dir) as ws:
        world.load(ws)
    result = cli("flows", "mirror", "--format", "json", "--cif-fob", "0.05", workspace=ws_dir)
    assert result.code == 0, result.stderr
    records = result.json()
    keys = {
        "exporter",
        "importer",
        "hs_code",
        "year",
        "exports_reported_usd",
        "imports_reported_usd",
        "gap_usd",
        "log_ratio",
        "score",
    }
    assert keys <= set(records[0])
    assert (records[0]["exporter"], records[0]["importer"]) == ("ESP", "DEU")
