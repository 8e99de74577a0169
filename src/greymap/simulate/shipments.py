"""Bill-of-lading records: legitimate consignments, misinvoiced ones, and the networks'.

Legitimate consignments are drawn from the trade flows (bigger flows ship more often),
between firms with a standing relationship, priced around the flow's price with
log-normal dispersion (+-25%) and a few legitimate outliers (samples, discounts).
Consignments of a misinvoiced flow carry the same factor as its statistics. Network
consignments call at the network's hub: on one bill of lading (transshipment) or on two,
re-consigned to a middleman in the free zone, sometimes with a new origin declared. Half
of them are under-declared, and some are declared under a cover HS code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from greymap.simulate import routing
from greymap.simulate.firms import TRADING_KINDS, Firm, Population, Vessel
from greymap.simulate.misinvoicing import Misinvoice
from greymap.simulate.networks import Network, Underworld
from greymap.simulate.params import rng_for
from greymap.simulate.trade import Flows
from greymap.simulate.world import World

MEDIAN_CONSIGNMENT_USD = 120_000.0


@dataclass(slots=True)
class Shipment:
    key: int
    date: dt.date
    shipper: str
    consignee: str
    notify: str | None
    origin: int
    lading: str
    transshipment: list[str]
    unlading: str
    destination: int
    hs_true: str
    hs_declared: str
    value_true: float
    value_declared: float
    kg: float
    vessel: Vessel | None
    kind: str  # legit | misinvoiced | network
    network: str | None = None
    tag: str | None = None  # under-invoicing, over-invoicing, legit-outlier, two-leg ...
    consignment: int | None = None
    id: str = ""


@dataclass
class ShipmentBook:
    shipments: list[Shipment] = field(default_factory=list)
    relations: dict[tuple[int, int], tuple[list[str], list[str]]] = field(default_factory=dict)

    def add(self, shipment: Shipment) -> Shipment:
        self.shipments.append(shipment)
        return shipment


@dataclass
class _Ctx:
    world: World
    pop: Population
    flows: Flows
    rng: np.random.Generator
    book: ShipmentBook
    clean: frozenset[str] = frozenset()
    traders: dict[int, list[Firm]] = field(default_factory=dict)
    trader_logsize: dict[int, np.ndarray] = field(default_factory=dict)
    trader_section: dict[int, np.ndarray] = field(default_factory=dict)
    forwarders: dict[int, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.clean = frozenset(h.locode for h in self.world.clean_hubs)
        for firm in self.pop.firms:
            if firm.kind in TRADING_KINDS:
                self.traders.setdefault(firm.country, []).append(firm)
            elif firm.kind == "forwarder":
                self.forwarders.setdefault(firm.country, []).append(firm.id)
        for country, firms in self.traders.items():
            self.trader_logsize[country] = np.log([f.size for f in firms])
            self.trader_section[country] = np.array([f.section or "" for f in firms])


def build_shipments(
    world: World, pop: Population, flows: Flows, misinvoiced: list[Misinvoice], under: Underworld
) -> ShipmentBook:
    ctx = _Ctx(world, pop, flows, rng_for(world.params.seed, "shipments"), ShipmentBook())
    n_network = int(world.params.illicit_shipment_share * world.params.n_shipments)
    n_misinvoiced = _misinvoiced(ctx, misinvoiced)
    _networks(ctx, under.networks, n_network)
    _legit(ctx, max(0, world.params.n_shipments - n_network - n_misinvoiced))
    _assign_ids(ctx)
    return ctx.book


# -- legitimate ----------------------------------------------------------------------------
def _legit(ctx: _Ctx, n: int) -> None:
    weights = ctx.flows.value.ravel() ** 0.7
    picks = ctx.rng.choice(weights.size, size=n, p=weights / weights.sum())
    for flat in np.sort(picks):
        f, y = divmod(int(flat), ctx.flows.value.shape[1])
        _flow_shipment(ctx, f, ctx.world.params.years[y], "legit", 1.0)


def _flow_shipment(
    ctx: _Ctx, f: int, year: int, kind: str, factor: float, tag: str | None = None
) -> None:
    world, flows, rng = ctx.world, ctx.flows, ctx.rng
    e, i = int(flows.exporter[f]), int(flows.importer[f])
    via = int(flows.via[f])
    hs = world.products[int(flows.product[f])].hs
    price = float(flows.price[f])
    value = MEDIAN_CONSIGNMENT_USD * float(rng.lognormal(0.0, 0.8))
    kg = value / price
    declared = value * float(rng.lognormal(0.0, 0.25)) * factor
    if kind == "legit" and rng.random() < 0.015:
        outlier = (
            float(rng.uniform(0.3, 0.5)) if rng.random() < 0.5 else float(rng.uniform(2.0, 3.5))
        )
        declared, tag = declared * outlier, "legit-outlier"
    shipper_country, consignee_country = (
        (e, i) if via < 0 else ((e, via) if rng.random() < 0.5 else (via, i))
    )
    shippers, consignees = _relation(ctx, f, shipper_country, consignee_country)
    avoid = ctx.clean if kind != "legit" else frozenset()
    shipper = shippers[int(rng.integers(0, len(shippers)))]
    consignee = consignees[int(rng.integers(0, len(consignees)))]
    ctx.book.add(
        Shipment(
            key=len(ctx.book.shipments),
            date=_day(rng, year),
            shipper=shipper,
            consignee=consignee,
            notify=_notify(ctx, consignee, consignee_country),
            origin=e,
            lading=routing.lading_port(rng, world.countries[shipper_country], avoid),
            transshipment=[
                h.locode
                for h in routing.legit_hubs(rng, world, shipper_country, consignee_country, avoid)
            ],
            unlading=routing.lading_port(rng, world.countries[consignee_country], avoid),
            destination=consignee_country,
            hs_true=hs,
            hs_declared=hs,
            value_true=value,
            value_declared=declared,
            kg=kg,
            vessel=_vessel(ctx),
            kind=kind,
            tag=tag,
        )
    )


def _relation(ctx: _Ctx, f: int, seller: int, buyer: int) -> tuple[list[str], list[str]]:
    """Standing trade relationships: each flow leg has one or two sellers and buyers."""
    key = (f, seller * 1000 + buyer)
    if key not in ctx.book.relations:
        section = ctx.world.products[int(ctx.flows.product[f])].section
        ctx.book.relations[key] = (_firms(ctx, seller, section), _firms(ctx, buyer, section))
    return ctx.book.relations[key]


def _firms(ctx: _Ctx, country: int, section: str) -> list[str]:
    """One or two trading firms of the country: bigger ones likelier, and specialists in
    the goods' HS section ten times likelier than others (Gumbel top-k)."""
    firms = ctx.traders[country]
    fit = np.where(ctx.trader_section[country] == section, 2.3, 0.0)
    keys = ctx.trader_logsize[country] + fit + ctx.rng.gumbel(size=len(firms))
    n = min(len(firms), int(ctx.rng.integers(1, 3)))
    return [firms[int(p)].id for p in np.argsort(-keys)[:n]]


