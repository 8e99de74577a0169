"""Price anomalies worked out by hand."""

from __future__ import annotations

import math

import pytest

from greymap import Workspace
from greymap.flows import PriceParams, run_prices

# Five exporters ship fresh tuna to Germany at 10 USD/kg; Spain declares 1 USD/kg.
EXPORTERS = {"FRA": 10.0, "ITA": 10.0, "NLD": 10.0, "PRT": 10.0, "ESP": 1.0}
KG = 10_000.0


def load(ws: Workspace) -> None:
    rows = [
        ("test", c, "DEU", "export", "export", "030231", 2020, price * KG, KG, 0, i)
        for i, (c, price) in enumerate(EXPORTERS.items())
    ]
    # A re-export is inside the export total and must not be counted twice.
    rows.append(
        ("test", "ESP", "DEU", "re-export", "re-export", "030231", 2020, 1.0 * KG, KG, 0, 9)
    )
    ws.con.executemany(
        "INSERT INTO trade_flows (source, reporter, partner, flow, flow_detail, hs_code, year, "
        "value_usd, net_weight_kg, ingest_id, source_row) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    ws.con.executemany(
        "INSERT INTO shipments (shipment_id, shipper_country, consignee_country, hs_code, "
        "arrival_date, declared_value_usd, weight_kg, ingest_id, source_row) "
        "VALUES (?, ?, 'DEU', '030231', DATE '2020-05-01', ?, ?, 0, 0)",
        [(f"S{i}", c, price * 100, 100.0) for i, (c, price) in enumerate(EXPORTERS.items())]
        + [("S9", "ESP", 30.0 * 100, 100.0)],
    )


def test_hand_computed_prices(workspace: Workspace) -> None:
    load(workspace)
    run_prices(workspace, PriceParams(min_observations=3))
    rows = {
        (r[0], r[1] or r[2]): r[3:]
        for r in workspace.con.execute(
            "SELECT source, shipment_id, exporter, unit_value, reference_unit_value, robust_z, "
            "score, direction FROM price_anomalies"
        ).fetchall()
    }
    assert len([k for k in rows if k[0] == "trade"]) == 5  # the re-export is not a sixth
    unit, ref, z, score, direction = rows["trade", "ESP"]
    assert (unit, ref) == (pytest.approx(1.0), pytest.approx(10.0))
    # Median log price ln 10, MAD 0 (floored at 0.05): z = (ln 1 - ln 10) / (1.4826 * 0.05).
    assert z == pytest.approx(-math.log(10) / (1.4826 * 0.05))
    assert score == pytest.approx(10.0 * math.log10(1 + 9.0 * KG / 1000))
    assert direction == "under-invoiced"
    assert rows["trade", "FRA"][3] == pytest.approx(0.0)
    # Shipments at 10, 10, 10, 10, 1 and 30 USD/kg: the median is 10.
    unit, ref, z, score, direction = rows["shipment", "S9"]
    assert (unit, ref, direction) == (pytest.approx(30.0), pytest.approx(10.0), "over-invoiced")
    assert score == pytest.approx(10.0 * math.log10(1 + 20.0 * 100 / 1000))


@pytest.mark.slow
def test_spark_gives_the_same_prices(workspace: Workspace) -> None:
    pytest.importorskip("pyspark")
    from tests.flows.test_mirror import assert_same_rows

    load(workspace)
    query = "SELECT * FROM price_anomalies ORDER BY source, exporter, shipment_id"
    run_prices(workspace, PriceParams(min_observations=3))
    expected = workspace.con.execute(query).fetchall()
    run_prices(workspace, PriceParams(min_observations=3), engine="spark")
    assert_same_rows(workspace.con.execute(query).fetchall(), expected)
