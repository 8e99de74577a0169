"""The grey-market gap adds up flagged gaps by sector, country and hub, with a band."""

from __future__ import annotations

import pytest

from greymap import Workspace
from greymap.flows.gap import GapParams
from greymap.flows.run import run_gap

# Four mirror gaps: z of 5, 3.5, 2.5 and 1 (the last is below every threshold); a unit
# error (never counted); one shipment priced at z = -4.5 through Jebel Ali.
MIRROR = [
    ("ESP", "DEU", "030231", -5.0, -100.0, "importer-reports-less", False),
    ("FRA", "DEU", "030231", 3.5, 50.0, "exporter-reports-less", False),
    ("ITA", "DEU", "240220", -2.5, -20.0, "importer-reports-less", False),
    ("NLD", "DEU", "240220", 1.0, 7.0, "exporter-reports-less", False),
    ("PRT", "DEU", "240220", 9.0, 1000.0, "exporter-reports-less", True),
]


def load(ws: Workspace) -> None:
    ws.con.execute(
        "CREATE TABLE mirror_gaps (exporter VARCHAR, importer VARCHAR, hs_code VARCHAR, "
        "robust_z DOUBLE, gap_usd DOUBLE, direction VARCHAR, possible_unit_error BOOLEAN)"
    )
    ws.con.executemany("INSERT INTO mirror_gaps VALUES (?,?,?,?,?,?,?)", MIRROR)
    ws.con.execute(
        "CREATE TABLE price_anomalies AS SELECT 'shipment' AS source, 'S1' AS shipment_id, "
        "'030231' AS hs_code, 'NLD' AS importer, -4.5 AS robust_z, 40.0 AS value_at_stake_usd"
    )
    ws.con.execute(
        "INSERT INTO shipments (shipment_id, transshipment_ports, ingest_id, source_row) "
        "VALUES ('S1', ['AEJEA'], 0, 0)"
    )


def test_hand_computed_gap(workspace: Workspace) -> None:
    load(workspace)
    run_gap(workspace, GapParams())
    rows = {
        (r[0], r[1], r[2]): r[3:]
        for r in workspace.con.execute(
            "SELECT dimension, key, source, low_usd, value_at_stake_usd, high_usd, flagged "
            "FROM grey_market_gap"
        ).fetchall()
    }
    # Germany under-reports ESP (z 5: in all three) and ITA (z 2.5: high end only).
    assert rows["country", "DEU", "mirror"] == (100.0, 100.0, 120.0, 1)
    # France under-reports its exports (z 3.5: central and high).
    assert rows["country", "FRA", "mirror"] == (0.0, 50.0, 50.0, 1)
    assert ("country", "NLD", "mirror") not in rows and ("country", "PRT", "mirror") not in rows
    assert rows["sector", "fisheries", "mirror"] == (100.0, 150.0, 150.0, 2)
    assert rows["sector", "tobacco", "mirror"] == (0.0, 0.0, 20.0, 0)
    assert rows["hub", "AEJEA", "prices"][:3] == (40.0, 40.0, 40.0)
    assert rows["country", "NLD", "prices"][:3] == (40.0, 40.0, 40.0)
    lat = workspace.scalar("SELECT latitude FROM grey_market_gap WHERE key = 'AEJEA'")
    assert lat == pytest.approx(25.0, abs=0.5)
