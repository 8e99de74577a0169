"""Seizure records: customs catch a few of the networks' consignments, and some noise.

A world-wide seizure rate is drawn (6-14%) and that share of network consignments is
seized: most at destination, some at the hub, a few at origin. Records are incomplete as
press releases are: the bill of lading is named in 60% of them, the route's transit
countries in 70%, party names in half; values are street values (1.2-3 times the goods'
worth). Noise records (30% of all) are seizures unrelated to any network (passenger and
postal seizures on random routes) and detentions of legitimate consignments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from greymap.reference.hs import describe
from greymap.simulate import vocab
from greymap.simulate.bills import mention
from greymap.simulate.firms import Population
from greymap.simulate.networks import Underworld
from greymap.simulate.params import pick, rng_for
from greymap.simulate.shipments import Shipment, ShipmentBook
from greymap.simulate.world import Country, World

COLUMNS = (
    "incident_id",
    "date",
    "country",
    "sector",
    "hs_code",
    "commodity",
    "quantity",
    "unit",
    "value_usd",
    "origin_country",
    "transit_countries",
    "destination_country",
    "shipment_id",
    "shipper_name",
    "consignee_name",
    "source",
)


@dataclass
class IncidentLog:
    rows: list[list[str]] = field(default_factory=list)
    seizures: list[dict[str, Any]] = field(default_factory=list)
    noise: list[dict[str, Any]] = field(default_factory=list)
    rate: float = 0.0


def build_incidents(
    world: World, pop: Population, under: Underworld, book: ShipmentBook
) -> IncidentLog:
    rng = rng_for(world.params.seed, "incidents")
    nets = {n.id: n for n in under.networks}
    illicit = [s for s in book.shipments if s.kind == "network"]
    rate = float(rng.uniform(world.params.seizure_rate_low, world.params.seizure_rate_high))
    n_seized = max(1, round(rate * len(illicit)))
    seized = sorted(rng.choice(len(illicit), size=n_seized, replace=False))
    records: list[tuple[dt.date, list[str], dict[str, Any]]] = []
    for i in seized:
        s = illicit[int(i)]
        row, truth = _seizure(rng, world, pop, s, nets[str(s.network)].sector, nets[str(s.network)])
        records.append((dt.date.fromisoformat(row[1]), row, truth))
    share = world.params.noise_incident_share
    legit = [s for s in book.shipments if s.kind == "legit" and world.by_hs[s.hs_true].sector]
    for _ in range(round(n_seized * share / (1 - share))):
        row, truth = _noise(rng, world, pop, legit)
        records.append((dt.date.fromisoformat(row[1]), row, truth))
    log = IncidentLog(rate=round(n_seized / max(1, len(illicit)), 4))
    tiebreak = rng.random(len(records))
    order = sorted(range(len(records)), key=lambda k: (records[k][0], float(tiebreak[k])))
    for n, k in enumerate(order):
        _, row, truth = records[k]
        row[0] = truth["incident_id"] = f"INC-{n + 1:06d}"
        log.rows.append(row)
        (log.seizures if truth.pop("seizure") else log.noise).append(truth)
    return log


def _seizure(
    rng: np.random.Generator, world: World, pop: Population, s: Shipment, sector: str, net: Any
) -> tuple[list[str], dict[str, Any]]:
    hubs = [h for h in net.hubs]
    roll = rng.random()
    leg = s.tag or ""
    if "leg-1" in leg:
        place = hubs[0].country if roll < 0.7 else net.origins[0]
    elif roll < 0.6 or "leg-2" in leg:
        place = s.destination
    elif roll < 0.85:
        place = hubs[0].country
    else:
        place = s.origin
    date = s.date + dt.timedelta(days=int(rng.integers(0, 10)))
    true_origin = net.origins[0] if s.origin not in net.origins else s.origin
    destination = net.destinations[0] if s.destination not in net.destinations else s.destination
    transit = ";".join(world.countries[h.country].iso3 for h in hubs) if rng.random() < 0.7 else ""
    linked = rng.random() < 0.6
    named = (rng.random() < 0.5, rng.random() < 0.5)
    row = [
        "",
        date.isoformat(),
        _country(rng, world.countries[place]),
        sector,
        s.hs_true if rng.random() < 0.9 else "",
        (describe(s.hs_true) or "")[:60],
        f"{s.kg:.1f}",
        "kg",
        f"{s.value_true * float(rng.uniform(1.2, 3.0)):.0f}",
        _country(rng, world.countries[true_origin]) if rng.random() < 0.8 else "",
        transit,
        _country(rng, world.countries[destination]),
        s.id if linked else "",
        mention(rng, pop.by_id[s.shipper]) if named[0] else "",
        mention(rng, pop.by_id[s.consignee]) if named[1] else "",
        pick(rng, vocab.INCIDENT_SOURCES),
    ]
    truth = {
        "seizure": True,
        "shipment_ids": [s.id],
        "network": s.network,
        "sector": sector,
        "shipment_id_in_record": linked,
        "seized_in": world.countries[place].iso3,
        "shipper_id": s.shipper if named[0] else None,
        "consignee_id": s.consignee if named[1] else None,
    }
    return row, truth


def _noise(
    rng: np.random.Generator, world: World, pop: Population, legit: list[Shipment]
) -> tuple[list[str], dict[str, Any]]:
    if legit and rng.random() < 0.3:
        s = legit[int(rng.integers(0, len(legit)))]
        sector = str(world.by_hs[s.hs_true].sector)
        row = [
            "",
            (s.date + dt.timedelta(days=int(rng.integers(0, 5)))).isoformat(),
            _country(rng, world.countries[s.destination]),
            sector,
            s.hs_true,
            (describe(s.hs_true) or "")[:60],
            f"{s.kg:.1f}",
            "kg",
            f"{s.value_declared:.0f}",
            _country(rng, world.countries[s.origin]),
            "",
            _country(rng, world.countries[s.destination]),
            s.id,
            mention(rng, pop.by_id[s.shipper]),
            "",
            "customs press release",
        ]
        return row, {
            "seizure": False,
            "kind": "detention-of-legitimate-goods",
            "shipment_id": s.id,
            "shipper_id": s.shipper,
        }
    mass = np.array([c.mass for c in world.countries])
    origin, destination = (
        int(x) for x in rng.choice(len(mass), size=2, replace=False, p=mass / mass.sum())
    )
    sector = pick(rng, vocab.SECTORS)
    hs = pick(rng, vocab.SECTOR_PRODUCTS[sector][0])
    transit = ""
    if rng.random() < 0.3:
        transit = world.countries[world.hubs[int(rng.integers(0, len(world.hubs)))].country].iso3
    kg = float(rng.lognormal(1.5, 1.2))
    row = [
        "",
        _random_day(rng, world).isoformat(),
        _country(rng, world.countries[destination]),
        sector,
        hs,
        (describe(hs) or "")[:60],
        f"{kg:.1f}",
        "kg",
        f"{kg * world.by_hs[hs].price * float(rng.uniform(1.5, 4.0)):.0f}",
        _country(rng, world.countries[origin]),
        transit,
        _country(rng, world.countries[destination]),
        "",
        "",
        "",
        pick(rng, ["news report", "customs press release"]),
    ]
    return row, {
        "seizure": False,
        "kind": "unrelated-small-seizure",
        "shipment_id": None,
        "shipper_id": None,
    }


def _country(rng: np.random.Generator, country: Country) -> str:
    """Compilers write ISO3 codes mostly, country names sometimes."""
    return country.name if rng.random() < 0.2 else country.iso3


def _random_day(rng: np.random.Generator, world: World) -> dt.date:
    year = world.params.years[int(rng.integers(0, len(world.params.years)))]
    return dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
