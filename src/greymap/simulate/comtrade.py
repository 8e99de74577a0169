"""Trade statistics as UN Comtrade publishes them: each flow seen by both ends.

The exporter reports ``X`` at FOB value; the importer reports ``M`` at CIF (FOB times a
freight and insurance margin of 2-12% that grows with distance), each with its own
reporting noise (values +-4%, weights +-8%). Real-data frictions are reproduced and
logged in the ground truth as *legitimate asymmetries*: goods in transit at year end
(booked by the importer the next year), the importer classifying under a sibling code,
decimal slips, partners hidden as "Areas, nes", reporters that state imports FOB,
re-exports through hubs (the importer names the origin, the exporter the hub) and
countries that do not report at all. Planted misinvoicing scales the importer's value;
illicit networks add exports to free-zone hubs that the hub barely records and smuggled
imports the destination barely records.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from greymap.reference.hs import describe, nomenclature
from greymap.simulate.misinvoicing import Misinvoice
from greymap.simulate.networks import Network, Underworld
from greymap.simulate.params import pick, rng_for
from greymap.simulate.trade import Flows
from greymap.simulate.world import World

HEADER = (
    "typeCode",
    "freqCode",
    "refYear",
    "refMonth",
    "period",
    "reporterCode",
    "reporterISO",
    "reporterDesc",
    "flowCode",
    "partnerCode",
    "partnerISO",
    "partnerDesc",
    "classificationCode",
    "cmdCode",
    "cmdDesc",
    "qtyUnitCode",
    "qtyUnitAbbr",
    "qty",
    "netWgt",
    "cifvalue",
    "fobvalue",
    "primaryValue",
    "isReported",
    "isAggregate",
)
WORLD, AREAS_NES = -1, -2
_SPECIAL = {WORLD: ("0", "W00", "World"), AREAS_NES: ("899", "_X", "Areas, nes")}
_FLOW_ORDER = {"M": 0, "X": 1, "RM": 2, "RX": 3}

Key = tuple[int, str, int, str, int]


@dataclass
class Ledger:
    """Reported statements, summed per (reporter, flow, partner, hs, year)."""

    world: World
    rng: np.random.Generator
    values: dict[Key, list[float]] = field(
        default_factory=lambda: defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    )
    asymmetries: list[dict[str, Any]] = field(default_factory=list)
    network_flows: list[dict[str, Any]] = field(default_factory=list)

    def export(
        self,
        reporter: int,
        partner: int,
        hs: str,
        year: int,
        fob: float,
        kg: float,
        flow: str = "X",
    ) -> None:
        if not self.world.countries[reporter].reporter or fob <= 0:
            return
        noisy = fob * self.rng.lognormal(0.0, 0.04)
        weight = kg * self.rng.lognormal(0.0, 0.08)
        # As in Comtrade, the export total X includes re-exports RX (X = DX + RX), so a
        # re-export is recorded in both rows.
        for kind in {flow, "X"}:
            row = self.values[(reporter, kind, partner, hs, year)]
            row[0] += noisy
            row[2] += noisy
            row[3] += weight

    def import_(
        self, reporter: int, partner: int, hs: str, year: int, fob: float, margin: float, kg: float
    ) -> None:
        country = self.world.countries[reporter]
        if not country.reporter or fob <= 0:
            return
        row = self.values[(reporter, "M", partner, hs, year)]
        noisy = fob * self.rng.lognormal(0.0, 0.04)
        value = noisy if country.fob_imports else noisy * (1.0 + margin)
        row[0] += value
        row[1 if not country.fob_imports else 2] += value
        row[3] += kg * self.rng.lognormal(0.0, 0.08)

    def reported(self, reporter: int, flow: str, partner: int, hs: str, year: int) -> float | None:
        row = self.values.get((reporter, flow, partner, hs, year))
        return round(row[0], 2) if row else None


def build_ledger(
    world: World, flows: Flows, misinvoiced: list[Misinvoice], under: Underworld
) -> Ledger:
    ledger = Ledger(world, rng_for(world.params.seed, "comtrade"))
    factors = {(m.flow, y): m.factor for m in misinvoiced for y in m.years}
    planted = {m.flow for m in misinvoiced}
    for f in range(len(flows)):
        _legit_flow(ledger, flows, f, factors, f in planted)
    for net in under.networks:
        _network(ledger, net)
    return ledger


def _legit_flow(
    ledger: Ledger, flows: Flows, f: int, factors: dict[tuple[int, int], float], planted: bool
) -> None:
    world, rng = ledger.world, ledger.rng
    e, i = int(flows.exporter[f]), int(flows.importer[f])
    hs = world.products[int(flows.product[f])].hs
    via = int(flows.via[f])
    importer_hs, partner = hs, e
    if not planted and rng.random() < 0.02:
        importer_hs = _sibling(hs, rng)
        if importer_hs != hs:
            _note(ledger, "classification", e, i, hs, None, importer_hs=importer_hs)
    if not planted and rng.random() < world.countries[i].confidential_share:
        partner = AREAS_NES
        _note(ledger, "confidential-partner", e, i, hs, None)
    carry = 0.0
    for y, year in enumerate(world.params.years):
        value = float(flows.value[f, y])
        kg = value / float(flows.price[f])
        if via >= 0:
            _reexport(ledger, flows, f, e, i, via, hs, year, value, kg)
            continue
        ledger.export(e, i, hs, year, value, kg)
        declared = value * factors.get((f, year), 1.0) + carry
        carry = 0.0
        if not planted and value > 0 and rng.random() < 0.025 and y + 1 < len(world.params.years):
            carry = declared * float(rng.uniform(0.2, 0.5))
            declared -= carry
            _note(
                ledger,
                "timing",
                e,
                i,
                hs,
                year,
                share_next_year=round(carry / (declared + carry), 3),
            )
        if not planted and value > 0 and rng.random() < 0.0005:
            slip = 10.0 if rng.random() < 0.5 else 0.1
            declared *= slip
            _note(ledger, "decimal-slip", e, i, hs, year, factor=slip)
        ledger.import_(i, partner, importer_hs, year, declared, float(world.cif[e, i]), kg)


def _reexport(
    ledger: Ledger,
    flows: Flows,
    f: int,
    e: int,
    i: int,
    h: int,
    hs: str,
    year: int,
    value: float,
    kg: float,
) -> None:
    """A legitimate re-export: the origin reports the hub, the importer reports the origin."""
    cif = ledger.world.cif
    resale = value * float(flows.markup[f])
    ledger.export(e, h, hs, year, value, kg)
    ledger.import_(h, e, hs, year, value, float(cif[e, h]), kg)
    ledger.export(h, i, hs, year, resale, kg, flow="RX")
    ledger.import_(i, e, hs, year, resale, float(cif[e, h] + cif[h, i]), kg)
    if value > 0:
        _note(ledger, "re-export", e, i, hs, year, via=ledger.world.countries[h].iso3)


def _network(ledger: Ledger, net: Network) -> None:
    """Exports into the hub's free zone that the hub barely records, and smuggled imports
    from the hub that the destination barely records (under the cover code if misdeclared)."""
    world, rng = ledger.world, ledger.rng
    h = net.hubs[0].country
    cif = world.cif
    routes = [(o, d) for o in net.origins for d in net.destinations]
    for year in net.years:
        for k in net.products:
            product = world.products[k]
            cover = world.products[net.cover].hs if net.misdeclares else product.hs
            for o, d in routes:
                value = (
                    net.annual_value
                    / len(net.products)
                    / len(routes)
                    * float(rng.lognormal(0.0, 0.2))
                )
                kg = value / product.price
                ledger.export(o, h, product.hs, year, value, kg)
                ledger.import_(
                    h,
                    o,
                    product.hs,
                    year,
                    value * net.ftz_recorded,
                    float(cif[o, h]),
                    kg * net.ftz_recorded,
                )
                if net.reports_reexports:
                    ledger.export(h, d, product.hs, year, value * 1.2, kg, flow="RX")
                recorded = net.destination_recorded
                ledger.import_(d, h, cover, year, value * recorded, float(cif[h, d]), kg * recorded)
                _flow(ledger, net, o, h, product.hs, year, "unrecorded-transit", value)
                _flow(ledger, net, h, d, cover, year, "smuggled-import", value)


def _flow(
    ledger: Ledger, net: Network, e: int, i: int, hs: str, year: int, kind: str, value: float
) -> None:
    iso = ledger.world.countries
    ledger.network_flows.append(
        {
            "network": net.id,
            "sector": net.sector,
            "exporter": iso[e].iso3,
            "importer": iso[i].iso3,
            "hs_code": hs,
            "year": year,
            "kind": kind,
            "true_value_usd": round(value, 2),
        }
    )


def _note(
    ledger: Ledger, kind: str, e: int, i: int, hs: str, year: int | None, **extra: Any
) -> None:
    iso = ledger.world.countries
    ledger.asymmetries.append(
        {
            "kind": kind,
            "exporter": iso[e].iso3,
            "importer": iso[i].iso3,
            "hs_code": hs,
            "year": year,
            **extra,
        }
    )


def _sibling(hs: str, rng: np.random.Generator) -> str:
    """Another subheading of the same heading (importers often classify differently)."""
    siblings = sorted(
        c
        for c, (level, _, _) in nomenclature().items()
        if level == 6 and c[:4] == hs[:4] and c != hs
    )
    return pick(rng, siblings) if siblings else hs


# -- rows ----------------------------------------------------------------------------------
def comtrade_rows(ledger: Ledger) -> list[list[str]]:
    """Rows in Comtrade+ columns; a quarter of reporter-flow-product groups add a World
    total, as queries for "all partners" return; 3% of rows lack quantities."""
    rng = rng_for(ledger.world.params.seed, "comtrade-rows")
    totals: dict[tuple[int, str, str, int], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for (reporter, flow, _partner, hs, year), v in ledger.values.items():
        totals[(reporter, flow, hs, year)] = [
            a + b for a, b in zip(totals[(reporter, flow, hs, year)], v, strict=True)
        ]
    entries: list[tuple[Key, list[float], bool]] = [
        (k, v, False) for k, v in ledger.values.items() if v[0] > 0.5
    ]
    for (reporter, flow, hs, year), v in sorted(totals.items()):
        if rng.random() < 0.25:
            entries.append(((reporter, flow, WORLD, hs, year), v, True))
    entries.sort(key=lambda e: _sort_key(ledger.world, e[0]))
    return [
        _row(ledger.world, key, v, aggregate, rng.random() < 0.03) for key, v, aggregate in entries
    ]


def _sort_key(world: World, key: Key) -> tuple[int, int, int, int, str]:
    reporter, flow, partner, hs, year = key
    code = int(_SPECIAL[partner][0]) if partner < 0 else int(world.countries[partner].comtrade_code)
    return (year, int(world.countries[reporter].comtrade_code), _FLOW_ORDER[flow], code, hs)


def _row(world: World, key: Key, v: list[float], aggregate: bool, no_qty: bool) -> list[str]:
    reporter, flow, partner, hs, year = key
    rep = world.countries[reporter]
    if partner < 0:
        pcode, piso, pdesc = _SPECIAL[partner]
    else:
        p = world.countries[partner]
        pcode, piso, pdesc = p.comtrade_code, p.comtrade_iso, p.comtrade_name
    qty = ["-1", "N/A", "", ""] if no_qty else ["8", "kg", f"{v[3]:.3f}", f"{v[3]:.3f}"]
    return [
        "C",
        "A",
        str(year),
        "52",
        str(year),
        rep.comtrade_code,
        rep.comtrade_iso,
        rep.comtrade_name,
        flow,
        pcode,
        piso,
        pdesc,
        "H5",
        hs,
        describe(hs) or "",
        *qty,
        f"{v[1]:.3f}",
        f"{v[2]:.3f}",
        f"{v[0]:.3f}",
        "True",
        "True" if aggregate else "False",
    ]
