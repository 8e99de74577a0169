"""Sea routes and the way shipment vendors write places and codes.

A legitimate consignment is transshipped with a probability growing with distance
(20-65%), at the hub that adds the least detour, weighted by the hub's size (the
clean giants pull most traffic, free-zone ports next); one in four transshipped cargoes
calls at two hubs. Illicit consignments call at their network's hub whatever the detour.
"""

from __future__ import annotations

import numpy as np

from greymap.simulate.hubs import Hub
from greymap.simulate.params import pick_weighted
from greymap.simulate.world import Country, World

_PORT_WEIGHTS = (0.65, 0.22, 0.13)


def lading_port(
    rng: np.random.Generator, country: Country, avoid: frozenset[str] = frozenset()
) -> str:
    """A port of the country: the main one usually, another one sometimes (never one in
    ``avoid`` when the country has another)."""
    options = [p for p in country.ports if p not in avoid] or list(country.ports)
    return options[pick_weighted(rng, _PORT_WEIGHTS[: len(options)])]


def legit_hubs(
    rng: np.random.Generator,
    world: World,
    origin: int,
    destination: int,
    avoid: frozenset[str] = frozenset(),
) -> list[Hub]:
    distance = float(world.dist[origin, destination])
    if rng.random() > min(0.65, 0.20 + distance / 20000.0):
        return []
    candidates = [
        h for h in world.hubs if h.country not in (origin, destination) and h.locode not in avoid
    ]
    d = world.dist
    detour = np.array(
        [d[origin, h.country] + d[h.country, destination] - distance for h in candidates]
    )
    weights = np.array([h.weight for h in candidates]) * np.exp(-detour / 1500.0)
    n = 2 if rng.random() < 0.25 else 1
    keys = np.log(weights) + rng.gumbel(size=len(candidates))
    chosen = [candidates[int(i)] for i in np.argsort(-keys)[:n]]
    return sorted(chosen, key=lambda h: float(d[origin, h.country]))


def render_country(rng: np.random.Generator, country: Country) -> str:
    """Vendors mix ISO2 codes, ISO3 codes and names, in any case."""
    roll = rng.random()
    if roll < 0.5:
        return country.iso2
    if roll < 0.6:
        return country.iso3
    return country.name.upper() if rng.random() < 0.4 else country.name


def render_hs(rng: np.random.Generator, hs: str) -> str:
    """HS codes as vendors write them: plain, dotted, truncated, or with a lost zero."""
    roll = rng.random()
    if roll < 0.7:
        return hs
    if roll < 0.85:
        return f"{hs[:4]}.{hs[4:]}"
    if roll < 0.93:
        return hs[:4]
    return hs.lstrip("0") or hs


def render_port(rng: np.random.Generator, locode: str) -> str:
    return f"{locode[:2]} {locode[2:]}" if rng.random() < 0.1 else locode
