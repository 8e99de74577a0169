"""The ground truth names only things that exist in the files, and its facts hold there."""

from __future__ import annotations

from typing import Any

from greymap.reference.ports import ports
from greymap.simulate import SimulationResult
from greymap.sources.shipments import valid_imo
from tests.simulate.conftest import read_csv


def test_shipment_ids_and_parties_exist(
    truth: dict[str, Any], shipments: dict[str, dict[str, str]]
) -> None:
    assert set(truth["parties"]) == set(shipments)
    listed = truth["shipments"]
    for key in (
        "illicit_ids",
        "network_ids",
        "misinvoiced_ids",
        "underpriced_ids",
        "overpriced_ids",
    ):
        assert set(listed[key]) <= set(shipments), key
    assert set(listed["network_ids"]) | set(listed["misinvoiced_ids"]) == set(listed["illicit_ids"])
    for net in truth["networks"]:
        assert net["shipment_ids"] and set(net["shipment_ids"]) <= set(listed["network_ids"])
    firms = truth["firms"]
    for sid, (shipper, consignee, notify) in truth["parties"].items():
        assert shipper in firms and consignee in firms and (notify is None or notify in firms)
        assert bool(shipments[sid]["notify_party_name"]) == (notify is not None)


def test_network_firms_exist(truth: dict[str, Any]) -> None:
    firms = truth["firms"]
    kinds = {
        "shippers": "front",
        "consignees": "front",
        "middlemen": "middleman",
        "shells": "shell",
    }
    for net in truth["networks"]:
        for role, kind in kinds.items():
            assert net["firms"][role], (net["id"], role)
            assert {firms[f]["kind"] for f in net["firms"][role]} == {kind}
    assert {m["firm_id"] for m in truth["middlemen"]} <= set(firms)
    assert set(truth["shells"]) <= set(firms) and set(truth["fronts"]) <= set(firms)


def test_planted_hubs_are_on_illicit_routes(
    truth: dict[str, Any], shipments: dict[str, dict[str, str]]
) -> None:
    """Single bills list the hub among transshipment ports; re-consigned cargo lands or
    leaves there."""
    assert set(truth["planted_hub_ports"]) <= set(ports())
    by_network = {n["id"]: n for n in truth["networks"]}
    legs = {sid for pair in truth["shipments"]["two_leg_consignments"] for sid in pair}
    single = 0
    for sid in truth["shipments"]["network_ids"]:
        row = shipments[sid]
        hub = by_network[truth["shipments"]["detail"][sid]["network"]]["hub_ports"][0]
        assert hub in truth["planted_hub_ports"]
        if sid in legs:
            assert hub in (
                row["port_of_lading"].replace(" ", ""),
                row["port_of_unlading"].replace(" ", ""),
            )
        else:
            assert hub in row["transshipment_ports"].split(";")
            single += 1
    assert single > len(legs)
    countries = {ports()[h].country for h in truth["planted_hub_ports"]}
    assert countries == set(truth["transit_countries"])


def test_entity_truth_covers_every_company_and_person(
    truth: dict[str, Any], entities: dict[str, Any]
) -> None:
    people_and_firms = {k for k, e in entities.items() if e["schema"] in ("Company", "Person")}
    assert people_and_firms <= set(truth["entity_truth"])
    assert set(truth["entity_truth"]) <= set(entities)
    known = (
        set(truth["firms"])
        | set(truth["persons"])
        | {e for e in truth["entity_truth"].values() if e.startswith("V")}
    )
    assert set(truth["entity_truth"].values()) <= known
    for fid, firm in truth["firms"].items():
        assert truth["entity_truth"][firm["registry_entity_id"]] == fid
    # Entity resolution has work to do: some firms have several differently spelled records.
    names: dict[str, set[str]] = {}
    for eid, true_id in truth["entity_truth"].items():
        names.setdefault(true_id, set()).update(entities[eid]["properties"].get("name", []))
    assert sum(1 for n in names.values() if len(n) >= 2) >= 50