def _notify(ctx: _Ctx, consignee: str, country: int) -> str | None:
    roll = ctx.rng.random()
    if roll < 0.5:
        return None
    if roll < 0.75:
        return consignee
    forwarders = ctx.forwarders.get(country, [])
    return forwarders[int(ctx.rng.integers(0, len(forwarders)))] if forwarders else None


def _vessel(ctx: _Ctx, preferred: str | None = None) -> Vessel | None:
    if preferred is not None and ctx.rng.random() < 0.6:
        return next(v for v in ctx.pop.vessels if v.id == preferred)
    if ctx.rng.random() < 0.05:
        return None
    return ctx.pop.vessels[int(ctx.rng.integers(0, len(ctx.pop.vessels)))]


def _day(rng: np.random.Generator, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))


# -- misinvoiced ---------------------------------------------------------------------------
def _misinvoiced(ctx: _Ctx, planted: list[Misinvoice]) -> int:
    """One to three consignments per misinvoiced flow-year, declared at the planted factor."""
    before = len(ctx.book.shipments)
    for m in planted:
        for year in m.years:
            for _ in range(int(ctx.rng.integers(1, 4))):
                _flow_shipment(ctx, m.flow, year, "misinvoiced", m.factor, tag=m.kind)
    return len(ctx.book.shipments) - before


# -- networks ------------------------------------------------------------------------------
def _networks(ctx: _Ctx, networks: list[Network], total: int) -> None:
    values = np.array([n.annual_value for n in networks]) ** 0.5
    counts = np.maximum(5, np.round(total * values / values.sum())).astype(int)
    for net, count in zip(networks, counts, strict=True):
        for _ in range(int(count)):
            _network_consignment(ctx, net)


