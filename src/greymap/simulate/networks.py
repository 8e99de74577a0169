"""Illicit networks: per sector, goods from weakly policed origins routed through chosen
hubs (often free trade zones) to rich markets, run by fronts, middlemen and shells.

Each network has origins (weighted towards weak governance and towards countries that
export the sector's goods legitimately, so illicit goods hide among licit ones), one or two of the world's
illicit hubs (the ones nearest its route are likelier; some hubs serve many sectors),
destinations (weighted towards large, well-governed markets), the firms that move its
goods and the people who own them. Middlemen at a hub are often shared between networks
of different sectors: that is what makes them middlemen. Half of the networks' beneficial
owners are sanctioned; ownership runs owner -> shell -> middleman or front, so the 50%
rule has to follow chains (and sometimes add up two sanctioned owners' stakes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from greymap.simulate import vocab
from greymap.simulate.firms import Firm, Population
from greymap.simulate.hubs import Hub
from greymap.simulate.names import Address, make_address
from greymap.simulate.params import pick, rng_for
from greymap.simulate.trade import Flows
from greymap.simulate.world import World


@dataclass
class Network:
    id: str
    sector: str
    products: list[int]
    cover: int
    origins: list[int]
    hubs: list[Hub]
    destinations: list[int]
    years: list[int]
    annual_value: float
    misdeclares: bool
    ftz_recorded: float
    destination_recorded: float
    reports_reexports: bool
    shippers: list[str] = field(default_factory=list)
    middlemen: list[str] = field(default_factory=list)
    shells: list[str] = field(default_factory=list)
    consignees: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    nominees: list[str] = field(default_factory=list)
    sanctioned_owners: list[str] = field(default_factory=list)
    vessel: str | None = None

    @property
    def transit_countries(self) -> list[int]:
        return sorted({h.country for h in self.hubs})


@dataclass
class Underworld:
    """Everything illicit that is not a single shipment: networks, and the sanctions list."""

    networks: list[Network]
    sanctioned_persons: list[str]
    sanctioned_firms: list[str]
    near_misses: list[dict[str, object]]


def build_networks(world: World, pop: Population, flows: Flows) -> Underworld:
    rng = rng_for(world.params.seed, "networks")
    hub_pull = {h.locode: float(rng.lognormal(0.0, 0.7)) for h in world.illicit_hubs}
    yearly = float(flows.total_by_year.mean())
    n = world.params.networks_per_sector * len(vocab.SECTORS)
    shares = rng.lognormal(0.0, 0.6, n)
    shares *= world.params.network_value_share * yearly / shares.sum()
    agents: dict[int, Address] = {}
    networks = []
    for i, sector in enumerate(
        s for s in vocab.SECTORS for _ in range(world.params.networks_per_sector)
    ):
        exports = _sector_exports(world, flows, sector)
        net = _network(
            world, rng, f"N{i + 1:02d}-{sector}", sector, float(shares[i]), hub_pull, exports
        )
        _staff(world, pop, rng, net, agents)
        networks.append(net)
    under = Underworld(networks, [], [], [])
    _sanction(world, pop, rng, under)
    return under


def _sector_exports(world: World, flows: Flows, sector: str) -> np.ndarray:
    """Each country's legitimate exports of the sector's goods, as a share of the largest."""
    codes = {world.by_hs[c].index for c in vocab.SECTOR_PRODUCTS[sector][0]}
    mask = np.isin(flows.product, list(codes))
    value = np.bincount(
        flows.exporter[mask], weights=flows.value[mask].sum(axis=1), minlength=len(world.countries)
    )
    return np.asarray(value / max(value.max(), 1.0))


def _network(
    world: World,
    rng: np.random.Generator,
    nid: str,
    sector: str,
    value: float,
    hub_pull: dict[str, float],
    exports: np.ndarray,
) -> Network:
    codes, covers = vocab.SECTOR_PRODUCTS[sector]
    products = [world.by_hs[c].index for c in codes]
    chosen = list(
        rng.choice(products, size=min(len(products), int(rng.integers(1, 3))), replace=False)
    )
    hub_countries = {h.country for h in world.illicit_hubs}
    gov = np.array([c.governance for c in world.countries])
    origin_w = (
        (1.0 - gov) ** 2 * np.array([c.mass for c in world.countries]) ** 0.3 * (0.3 + exports)
    )
    origin_w[list(hub_countries)] = 0.0
    origins = _pick(rng, origin_w, int(rng.integers(1, 3)))
    dest_w = np.array([c.mass for c in world.countries]) * gov**2
    dest_w[origins] = 0.0
    dest_w[list(hub_countries)] = 0.0
    destinations = _pick(rng, dest_w, int(rng.integers(1, 4)))
    hubs = _route_hubs(world, rng, origins[0], destinations[0], hub_pull)
    first = int(rng.integers(0, 2)) if rng.random() < 0.3 else 0
    return Network(
        id=nid,
        sector=sector,
        products=[int(p) for p in chosen],
        cover=world.by_hs[pick(rng, covers)].index,
        origins=origins,
        hubs=hubs,
        destinations=destinations,
        years=list(world.params.years[first:]),
        annual_value=value,
        misdeclares=bool(rng.random() < 0.5),
        ftz_recorded=0.0 if rng.random() < 0.5 else float(rng.uniform(0.05, 0.3)),
        destination_recorded=float(rng.uniform(0.05, 0.35)),
        reports_reexports=bool(rng.random() < 0.5),
    )


def _pick(rng: np.random.Generator, weights: np.ndarray, k: int) -> list[int]:
    with np.errstate(divide="ignore"):
        keys = np.log(weights) + rng.gumbel(size=len(weights))
    return [int(i) for i in np.argsort(-keys, kind="stable")[:k]]


def _route_hubs(
    world: World, rng: np.random.Generator, origin: int, destination: int, pull: dict[str, float]
) -> list[Hub]:
    """One hub (sometimes two), likelier when near the route and popular with smugglers."""
    hubs = world.illicit_hubs
    d = world.dist
    detour = np.array(
        [d[origin, h.country] + d[h.country, destination] - d[origin, destination] for h in hubs]
    )
    weights = np.array([pull[h.locode] for h in hubs]) * np.exp(-detour / 6000.0)
    order = _pick(rng, weights, 2 if rng.random() < 0.25 else 1)
    return [hubs[i] for i in order]


# -- the people and firms of a network -----------------------------------------------------
def _staff(
    world: World,
    pop: Population,
    rng: np.random.Generator,
    net: Network,
    agents: dict[int, Address],
) -> None:
    hub_country = net.hubs[0].country
    owner = pop.add_person(pick(rng, [net.origins[0], hub_country]), "beneficial-owner")
    net.owners.append(owner.id)
    nominee = _nominee(pop, hub_country)
    net.nominees.append(nominee)
    for _ in range(int(rng.integers(1, 3))):
        shell = _shell(world, pop, rng, hub_country, agents, net.sector)
        pop.own(
            owner.id,
            shell.id,
            100.0 if rng.random() < 0.6 else float(rng.integers(55, 100)),
            shell.incorporated,
        )
        pop.directors.append((nominee, shell.id))
        net.shells.append(shell.id)
    for hub in net.hubs:
        net.middlemen.extend(_middlemen(pop, rng, hub.country, net))
    net.shippers = [
        _front(pop, rng, c, net).id for c in net.origins for _ in range(int(rng.integers(1, 3)))
    ]
    net.consignees = [_front(pop, rng, c, net).id for c in net.destinations]
    if rng.random() < 0.4:
        vessel = pop.vessels[int(rng.integers(0, len(pop.vessels)))]
        if vessel.owner is None:
            vessel.owner = net.shells[0]
            net.vessel = vessel.id


def _nominee(pop: Population, country: int) -> str:
    """One nominee director per jurisdiction signs for every shell registered there."""
    for person in pop.persons:
        if person.role == "nominee" and person.country == country:
            return person.id
    return pop.add_person(country, "nominee").id


def _shell(
    world: World,
    pop: Population,
    rng: np.random.Generator,
    country: int,
    agents: dict[int, Address],
    sector: str,
) -> Firm:
    if country not in agents:
        c = world.countries[country]
        agents[country] = make_address(rng, _city(world, country), c.name, tower=True)
    activity = pick(rng, vocab.SHELL_ACTIVITY)
    shell = pop.add_firm(country, "shell", activity, since=(2012, 2021), sector=sector)
    shell.address = agents[country]
    return shell


def _city(world: World, country: int) -> str:
    from greymap.reference.ports import ports

    return ports()[world.countries[country].ports[0]].name.split(" (")[0]


def _middlemen(pop: Population, rng: np.random.Generator, country: int, net: Network) -> list[str]:
    """A hub's middlemen: reused across networks (and sectors) half of the time."""
    existing = [f for f in pop.firms if f.kind == "middleman" and f.country == country]
    if existing and rng.random() < 0.6:
        return [existing[int(rng.integers(0, len(existing)))].id]
    firm = pop.add_firm(
        country,
        "middleman",
        pick(rng, vocab.GENERIC_ACTIVITY),
        since=(2005, 2019),
        sector=net.sector,
    )
    pop.own(
        net.shells[0],
        firm.id,
        100.0 if rng.random() < 0.5 else float(rng.integers(51, 100)),
        firm.incorporated,
    )
    return [firm.id]


