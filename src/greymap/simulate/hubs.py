"""Transshipment hubs: the candidates, and which ones a world makes illicit or clean.

Each world picks its illicit hubs from free-zone and transshipment ports, with weight
growing with the legitimate transshipment a port attracts (smugglers hide in volume), and
its clean hubs from the world's busiest container ports. The pools are fixed; the picks
vary with the seed, so methods cannot memorise them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from greymap.reference.ports import ports
from greymap.simulate.params import Params, top_k

if TYPE_CHECKING:
    from greymap.simulate.world import Country

# fmt: off
#: Free-zone and transshipment ports from which each world picks its illicit hubs.
ILLICIT_HUB_POOL = (
    "AEJEA", "PAONX", "MYPKG", "HKHKG", "LKCMB", "DJJIB", "TRMER", "GRPIR", "MAPTM",
    "OMSLL", "IDBTM", "EGPSD", "TGLFW", "BJCOO", "CYLMS", "MTMAR", "LBBEY",
)
#: The world's busiest container hubs; each world picks the clean ones among them.
CLEAN_HUB_POOL = (
    "NLRTM", "SGSIN", "CNSHA", "BEANR", "DEHAM", "KRPUS", "CNNGB", "USLAX", "ESALG",
    "GBFXT", "FRLEH",
)
# fmt: on


@dataclass(slots=True)
class Hub:
    locode: str
    country: int
    role: str  # illicit | clean | other
    weight: float
    ftz_zone: str | None


def choose_hubs(
    params: Params, countries: list[Country], dist: np.ndarray, rng: np.random.Generator
) -> list[Hub]:
    """Illicit hubs are drawn from the free-zone pool with weight growing with the legitimate
    transshipment a port attracts (smugglers hide in volume); clean hubs from the giants."""
    by_iso3 = {c.iso3: c for c in countries}
    pull = np.array(
        [
            transit_pull(countries, dist, by_iso3[str(ports()[c].country)].index)
            for c in ILLICIT_HUB_POOL
        ]
    )
    illicit = set(
        top_k(rng, list(ILLICIT_HUB_POOL), np.sqrt(pull / pull.max()), params.n_illicit_hubs)
    )
    clean = set(top_k(rng, list(CLEAN_HUB_POOL), np.ones(len(CLEAN_HUB_POOL)), params.n_clean_hubs))
    hubs = []
    for code in (*ILLICIT_HUB_POOL, *CLEAN_HUB_POOL):
        country = by_iso3[str(ports()[code].country)]
        role = "illicit" if code in illicit else "clean" if code in clean else "other"
        weight = 5.0 if role == "clean" else 4.0 if code in ILLICIT_HUB_POOL else 2.5
        hubs.append(Hub(code, country.index, role, weight, _zone_for(code)))
    return hubs


def transit_pull(countries: list[Country], dist: np.ndarray, hub: int) -> float:
    """How much trade between other countries a hub in country ``hub`` lies on the way of:
    sum of mass products, discounted by the detour through the hub."""
    mass = np.array([c.mass for c in countries])
    detour = dist[:, hub][:, None] + dist[hub, :][None, :] - dist
    weight = np.outer(mass, mass) * np.exp(-detour / 1500.0)
    weight[hub, :] = 0.0
    weight[:, hub] = 0.0
    np.fill_diagonal(weight, 0.0)
    return float(weight.sum())


def _zone_for(locode: str) -> str | None:
    """The free zone a hub port sits in (``None`` for a port outside any listed zone)."""
    from greymap.reference.free_trade_zones import zones_for_port

    zones = zones_for_port(locode)
    return zones[0].name if zones else None