def _network_consignment(ctx: _Ctx, net: Network) -> None:
    world, rng, pop = ctx.world, ctx.rng, ctx.pop
    o = net.origins[int(rng.integers(0, len(net.origins)))]
    d = net.destinations[int(rng.integers(0, len(net.destinations)))]
    product = world.products[net.products[int(rng.integers(0, len(net.products)))]]
    year = net.years[int(rng.integers(0, len(net.years)))]
    value = MEDIAN_CONSIGNMENT_USD * float(rng.lognormal(0.0, 0.7))
    cover = rng.random() < (0.5 if net.misdeclares else 0.15)
    under = rng.random() < 0.5
    base = dict(
        hs_true=product.hs,
        hs_declared=world.products[net.cover].hs if cover else product.hs,
        value_true=value,
        kg=value / product.price / float(rng.lognormal(0.0, 0.2)),
        value_declared=value
        * (float(rng.uniform(0.3, 0.7)) if under else float(rng.lognormal(0.0, 0.2))),
        kind="network",
        network=net.id,
        tag="under-invoicing" if under else None,
    )
    shipper = _pick(rng, [s for s in net.shippers if pop.by_id[s].country == o])
    consignee = _pick(rng, [c for c in net.consignees if pop.by_id[c].country == d])
    vessel = _vessel(ctx, net.vessel)
    date = _day(rng, year)
    hubs = [h.locode for h in net.hubs]
    if rng.random() < 0.7:
        notify = _pick(rng, net.middlemen + net.shells) if rng.random() < 0.7 else None
        extra = (
            [h.locode for h in routing.legit_hubs(rng, world, o, d, ctx.clean)]
            if rng.random() < 0.2
            else []
        )
        route = list(dict.fromkeys(hubs + [x for x in extra if x not in hubs]))
        _add(ctx, base, date, shipper, consignee, notify, o, o, d, route, vessel)
        return
    _two_legs(ctx, net, base, date, shipper, consignee, o, d, vessel)


def _two_legs(
    ctx: _Ctx,
    net: Network,
    base: dict[str, object],
    date: dt.date,
    shipper: str,
    consignee: str,
    o: int,
    d: int,
    vessel: Vessel | None,
) -> None:
    """Re-consigned in the free zone: front -> middleman, then middleman -> buyer, often
    with the hub country declared as origin on the second bill."""
    rng = ctx.rng
    hub = ctx.world.countries[net.hubs[0].country]
    middleman = _pick(
        rng, [m for m in net.middlemen if ctx.pop.by_id[m].country == hub.index] or net.middlemen
    )
    consignment = len(ctx.book.shipments)
    first = _add(
        ctx,
        base,
        date,
        shipper,
        middleman,
        None,
        o,
        o,
        hub.index,
        [],
        vessel,
        arrive=net.hubs[0].locode,
    )
    first.tag, first.consignment = (first.tag or "") + "|leg-1", consignment
    later = date + dt.timedelta(days=int(rng.integers(7, 45)))
    if later.year != date.year:
        later = date
    declared_origin = hub.index if rng.random() < 0.6 else o
    onward = [h.locode for h in net.hubs[1:]]
    second = _add(
        ctx,
        base,
        later,
        middleman,
        consignee,
        _pick(rng, net.shells) if rng.random() < 0.3 else None,
        declared_origin,
        hub.index,
        d,
        onward,
        _vessel(ctx, net.vessel),
        depart=net.hubs[0].locode,
    )
    laundered = "|origin-laundered" if declared_origin != o else ""
    second.tag, second.consignment = (second.tag or "") + "|leg-2" + laundered, consignment


def _add(
    ctx: _Ctx,
    base: dict[str, object],
    date: dt.date,
    shipper: str,
    consignee: str,
    notify: str | None,
    origin: int,
    start: int,
    end: int,
    route: list[str],
    vessel: Vessel | None,
    arrive: str | None = None,
    depart: str | None = None,
) -> Shipment:
    rng, world = ctx.rng, ctx.world
    shipment = Shipment(
        key=len(ctx.book.shipments),
        date=date,
        shipper=shipper,
        consignee=consignee,
        notify=notify,
        origin=origin,
        lading=depart or routing.lading_port(rng, world.countries[start], ctx.clean),
        transshipment=route,
        unlading=arrive or routing.lading_port(rng, world.countries[end], ctx.clean),
        destination=end,
        vessel=vessel,
        **base,  # type: ignore[arg-type]
    )
    return ctx.book.add(shipment)


def _pick(rng: np.random.Generator, ids: list[str]) -> str:
    return ids[int(rng.integers(0, len(ids)))]


# -- ids -----------------------------------------------------------------------------------
def _assign_ids(ctx: _Ctx) -> None:
    """Bill-of-lading numbers: carrier prefix and eight digits, in no telling order; the
    list is sorted by date with random tie-breaks so position reveals nothing."""
    rng = ctx.rng
    book = ctx.book
    tiebreak = rng.random(len(book.shipments))
    book.shipments.sort(key=lambda s: (s.date, float(tiebreak[s.key])))
    seen: set[str] = set()
    for s in book.shipments:
        prefix = "".join(
            w[0] for w in (s.vessel.carrier if s.vessel else "Non Vessel Operating").split()[:3]
        ).upper()
        while True:
            sid = f"{prefix:X<3}U{int(rng.integers(10**7, 10**8))}"
            if sid not in seen:
                seen.add(sid)
                s.id = sid
                break


def party_firms(pop: Population, shipment: Shipment) -> list[Firm]:
    return [pop.by_id[x] for x in (shipment.shipper, shipment.consignee, shipment.notify) if x]