def _front(pop: Population, rng: np.random.Generator, country: int, net: Network) -> Firm:
    """A trading firm that looks ordinary (and does some ordinary trade)."""
    section = pop.world.products[net.products[0]].section
    activity = pick(rng, vocab.SECTION_ACTIVITY.get(section, vocab.GENERIC_ACTIVITY))
    firm = pop.add_firm(
        country, "front", activity, since=(1995, 2019), sector=net.sector, section=section
    )
    if rng.random() < 0.6:
        pop.own(
            net.shells[int(rng.integers(0, len(net.shells)))],
            firm.id,
            float(rng.integers(50, 101)),
            firm.incorporated,
        )
    else:
        straw = pop.add_person(country, "owner")
        pop.own(straw.id, firm.id, 100.0, firm.incorporated)
    return firm


# -- sanctions -----------------------------------------------------------------------------
def _sanction(world: World, pop: Population, rng: np.random.Generator, under: Underworld) -> None:
    """Half the networks' owners are listed; some owners split a shell below 50% each but
    above it together; a few unrelated people and holdings are listed too; and a few
    listed people hold 49% of a firm (a near miss the 50% rule must not block)."""
    for net in under.networks:
        if rng.random() < 0.5:
            under.sanctioned_persons.append(net.owners[0])
            net.sanctioned_owners.append(net.owners[0])
        elif rng.random() < 0.3:
            _joint_owners(pop, rng, net, under)
    for _ in range(max(3, int(12 * world.params.scale**0.5))):
        country = int(rng.integers(0, len(world.countries)))
        under.sanctioned_persons.append(pop.add_person(country, "listed").id)
    owned = {s.owner for s in pop.stakes}
    holdings = [f.id for f in pop.firms if f.kind == "holding" and f.id in owned]
    for fid in rng.choice(holdings, size=min(len(holdings), 2), replace=False) if holdings else []:
        under.sanctioned_firms.append(str(fid))
    _near_misses(pop, rng, under)


