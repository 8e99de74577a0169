"""The world looks like trade data: legitimate trade dominates, planted signals are there
to be found but not trivially, noise is everywhere."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import pytest

from greymap.simulate import SimulationResult, vocab
from tests.simulate.conftest import read_csv


def test_illicit_trade_is_a_minority(truth: dict[str, Any]) -> None:
    summary = truth["summary"]
    assert 0.005 <= summary["illicit_trade_share"] <= 0.05
    assert 0.01 <= summary["network_shipment_value_share"] <= 0.08
    assert 0.01 <= summary["illicit_shipment_value_share"] <= 0.12
    assert summary["network_shipments"] < 0.06 * summary["shipments"]


def test_seizures_observe_a_fraction(truth: dict[str, Any]) -> None:
    rate = truth["summary"]["seizure_rate"]
    assert 0.05 <= rate <= 0.15
    assert rate == round(len(truth["seizures"]) / truth["summary"]["network_shipments"], 4)
    assert truth["noise_incidents"], "noise records are part of the world"


def test_clean_hubs_are_busy_and_clean(truth: dict[str, Any]) -> None:
    hubs = {h["locode"]: h for h in truth["hubs"]}
    assert set(truth["clean_hub_ports"]).isdisjoint(truth["planted_hub_ports"])
    busiest = sorted(hubs.values(), key=lambda h: -h["legit_calls"])[: len(hubs) // 2]
    assert any(h["role"] == "clean" for h in busiest)
    for code in truth["clean_hub_ports"]:
        assert hubs[code]["illicit_calls"] == 0 and hubs[code]["legit_calls"] > 0
    for code in truth["planted_hub_ports"]:
        assert hubs[code]["illicit_calls"] > 0 and hubs[code]["legit_calls"] > 0


def test_every_sector_has_a_network(truth: dict[str, Any]) -> None:
    assert len(truth["sectors"]) == 13
    middlemen = truth["middlemen"]
    assert any(len(m["networks"]) >= 2 for m in middlemen), "some middlemen serve several networks"


def test_statistics_have_real_frictions(world: SimulationResult, truth: dict[str, Any]) -> None:
    rows = read_csv(world.path("comtrade"))
    flows = {r["flowCode"] for r in rows}
    assert {"X", "M", "RX"} <= flows
    partners = {r["partnerCode"] for r in rows}
    assert {"0", "899"} <= partners
    reporters = {r["reporterISO"] for r in rows}
    silent = {c["iso3"] for c in truth["countries"] if not c["reporter"]}
    assert silent and not silent & reporters
    kinds = {a["kind"] for a in truth["legit_asymmetries"]}
    assert {"re-export", "timing", "classification"} <= kinds


def test_naive_mirror_ranking_finds_planted_gaps(
    world: SimulationResult, truth: dict[str, Any]
) -> None:
    """A plain |log(M/X)| ranking of flows both sides report puts planted gaps on top,
    without being perfect (legitimate frictions compete)."""
    iso = {"S19": "TWN"}
    sides: dict[tuple[str, str, str, int], dict[str, float]] = defaultdict(dict)
    for r in read_csv(world.path("comtrade")):
        if r["partnerCode"] in ("0", "899") or r["flowCode"] not in ("X", "M"):
            continue
        rep, par = (
            iso.get(r["reporterISO"], r["reporterISO"]),
            iso.get(r["partnerISO"], r["partnerISO"]),
        )
        key = (
            (rep, par, r["cmdCode"], int(r["refYear"]))
            if r["flowCode"] == "X"
            else (par, rep, r["cmdCode"], int(r["refYear"]))
        )
        sides[key][r["flowCode"]] = float(r["primaryValue"])
    both = {k: v for k, v in sides.items() if "X" in v and "M" in v}
    planted = {
        (f["exporter"], f["importer"], f["hs_code"], f["year"])
        for f in truth["misinvoiced_flows"] + truth["network_flows"]
    }
    ranked = sorted(both, key=lambda k: -abs(math.log(both[k]["M"] / both[k]["X"]) - 0.06))[:20]
    precision = sum(k in planted for k in ranked) / 20
    assert precision >= 0.4
    assert len(planted & set(both)) < len(both) * 0.2


def test_indicators_track_hub_hosts(world: SimulationResult, truth: dict[str, Any]) -> None:
    hosts = {c["iso3"] for c in truth["countries"] if "illicit-hub-host" in c["roles"]}
    oversight: dict[bool, list[float]] = {True: [], False: []}
    for r in read_csv(world.path("indicators")):
        if r["indicator"] == "ftz_oversight":
            oversight[r["country"] in hosts].append(float(r["value"]))
    mean = {k: sum(v) / len(v) for k, v in oversight.items()}
    assert mean[True] < mean[False]


def test_sector_goods_belong_to_their_sector() -> None:
    """The simulator's sector codes agree with greymap's sector reference."""
    sectors = pytest.importorskip("greymap.reference.sectors")
    for sector, (goods, _covers) in vocab.SECTOR_PRODUCTS.items():
        for code in goods:
            assert sector in sectors.sectors_for_hs(code), (sector, code)
    assert set(vocab.SECTORS) == set(sectors.SECTOR_SLUGS)
