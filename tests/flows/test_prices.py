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
        "VALUES (?, ?, 'DEU', '030231', DATE '2020-05-01', ?, 100.0, 0, 0)",
        [(sid, country, price * 100) for sid, country, price in SHIPMENTS],
    )


# 100 kg each. The first six come from countries with no trade statistics for the flow, so
# they are judged against the product's shipments; Spain and France report the flow, so
# theirs are judged against what Spain and France declared as exports.
SHIPMENTS = [
    ("A", "BRA", 10.0),
    ("B", "ARG", 10.0),
    ("C", "CHL", 10.0),
    ("D", "PER", 10.0),
    ("E", "URY", 1.0),
    ("F", "COL", 30.0),
    ("G", "ESP", 1.0),
    ("H", "FRA", 3.0),
]


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
    # Product reference: the median of all eight shipments (1,1,3,10,10,10,10,30) is 10.
    # The six judged against it deviate by 0,0,0,0,ln 10,ln 3: MAD 0, floored at 0.05.
    unit, ref, z, score, direction = rows["shipment", "E"]
    assert (unit, ref, direction) == (pytest.approx(1.0), pytest.approx(10.0), "under-invoiced")
    assert z == pytest.approx(-math.log(10) / (1.4826 * 0.05))
    # Uruguay ships nothing else: a one-off odd price weighs 0.2 + 0.8 * 0.5 / 1 = 0.6.
    assert score == pytest.approx(10.0 * math.log10(1 + 9.0 * 100 / 1000) * 0.6)
    # Spain declares its tuna at 1 USD/kg and exports it at that: no anomaly.
    assert rows["shipment", "G"][2] == pytest.approx(0.0)
    # France exports at 10 USD/kg but the shipment says 3: against the pair reference,
    # with MAD median(0, ln 10/3) = ln(10/3) / 2.
    unit, ref, z, score, direction = rows["shipment", "H"]
    assert ref == pytest.approx(10.0)
    assert z == pytest.approx(math.log(0.3) / (1.4826 * math.log(10 / 3) / 2))
    levels = dict(
        workspace.con.execute(
            "SELECT shipment_id, reference_level FROM price_anomalies WHERE source = 'shipment'"
        ).fetchall()
    )
    assert levels == {**dict.fromkeys("ABCDEF", "hs6"), "G": "pair", "H": "pair"}


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