def _joint_owners(
    pop: Population, rng: np.random.Generator, net: Network, under: Underworld
) -> None:
    """Two listed people with 30% and 25% of a new shell that owns a middleman: 55% together."""
    hub = net.hubs[0].country
    a, b = pop.add_person(hub, "listed"), pop.add_person(hub, "listed")
    shell = pop.add_firm(hub, "shell", "Investments", since=(2012, 2021), sector=net.sector)
    pop.own(a.id, shell.id, 30.0, shell.incorporated)
    pop.own(b.id, shell.id, 25.0, shell.incorporated)
    pop.own(net.owners[0], shell.id, 45.0, shell.incorporated)
    pop.directors.append((net.nominees[0], shell.id))
    net.shells.append(shell.id)
    _take_over(pop, shell.id, net.middlemen[0], 60.0)
    under.sanctioned_persons.extend([a.id, b.id])
    net.sanctioned_owners.extend([a.id, b.id])


def _take_over(pop: Population, owner: str, asset: str, percentage: float) -> None:
    """``owner`` acquires ``percentage`` of ``asset``; the other holders are scaled down."""
    rest = 100.0 - percentage
    others = [s for s in pop.stakes if s.asset == asset]
    total = sum(s.percentage for s in others) or 1.0
    for s in others:
        s.percentage = round(s.percentage * rest / total, 2)
    pop.own(owner, asset, percentage, "2018-01-01")


def _near_misses(pop: Population, rng: np.random.Generator, under: Underworld) -> None:
    listed = set(under.sanctioned_firms)
    held = {s.asset for s in pop.stakes if s.owner in listed}
    traders = [f for f in pop.firms if f.kind in ("trader", "manufacturer") and f.id not in held]
    for _ in range(2):
        firm = traders[int(rng.integers(0, len(traders)))]
        person = pop.add_person(firm.country, "listed")
        _take_over(pop, person.id, firm.id, 49.0)
        under.sanctioned_persons.append(person.id)
        under.near_misses.append({"firm_id": firm.id, "owner_id": person.id, "percentage": 49.0})
