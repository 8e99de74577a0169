"""The simulation's parameters, derived from ``--seed`` and ``--scale``, and its random streams.

Every part of the world draws from its own named random stream (``rng_for(seed, "trade")``),
seeded from the seed and the stream's name. Adding draws to one part therefore never shifts
the numbers another part sees, and the same seed gives the same files byte for byte.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

import numpy as np

from greymap.errors import InputError

T = TypeVar("T")

#: The years every world covers.
YEARS = (2019, 2020, 2021, 2022)

#: Largest scale accepted: scale 10 takes about a minute; beyond 50 memory becomes the limit.
MAX_SCALE = 50.0


@dataclass(frozen=True, slots=True)
class Params:
    """Sizes and rates of one world. ``scale`` 1 is a world for meaningful evaluation."""

    seed: int
    scale: float
    years: tuple[int, ...]
    n_countries: int
    n_products: int
    flows_per_year: int
    n_firms: int
    n_shipments: int
    n_vessels: int
    networks_per_sector: int
    n_illicit_hubs: int
    n_clean_hubs: int
    #: Share of the flows both sides report that carry planted misinvoicing.
    misinvoiced_share: float = 0.02
    #: Target value of illicit network trade as a share of all trade value.
    network_value_share: float = 0.02
    #: Share of shipments that belong to illicit networks.
    illicit_shipment_share: float = 0.02
    #: Share of countries that publish no trade statistics (only mirror data exist).
    non_reporter_share: float = 0.12
    #: Share of reporters that state imports FOB rather than CIF.
    fob_import_share: float = 0.05
    #: Range of the share of illicit shipments that a seizure observes.
    seizure_rate_low: float = 0.06
    seizure_rate_high: float = 0.14
    #: Share of incidents that are noise (not one of the planted networks' shipments).
    noise_incident_share: float = 0.3

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["years"] = list(self.years)
        return out


def params_for(seed: int, scale: float) -> Params:
    """The parameters of a world of ``scale`` (1 = evaluation size, 0.1 = quick tests).

    >>> p = params_for(7, 1.0)
    >>> (p.flows_per_year, p.n_shipments, p.n_firms)
    (5000, 15000, 2500)
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InputError(f"seed {seed!r} is not valid; expected a non-negative integer")
    if not math.isfinite(scale) or not 0.01 <= scale <= MAX_SCALE:
        raise InputError(
            f"scale {scale!r} is out of range; expected a number from 0.01 to {MAX_SCALE:g}"
        )
    root = math.sqrt(scale)
    return Params(
        seed=seed,
        scale=scale,
        years=YEARS,
        n_countries=int(min(170, 45 + 45 * root)),
        n_products=int(max(60, 150 * scale**0.4)),
        flows_per_year=int(max(600, 5000 * scale)),
        n_firms=int(max(300, 2500 * scale)),
        n_shipments=int(max(2500, 15000 * scale)),
        n_vessels=int(max(60, 250 * scale**0.7)),
        networks_per_sector=1 + int(scale >= 1) + int(scale >= 5),
        n_illicit_hubs=4 + int(scale >= 1) + int(scale >= 5),
        n_clean_hubs=5,
    )


def rng_for(seed: int, stream: str) -> np.random.Generator:
    """An independent generator for one named part of the world."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode("utf-8"))])


def pick_weighted(rng: np.random.Generator, weights: Sequence[float]) -> int:
    """Index drawn with probability proportional to ``weights`` (fast for short lists)."""
    target = rng.random() * sum(weights)
    running = 0.0
    for i, w in enumerate(weights):
        running += w
        if target < running:
            return i
    return len(weights) - 1


def pick(rng: np.random.Generator, items: Sequence[T]) -> T:
    """One item drawn uniformly (``rng.choice`` without the array round trip)."""
    return items[int(rng.integers(0, len(items)))]


def top_k(rng: np.random.Generator, items: list[str], weights: np.ndarray, k: int) -> list[str]:
    """``k`` items drawn without replacement, with probability growing with ``weights``
    (Gumbel top-k), deterministic for a generator."""
    keys = np.log(weights) + rng.gumbel(size=len(items))
    return [items[i] for i in np.argsort(-keys, kind="stable")[:k]]
