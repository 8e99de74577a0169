"""The ``pattern`` of a mirror gap, worked out by hand from the declared net weights.

Misinvoicing changes the declared value but not the goods (the weights agree: ``value``);
unrecorded or smuggled trade misses the goods too (``quantity``). The cutoff is
|ln(imports_kg / exports_kg)| <= 0.4.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from greymap import InputError, Workspace
from greymap.flows import MirrorParams, run_mirror
from tests.conftest import CliResult
from tests.flows.test_mirror import assert_same_rows

# (reporter, partner, flow, value_usd, net_weight_kg); all fresh tuna (030231) in 2020.
FLOWS = [
    # FRA -> DEU: honest, same weight.
    ("FRA", "DEU", "export", 1_000_000.0, 100_000.0),
    ("DEU", "FRA", "import", 1_050_000.0, 100_000.0),
    # ESP -> DEU: the importer declares half the value of the same 50 t (misinvoicing).
    ("ESP", "DEU", "export", 500_000.0, 50_000.0),
    ("DEU", "ESP", "import", 262_500.0, 50_000.0),
    # PRT -> DEU: weights 40 t and 58 t, ln(58/40) = 0.372 <= 0.4: the same goods.
    ("PRT", "DEU", "export", 400_000.0, 40_000.0),
    ("DEU", "PRT", "import", 420_000.0, 58_000.0),
    # BEL -> DEU: 40 t and 60 t, ln(1.5) = 0.405 > 0.4: goods missing.
    ("BEL", "DEU", "export", 400_000.0, 40_000.0),
    ("DEU", "BEL", "import", 420_000.0, 60_000.0),
    # POL -> DEU: a quarter of the goods arrive on the books.
    ("POL", "DEU", "export", 400_000.0, 40_000.0),
    ("DEU", "POL", "import", 105_000.0, 10_000.0),
    # ITA -> DEU: Germany reports that year but records none of it.
    ("ITA", "DEU", "export", 200_000.0, 20_000.0),
    # NLD -> DEU: the exporter gives no weight.
    ("NLD", "DEU", "export", 300_000.0, None),
    ("DEU", "NLD", "import", 315_000.0, 30_000.0),
    # GRC -> DEU: the importer's weight is 0, which is no weight.
    ("GRC", "DEU", "export", 100_000.0, 10_000.0),
    ("DEU", "GRC", "import", 105_000.0, 0.0),
    # CHN reports nothing at all that year.
    ("DEU", "CHN", "import", 50_000.0, 5_000.0),
]

EXPECTED = {
    "FRA": ("value", 0.0),
    "ESP": ("value", 0.0),
    "PRT": ("value", math.log(58 / 40)),
    "BEL": ("quantity", math.log(60 / 40)),
    "POL": ("quantity", math.log(10 / 40)),
    "ITA": ("quantity", None),
    "NLD": ("unknown", None),
    "GRC": ("unknown", None),
    "CHN": ("one-sided", None),
}

QUERY = "SELECT * EXCLUDE (distance_km) FROM mirror_gaps ORDER BY exporter"


def load(ws: Workspace) -> None:
    ws.con.executemany(
        "INSERT INTO trade_flows (source, reporter, partner, flow, flow_detail, hs_code, year, "
        "value_usd, net_weight_kg, ingest_id, source_row) "
        "VALUES ('test', ?, ?, ?, ?, '030231', 2020, ?, ?, 0, 0)",
        [(r, p, f, f, v, kg) for r, p, f, v, kg in FLOWS],
    )


def rows(ws: Workspace) -> dict[str, dict[str, object]]:
    cur = ws.con.execute("SELECT * FROM mirror_gaps")
    names = [d[0] for d in cur.description]
    return {r[0]: dict(zip(names, r, strict=True)) for r in cur.fetchall()}


def test_each_pattern_by_hand(workspace: Workspace) -> None:
    load(workspace)
    run_mirror(workspace, MirrorParams(cif_fob=0.05))
    got = rows(workspace)
    assert {e: r["pattern"] for e, r in got.items()} == {e: p for e, (p, _) in EXPECTED.items()}
    for exporter, (_, ratio) in EXPECTED.items():
        if ratio is None:
            assert got[exporter]["weight_log_ratio"] is None, exporter
        else:
            assert got[exporter]["weight_log_ratio"] == pytest.approx(ratio, abs=1e-12)
    assert got["NLD"]["exports_kg"] is None
    assert got["ITA"]["imports_kg"] is None
    assert got["ITA"]["one_sided"] is None
    assert got["CHN"]["one_sided"] == "exporter-not-reporting"


def test_pattern_filter_keeps_scores(workspace: Workspace) -> None:
    load(workspace)
    run_mirror(workspace, MirrorParams(cif_fob=0.05))
    everything = workspace.con.execute(QUERY).fetchall()
    run_mirror(workspace, MirrorParams(cif_fob=0.05, pattern="value"))
    value = workspace.con.execute(QUERY).fetchall()
    assert [r[0] for r in value] == ["ESP", "FRA", "PRT"]
    # Filtering keeps each gap's figures: centres, spreads and reliability see every gap.
    assert_same_rows(value, [r for r in everything if r[0] in {"ESP", "FRA", "PRT"}])
    run_mirror(workspace, MirrorParams(cif_fob=0.05, pattern=" quantity, one-sided"))
    assert {r[0] for r in workspace.con.execute(QUERY).fetchall()} == {"BEL", "CHN", "ITA", "POL"}


def test_bad_pattern(workspace: Workspace) -> None:
    load(workspace)
    with pytest.raises(InputError, match="--pattern must be one or more of value, quantity"):
        run_mirror(workspace, MirrorParams(pattern="value,price"))


def test_cli_pattern_option(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    ws_dir = tmp_path / "ws"
    with Workspace(ws_dir) as ws:
        load(ws)
    args = ("flows", "mirror", "--cif-fob", "0.05", "--pattern", "quantity")
    result = cli(*args, "--format", "json", workspace=ws_dir)
    assert result.code == 0, result.stderr
    records = result.json()
    assert {r["exporter"] for r in records} == {"BEL", "ITA", "POL"}
    assert {r["pattern"] for r in records} == {"quantity"}
    assert {"gap_usd", "score", "weight_log_ratio", "one_sided", "direction"} <= set(records[0])
    table = cli(*args, workspace=ws_dir)
    assert table.code == 0, table.stderr
    assert "quantity" in table.stdout
    bad = cli("flows", "mirror", "--pattern", "smuggling", workspace=ws_dir)
    assert bad.code != 0
    assert "--pattern must be" in bad.stderr


@pytest.mark.slow
def test_spark_gives_the_same_patterns(workspace: Workspace) -> None:
    pytest.importorskip("pyspark")
    load(workspace)
    run_mirror(workspace, MirrorParams())
    expected = workspace.con.execute(QUERY).fetchall()
    run_mirror(workspace, MirrorParams(), engine="spark")
    assert_same_rows(workspace.con.execute(QUERY).fetchall(), expected)
