"""FollowTheMoney entities: a company registry, second-hand records, and a sanctions list.

The registry holds every firm once, under its canonical name (in its own script, with a
Latin alias for some), with jurisdiction, incorporation date, registration number and
address, plus the people who own and direct it (``Ownership``, ``Directorship``). Some
firms and people appear again in records from other sources, spelled differently and
with fields missing. The sanctions list names people and firms its own way (another
transliteration, surname first) with a ``Sanction`` each; the registry does not say who
is listed. Vessels carry their IMO numbers; listed vessels carry the ``sanction`` topic.
Entity ids are opaque hashes: they say nothing about which records are the same.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from followthemoney import EntityProxy, model

from greymap.simulate import vocab
from greymap.simulate.firms import Firm, Person, Population, Vessel
from greymap.simulate.names import Address, address_variant, firm_variant, person_variant
from greymap.simulate.networks import Underworld
from greymap.simulate.params import pick, rng_for

_DUPLICATE_RATE = {"shell": 0.6, "middleman": 0.6, "front": 0.6}


@dataclass
class EntityFile:
    entities: list[dict[str, Any]] = field(default_factory=list)
    truth: dict[str, str] = field(default_factory=dict)
    registry: dict[str, str] = field(default_factory=dict)
    listings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Ctx:
    pop: Population
    rng: np.random.Generator
    seed: int
    out: EntityFile
    addresses: dict[str, str] = field(default_factory=dict)

    def eid(self, kind: str, key: str) -> str:
        digest = hashlib.sha1(f"{self.seed}|{kind}|{key}".encode()).hexdigest()
        return f"sim-{digest[:20]}"

    def emit(self, proxy: EntityProxy, true_id: str | None = None) -> str:
        assert proxy.id is not None
        self.out.entities.append(proxy.to_dict())
        if true_id is not None:
            self.out.truth[proxy.id] = true_id
        return proxy.id


def build_entities(pop: Population, under: Underworld) -> EntityFile:
    ctx = _Ctx(pop, rng_for(pop.world.params.seed, "entities"), pop.world.params.seed, EntityFile())
    for firm in pop.firms:
        ctx.out.registry[firm.id] = _company(ctx, firm)
    people = {s.owner for s in pop.stakes} | {d for d, _ in pop.directors}
    for person in pop.persons:
        if person.id in people:
            ctx.out.registry[person.id] = _person(ctx, person)
    _links(ctx)
    _duplicates(ctx)
    _vessels(ctx, under)
    _sanctions(ctx, under)
    return ctx.out


def _iso2(pop: Population, country: int) -> str:
    return pop.world.countries[country].iso2.lower()


def _company(ctx: _Ctx, firm: Firm) -> str:
    proxy = model.make_entity("Company")
    proxy.id = ctx.eid("registry", firm.id)
    proxy.add("name", firm.name.canonical, cleaned=True)
    if firm.name.script != "latin" and ctx.rng.random() < 0.5:
        proxy.add("alias", firm.name.latin(0), cleaned=True)
    proxy.add("jurisdiction", _iso2(ctx.pop, firm.country))
    proxy.add("incorporationDate", firm.incorporated, cleaned=True)
    proxy.add("registrationNumber", firm.registration, cleaned=True)
    proxy.add("legalForm", firm.name.form, cleaned=True)
    proxy.add("address", firm.address.full, cleaned=True)
    proxy.add("addressEntity", _address(ctx, firm.address, firm.country))
    return ctx.emit(proxy, firm.id)


def _address(ctx: _Ctx, address: Address, country: int) -> str:
    if address.full not in ctx.addresses:
        proxy = model.make_entity("Address")
        proxy.id = ctx.eid("address", address.full)
        proxy.add("full", address.full, cleaned=True)
        proxy.add("street", address.street_line, cleaned=True)
        proxy.add("city", address.city, cleaned=True)
        proxy.add("postalCode", address.postcode or None, cleaned=True)
        proxy.add("country", _iso2(ctx.pop, country))
        ctx.addresses[address.full] = ctx.emit(proxy)
    return ctx.addresses[address.full]


def _person(ctx: _Ctx, person: Person) -> str:
    proxy = model.make_entity("Person")
    proxy.id = ctx.eid("registry", person.id)
    proxy.add("name", person.name.canonical, cleaned=True)
    proxy.add("firstName", person.name.first, cleaned=True)
    proxy.add("lastName", person.name.last, cleaned=True)
    if person.name.script != "latin":
        proxy.add("alias", " ".join(person.name.latin(0)), cleaned=True)
    proxy.add("nationality", _iso2(ctx.pop, person.country))
    if ctx.rng.random() < 0.7:
        proxy.add("birthDate", person.birth_date, cleaned=True)
    return ctx.emit(proxy, person.id)


def _links(ctx: _Ctx) -> None:
    registry = ctx.out.registry
    for n, stake in enumerate(ctx.pop.stakes):
        if stake.asset.startswith("V"):
            continue
        proxy = model.make_entity("Ownership")
        proxy.id = ctx.eid("ownership", f"{n}|{stake.owner}|{stake.asset}")
        proxy.add("owner", registry[stake.owner])
        proxy.add("asset", registry[stake.asset])
        proxy.add("percentage", f"{stake.percentage:g}", cleaned=True)
        proxy.add("startDate", stake.start, cleaned=True)
        ctx.emit(proxy)
    for n, (director, firm) in enumerate(ctx.pop.directors):
        proxy = model.make_entity("Directorship")
        proxy.id = ctx.eid("directorship", f"{n}|{director}|{firm}")
        proxy.add("director", registry[director])
        proxy.add("organization", registry[firm])
        proxy.add("role", "Director", cleaned=True)
        ctx.emit(proxy)


def _duplicates(ctx: _Ctx) -> None:
    """Second-hand records (directories, leaks, trade portals) of some firms and people."""
    rng = ctx.rng
    for firm in ctx.pop.firms:
        if rng.random() < _DUPLICATE_RATE.get(firm.kind, 0.3):
            for n in range(1 if rng.random() < 0.85 else 2):
                _company_copy(ctx, firm, n)
    for person in ctx.pop.persons:
        if person.id in ctx.out.registry and rng.random() < 0.15:
            proxy = model.make_entity("Person")
            proxy.id = ctx.eid("copy", person.id)
            proxy.add("name", person_variant(person.name, rng), cleaned=True)
            proxy.add("nationality", _iso2(ctx.pop, person.country))
            if rng.random() < 0.4:
                proxy.add(
                    "birthDate",
                    person.birth_date[:4] if rng.random() < 0.5 else person.birth_date,
                    cleaned=True,
                )
            ctx.emit(proxy, person.id)


def _company_copy(ctx: _Ctx, firm: Firm, n: int) -> None:
    rng = ctx.rng
    proxy = model.make_entity("Company")
    proxy.id = ctx.eid("copy", f"{firm.id}|{n}")
    proxy.add("name", firm_variant(firm.name, rng), cleaned=True)
    proxy.add("country", _iso2(ctx.pop, firm.country))
    if rng.random() < 0.7:
        proxy.add("address", address_variant(firm.address, rng), cleaned=True)
    if rng.random() < 0.5:
        proxy.add(
            "incorporationDate",
            firm.incorporated if rng.random() < 0.7 else firm.incorporated[:4],
            cleaned=True,
        )
    if rng.random() < 0.4:
        proxy.add("registrationNumber", firm.registration.replace(" ", ""), cleaned=True)
    ctx.emit(proxy, firm.id)


def _vessels(ctx: _Ctx, under: Underworld) -> None:
    listed_owners = {p for net in under.networks for p in net.sanctioned_owners}
    network_vessels = {n.vessel: n for n in under.networks if n.vessel}
    for vessel in ctx.pop.vessels:
        if vessel.owner is None and ctx.rng.random() > 0.3:
            continue
        proxy = _vessel(ctx, vessel)
        net = network_vessels.get(vessel.id)
        listed = net is not None and bool(set(net.sanctioned_owners) & listed_owners)
        if listed:
            proxy.add("topics", "sanction")
        vessel_id = ctx.out.registry[vessel.id] = ctx.emit(proxy, vessel.id)
        if vessel.owner is not None:
            own = model.make_entity("Ownership")
            own.id = ctx.eid("ownership", f"vessel|{vessel.id}")
            own.add("owner", ctx.out.registry[vessel.owner])
            own.add("asset", vessel_id)
            own.add("percentage", "100", cleaned=True)
            ctx.emit(own)
        if listed:
            _listing(ctx, vessel.id, vessel_id, "Vessel")


def _vessel(ctx: _Ctx, vessel: Vessel) -> EntityProxy:
    proxy = model.make_entity("Vessel")
    proxy.id = ctx.eid("vessel", vessel.id)
    proxy.add("name", vessel.name, cleaned=True)
    proxy.add("imoNumber", f"IMO{vessel.imo}", cleaned=True)
    iso2 = (
        ctx.pop.world.by_iso3[vessel.flag].iso2.lower()
        if vessel.flag in ctx.pop.world.by_iso3
        else None
    )
    proxy.add("flag", iso2)
    proxy.add("type", "Container ship", cleaned=True)
    return proxy


def _sanctions(ctx: _Ctx, under: Underworld) -> None:
    rng = ctx.rng
    for pid in under.sanctioned_persons:
        person = ctx.pop.person_by_id[pid]
        proxy = model.make_entity("Person")
        proxy.id = ctx.eid("listed", pid)
        proxy.add("name", person_variant(person.name, rng), cleaned=True)
        proxy.add("alias", person_variant(person.name, rng), cleaned=True)
        if person.name.script != "latin":
            proxy.add("alias", person.name.canonical, cleaned=True)
        proxy.add("birthDate", person.birth_date, cleaned=True)
        proxy.add("nationality", _iso2(ctx.pop, person.country))
        proxy.add("topics", "sanction")
        _listing(ctx, pid, ctx.emit(proxy, pid), "Person")
    for fid in under.sanctioned_firms:
        firm = ctx.pop.by_id[fid]
        proxy = model.make_entity("Company")
        proxy.id = ctx.eid("listed", fid)
        proxy.add("name", firm_variant(firm.name, rng), cleaned=True)
        proxy.add("alias", firm.name.canonical, cleaned=True)
        proxy.add("jurisdiction", _iso2(ctx.pop, firm.country))
        if rng.random() < 0.5:
            proxy.add("registrationNumber", firm.registration, cleaned=True)
        proxy.add("topics", "sanction")
        _listing(ctx, fid, ctx.emit(proxy, fid), "Company")


def _listing(ctx: _Ctx, true_id: str, entity_id: str, schema: str) -> None:
    rng = ctx.rng
    code, program = vocab.SANCTION_PROGRAMS[int(rng.integers(0, len(vocab.SANCTION_PROGRAMS)))]
    authority = pick(rng, vocab.SANCTION_AUTHORITIES)
    start = f"{int(rng.integers(2016, 2023))}-{int(rng.integers(1, 13)):02d}-{int(rng.integers(1, 29)):02d}"
    proxy = model.make_entity("Sanction")
    proxy.id = ctx.eid("sanction", true_id)
    proxy.add("entity", entity_id)
    proxy.add("program", f"{code}: {program}", cleaned=True)
    proxy.add("authority", authority, cleaned=True)
    proxy.add("startDate", start, cleaned=True)
    ctx.emit(proxy)
    ctx.out.listings.append(
        {
            "party_id": true_id,
            "schema": schema,
            "list_entity_id": entity_id,
            "sanction_entity_id": proxy.id,
            "program": code,
            "authority": authority,
            "start_date": start,
        }
    )
