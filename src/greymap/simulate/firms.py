"""The people and firms of the world, who owns and directs what, and the ships.

Legitimate firms (manufacturers, traders, forwarders, holdings) are spread over countries
by economic size. Most are owned by one to three people; some belong to a holding; some
publish no owners. The illicit actors (fronts, middlemen, shells, their owners and
nominee directors) are added by :mod:`greymap.simulate.networks` through the same calls,
so nothing in a record's shape gives them away.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from greymap.simulate import vocab
from greymap.simulate.names import (
    Address,
    FirmName,
    PersonName,
    firm_variant,
    make_address,
    make_firm_name,
    make_person_name,
)
from greymap.simulate.params import pick, pick_weighted, rng_for
from greymap.simulate.world import World

#: Firm kinds that buy and sell goods (and may appear as shippers or consignees).
TRADING_KINDS = frozenset({"manufacturer", "trader", "front"})
_LEGIT_KINDS = (("trader", 0.55), ("manufacturer", 0.32), ("forwarder", 0.09), ("holding", 0.04))
_EPOCH = dt.date(1970, 1, 1)


@dataclass(slots=True)
class Firm:
    id: str
    country: int
    kind: str
    name: FirmName
    address: Address
    incorporated: str
    registration: str
    size: float
    spellings: tuple[str, ...] = ()
    sector: str | None = None
    #: HS section the firm specialises in (None for generalists).
    section: str | None = None


@dataclass(slots=True)
class Person:
    id: str
    country: int
    name: PersonName
    birth_date: str
    role: str


@dataclass(slots=True)
class Stake:
    """``owner`` holds ``percentage`` of ``asset`` (firm or vessel ids)."""

    owner: str
    asset: str
    percentage: float
    start: str


@dataclass(slots=True)
class Vessel:
    id: str
    imo: str
    name: str
    flag: str
    carrier: str
    owner: str | None = None


@dataclass
class Population:
    world: World
    rng: np.random.Generator
    firms: list[Firm] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    stakes: list[Stake] = field(default_factory=list)
    directors: list[tuple[str, str]] = field(default_factory=list)
    vessels: list[Vessel] = field(default_factory=list)
    by_id: dict[str, Firm] = field(default_factory=dict)
    person_by_id: dict[str, Person] = field(default_factory=dict)

    def add_firm(
        self,
        country: int,
        kind: str,
        activity: str,
        *,
        tower: bool = False,
        since: tuple[int, int] = (1970, 2018),
        sector: str | None = None,
        section: str | None = None,
    ) -> Firm:
        c = self.world.countries[country]
        name = make_firm_name(self.rng, c.culture, c.iso3, activity, c.forms)
        city = str(self.world.countries[country].ports[int(self.rng.integers(0, len(c.ports)))])
        address = make_address(self.rng, _city(city), c.name, tower=tower)
        firm = Firm(
            id=f"F{len(self.firms) + 1:06d}",
            country=country,
            kind=kind,
            name=name,
            address=address,
            incorporated=_date(self.rng, *since),
            registration=_registration(self.rng, name.form),
            size=float(self.rng.pareto(1.2) + 1.0),
            sector=sector,
            section=section,
        )
        firm.spellings = _spellings(name, self.rng)
        self.firms.append(firm)
        self.by_id[firm.id] = firm
        return firm

    def add_person(self, country: int, role: str) -> Person:
        c = self.world.countries[country]
        person = Person(
            id=f"P{len(self.persons) + 1:06d}",
            country=country,
            name=make_person_name(self.rng, c.culture, c.iso3),
            birth_date=_date(self.rng, 1945, 1995),
            role=role,
        )
        self.persons.append(person)
        self.person_by_id[person.id] = person
        return person

    def own(self, owner: str, asset: str, percentage: float, since: str) -> None:
        self.stakes.append(Stake(owner, asset, round(percentage, 2), since))

    def trading_firms(self, country: int) -> list[Firm]:
        return [f for f in self.firms if f.country == country and f.kind in TRADING_KINDS]


def build_population(world: World) -> Population:
    """The legitimate firms, their owners and directors, and the merchant fleet."""
    pop = Population(world, rng_for(world.params.seed, "firms"))
    _legit_firms(pop)
    _legit_ownership(pop)
    _fleet(pop)
    return pop


def _legit_firms(pop: Population) -> None:
    world, rng = pop.world, pop.rng
    mass = np.array([c.mass for c in world.countries]) ** 0.7
    counts = np.maximum(4, np.round(mass / mass.sum() * world.params.n_firms)).astype(int)
    kinds = [k for k, _ in _LEGIT_KINDS]
    weights = [w for _, w in _LEGIT_KINDS]
    for country, n in enumerate(counts):
        picks = [
            *(kinds[pick_weighted(rng, weights)] for _ in range(int(n) - 2)),
            "trader",
            "forwarder",
        ]
        for kind in picks:
            activity, section = _activity(rng, world, str(kind))
            pop.add_firm(country, str(kind), activity, section=section)


def _activity(rng: np.random.Generator, world: World, kind: str) -> tuple[str, str | None]:
    """What the firm's name says it does, and the HS section it specialises in."""
    if kind == "forwarder":
        return pick(rng, vocab.FORWARDER_ACTIVITY), None
    if kind == "holding":
        return ("Holdings" if rng.random() < 0.5 else "Group"), None
    if kind == "trader" and rng.random() < 0.5:
        return pick(rng, vocab.GENERIC_ACTIVITY), None
    section = world.products[int(rng.integers(0, len(world.products)))].section
    return pick(rng, vocab.SECTION_ACTIVITY.get(section, vocab.GENERIC_ACTIVITY)), section


