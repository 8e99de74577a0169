"""Planted trade misinvoicing: importers who declare less (or more) than the goods are worth.

Under-invoicing evades duties; over-invoicing moves money out of the importing country.
Either way the importer's declaration, and so its trade statistics and its bills of
lading, disagree with the exporter's. Only flows both sides report are chosen (a gap is
otherwise invisible); importers with weak governance are likelier; a scheme runs for
one to four consecutive years.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from greymap.simulate.params import rng_for
from greymap.simulate.trade import Flows
from greymap.simulate.world import World

UNDER_FACTORS = (0.25, 0.65)
OVER_FACTORS = (1.6, 3.2)


@dataclass(slots=True)
class Misinvoice:
    flow: int
    kind: str  # under-invoicing | over-invoicing
    factor: float
    years: tuple[int, ...]


def plant_misinvoicing(world: World, flows: Flows) -> list[Misinvoice]:
    rng = rng_for(world.params.seed, "misinvoicing")
    reporter = np.array([c.reporter for c in world.countries])
    governance = np.array([c.governance for c in world.countries])
    mean_value = flows.value.mean(axis=1)
    eligible = (
        reporter[flows.exporter]
        & reporter[flows.importer]
        & (flows.via < 0)
        & (mean_value > np.median(mean_value) / 3)
        & ((flows.value > 0).sum(axis=1) == flows.value.shape[1])
    )
    candidates = np.flatnonzero(eligible)
    n = round(world.params.misinvoiced_share * len(candidates))
    weights = (1.05 - governance[flows.importer[candidates]]) ** 1.5 * mean_value[candidates] ** 0.2
    keys = np.log(weights) + rng.gumbel(size=len(candidates))
    chosen = np.sort(candidates[np.argsort(-keys, kind="stable")[:n]])
    years = world.params.years
    planted = []
    for f in chosen:
        under = rng.random() < 0.6
        low, high = UNDER_FACTORS if under else OVER_FACTORS
        length = int(rng.integers(1, len(years) + 1))
        start = int(rng.integers(0, len(years) - length + 1))
        planted.append(
            Misinvoice(
                int(f),
                "under-invoicing" if under else "over-invoicing",
                round(float(rng.uniform(low, high)), 3),
                tuple(years[start : start + length]),
            )
        )
    return planted
