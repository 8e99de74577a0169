"""The suspicion weight of hand-made shipments, each worked out from the documented formula."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from greymap import Workspace
from greymap.engine.runs import last_run
from greymap.network.layers import build_layer, load_journeys
from greymap.network.parties import party_key
from greymap.network.run import prepare_layer, run_suspicion
from greymap.network.suspicion import SuspicionWeights
from tests.network import world

W = SuspicionWeights()


def _weights(ws: Workspace) -> dict[str, tuple[float, str]]:
    rows = ws.con.execute("SELECT shipment_id, weight, evidence FROM shipment_suspicion").fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_each_kind_of_evidence_weighs_as_documented(workspace: Workspace) -> None:
    world.load(workspace)
    run_suspicion(workspace)
    got = _weights(workspace)
    price = W.price * 1.0  # |z| 6 is at z_high
    mirror = W.mirror * (16.5 - W.mirror_low) / (W.mirror_high - W.mirror_low)
    assert got["S1"][0] == pytest.approx(1 - (1 - price) * (1 - mirror), abs=1e-6)
    assert got["S2"][0] == pytest.approx(W.route * (1 - math.exp(-1.5 / W.route_scale)), abs=1e-6)
    # S3 was seized itself; the seizure names its shipper, who also shipped S4 on a listed
    # vessel; S4 goes to ITA, so it does not share the seizure's corridor (OMN-ARE-NLD).
    seized_party = W.seized_party * (1 - math.exp(-1 / W.seized_party_scale))
    assert got["S3"][0] == pytest.approx(W.seized, abs=1e-6)
    expected_s4 = 1 - (1 - seized_party) * (1 - W.vessel)
    assert got["S4"][0] == pytest.approx(expected_s4, abs=1e-6)
    assert "listed vessel IMO 9074729 (SEA WOLF)" in got["S4"][1]
    assert got["S5"][0] == 0.0 and got["S5"][1] == ""


def test_missing_evidence_tables_contribute_nothing_and_are_noted(workspace: Workspace) -> None:
    world.load(workspace, evidence=False)
    run_suspicion(workspace)
    assert _weights(workspace)["S1"][0] == 0.0
    notes = last_run(workspace, "shipment_suspicion")["parameters"]["notes"]
    assert any("price_anomalies" in n for n in notes)
    assert any("route_anomalies" in n for n in notes)


def test_reconsigned_goods_are_one_journey_through_the_hub(workspace: Workspace) -> None:
    world.load(workspace)
    run_suspicion(workspace)
    journeys = load_journeys(workspace)
    assert len(journeys) == 6  # S6 and S7 are one journey
    ports = build_layer(journeys, "port").journeys.set_index("journey_id")
    assert ports.loc["1:6", "path"] == ["KEMBA", "AEJEA", "CNSHA"]
    countries = build_layer(journeys, "country").journeys.set_index("journey_id")
    assert countries.loc["1:6", "path"] == ["KEN", "ARE", "CHN"]
    firms = build_layer(journeys, "firm").journeys.set_index("journey_id")
    assert firms.loc["1:6", "path"] == ["iotaltd", party_key("Gulf Star FZE"), "kappaco"]


def test_party_key_merges_spelling_variants() -> None:
    assert party_key("ACME TRADING LLC") == party_key("Acme Trading L.L.C.")
    assert party_key("  ") is None


@pytest.mark.slow
def test_spark_gives_the_same_weights(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    query = (
        "SELECT shipment_id, weight, next_rid, sectors, evidence FROM shipment_suspicion ORDER BY 1"
    )
    results = []
    for engine in ("duckdb", "spark"):
        with Workspace(tmp_path / engine) as ws:
            world.load(ws)
            run_suspicion(ws, engine=engine)
            results.append(ws.con.execute(query).fetchall())
    assert results[0] == results[1]


def test_resolved_entities_replace_fingerprints(workspace: Workspace) -> None:
    world.load(workspace)
    workspace.con.execute(
        "CREATE TABLE entity_clusters AS SELECT * FROM (VALUES "
        "('Gulf Star FZE', 'C9'), ('GULF STAR F.Z.E.', 'C9'), ('Iota Ltd', 'C1')) t(name, cluster_id)"
    )
    run_suspicion(workspace)
    keys = dict(workspace.con.execute("SELECT name, party_key FROM net_party_keys").fetchall())
    assert keys["Gulf Star FZE"] == keys["GULF STAR F.Z.E."] == "entity:C9"
    assert keys["Kappa Co"] == "kappaco"  # not resolved: its fingerprint


def test_a_foreign_shipment_suspicion_table_is_recomputed(workspace: Workspace) -> None:
    world.load(workspace)
    workspace.con.execute(
        "CREATE TABLE shipment_suspicion AS SELECT 'S1' AS shipment_id, 0.5 AS suspicion"
    )
    layer = prepare_layer(workspace, "port", reuse=True)
    assert len(layer.journeys) == 6