def _legit_ownership(pop: Population) -> None:
    """Most firms: one to three owners; some: a holding's subsidiary; some: unknown."""
    rng = pop.rng
    holdings = [f for f in pop.firms if f.kind == "holding"]
    for firm in list(pop.firms):
        roll = rng.random()
        if firm.kind != "holding" and holdings and roll < 0.18:
            parent = holdings[int(rng.integers(0, len(holdings)))]
            share = 100.0 if rng.random() < 0.7 else float(rng.integers(51, 100))
            pop.own(parent.id, firm.id, share, firm.incorporated)
            if share < 100:
                owner = pop.add_person(firm.country, "owner")
                pop.own(owner.id, firm.id, 100 - share, firm.incorporated)
        elif roll < 0.9:
            owners = [pop.add_person(firm.country, "owner") for _ in range(int(rng.integers(1, 4)))]
            for owner, share in zip(owners, split_shares(rng, len(owners)), strict=True):
                pop.own(owner.id, firm.id, share, firm.incorporated)
            pop.directors.append((owners[0].id, firm.id))
        if rng.random() < 0.5:
            pop.directors.append((pop.add_person(firm.country, "director").id, firm.id))


def split_shares(rng: np.random.Generator, n: int) -> list[float]:
    """``n`` whole-percent shares summing to 100."""
    if n == 1:
        return [100.0]
    raw = rng.dirichlet(np.full(n, 2.0)) * 100
    shares = [float(max(1, round(x))) for x in raw[:-1]]
    return [*shares, 100.0 - sum(shares)]


def _fleet(pop: Population) -> None:
    world, rng = pop.world, pop.rng
    seen: set[str] = set()
    isos = {c.iso3 for c in world.countries}
    flags = [f for f in vocab.OPEN_REGISTRY_FLAGS if f in isos] or [world.countries[0].iso3]
    for i in range(world.params.n_vessels):
        imo = make_imo(rng, seen)
        flag = (
            pick(rng, flags)
            if rng.random() < 0.6
            else world.countries[int(rng.integers(0, len(world.countries)))].iso3
        )
        first, second = vocab.VESSEL_WORDS
        name = f"{pick(rng, first)} {pick(rng, second)}"
        if rng.random() < 0.4:
            name += f" {['I', 'II', 'III', 'IV', 'V'][int(rng.integers(0, 5))]}"
        carrier = str(vocab.CARRIERS[int(rng.integers(0, len(vocab.CARRIERS)))])
        pop.vessels.append(Vessel(f"V{i + 1:05d}", imo, name.upper(), flag, carrier))


def make_imo(rng: np.random.Generator, seen: set[str]) -> str:
    """A new IMO number: seven digits, the last a check digit (weights 7..2)."""
    while True:
        digits = [9, *(int(d) for d in rng.integers(0, 10, size=5))]
        check = sum(d * w for d, w in zip(digits, range(7, 1, -1), strict=True)) % 10
        imo = "".join(str(d) for d in digits) + str(check)
        if imo not in seen:
            seen.add(imo)
            return imo


def _spellings(name: FirmName, rng: np.random.Generator) -> tuple[str, ...]:
    """How trade documents spell a firm: a usual spelling and a few rarer ones."""
    usual = name.latin(0) if rng.random() < 0.5 else firm_variant(name, rng)
    others = [firm_variant(name, rng) for _ in range(int(rng.integers(1, 4)))]
    return tuple(dict.fromkeys([usual, *others]))


def _registration(rng: np.random.Generator, form: str) -> str:
    digits = str(int(rng.integers(10**6, 10**9)))
    if form in ("GmbH", "AG"):
        return f"HRB {digits[:6]}"
    if form in ("Co., Ltd.", "Limited") and rng.random() < 0.5:
        return "91" + digits + str(int(rng.integers(10**6, 10**7)))
    return digits


def _date(rng: np.random.Generator, first_year: int, last_year: int) -> str:
    start = (dt.date(first_year, 1, 1) - _EPOCH).days
    end = (dt.date(last_year, 12, 31) - _EPOCH).days
    return (_EPOCH + dt.timedelta(days=int(rng.integers(start, end + 1)))).isoformat()


def _city(locode: str) -> str:
    from greymap.reference.ports import ports

    name = ports()[locode].name
    return name.split(" (")[0]