def test_listings_exist_with_sanction_entities(
    truth: dict[str, Any], entities: dict[str, Any]
) -> None:
    listings = truth["sanctions"]["listings"]
    assert listings
    for item in listings:
        listed = entities[item["list_entity_id"]]
        assert "sanction" in listed["properties"]["topics"]
        sanction = entities[item["sanction_entity_id"]]
        assert sanction["schema"] == "Sanction"
        assert sanction["properties"]["entity"] == [item["list_entity_id"]]


def test_seizures_name_real_incidents_and_shipments(
    world: SimulationResult, truth: dict[str, Any], shipments: dict[str, dict[str, str]]
) -> None:
    rows = {r["incident_id"]: r for r in read_csv(world.path("incidents"))}
    seizures, noise = truth["seizures"], truth["noise_incidents"]
    assert {s["incident_id"] for s in seizures} | {n["incident_id"] for n in noise} == set(rows)
    network_ids = set(truth["shipments"]["network_ids"])
    for seizure in seizures:
        assert set(seizure["shipment_ids"]) <= network_ids
        row = rows[seizure["incident_id"]]
        assert row["sector"] == seizure["sector"]
        if seizure["shipment_id_in_record"]:
            assert row["shipment_id"] in seizure["shipment_ids"]
        else:
            assert row["shipment_id"] == ""
    for item in noise:
        assert item["shipment_id"] is None or item["shipment_id"] not in network_ids


def test_misinvoiced_flows_are_in_the_statistics(
    world: SimulationResult, truth: dict[str, Any]
) -> None:
    rows = read_csv(world.path("comtrade"))
    iso = {"S19": "TWN"}
    exports = {
        (
            iso.get(r["reporterISO"], r["reporterISO"]),
            iso.get(r["partnerISO"], r["partnerISO"]),
            r["cmdCode"],
            int(r["refYear"]),
        )
        for r in rows
        if r["flowCode"] == "X"
    }
    assert truth["misinvoiced_flows"]
    for flow in truth["misinvoiced_flows"]:
        key = (flow["exporter"], flow["importer"], flow["hs_code"], flow["year"])
        assert flow["kind"] in ("under-invoicing", "over-invoicing")
        assert key in exports
        ratio, factor = flow["observed_ratio"], flow["gap_factor"]
        assert ratio is not None and 0.5 * factor < ratio < 1.6 * factor
        assert set(flow["shipment_ids"]) <= set(truth["shipments"]["misinvoiced_ids"])


def test_prices_of_misinvoiced_shipments_follow_the_factor(
    truth: dict[str, Any], shipments: dict[str, dict[str, str]]
) -> None:
    detail = truth["shipments"]["detail"]
    for sid in truth["shipments"]["underpriced_ids"]:
        assert float(shipments[sid]["declared_value_usd"]) < 0.75 * detail[sid]["true_value_usd"]
    for sid in truth["shipments"]["overpriced_ids"]:
        assert float(shipments[sid]["declared_value_usd"]) > 1.4 * detail[sid]["true_value_usd"]
    assert truth["shipments"]["underpriced_ids"] and truth["shipments"]["legit_price_outlier_ids"]


def test_vessel_numbers_are_valid(shipments: dict[str, dict[str, str]]) -> None:
    imos = [r["vessel_imo"] for r in shipments.values() if r["vessel_imo"]]
    assert len(imos) > 0.9 * len(shipments)
    assert all(valid_imo(i) for i in imos)


def test_truth_counts_match_files(world: SimulationResult, truth: dict[str, Any]) -> None:
    files = truth["meta"]["files"]
    for written in world.files[:-1]:
        assert files[written.file] == {"format": written.format, "rows": written.rows}
    assert truth["meta"]["seed"] == 11 and truth["meta"]["years"] == [2019, 2020, 2021, 2022]
