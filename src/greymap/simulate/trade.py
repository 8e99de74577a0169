"""Legitimate trade: who sells what to whom, for how much, year by year.

A gravity model picks the flows: for each product, exporter-importer pairs are drawn
(without replacement) with weight ``mass_e^0.9 * mass_i^0.8 / distance^0.9`` times the
exporter's specialisation in the product and the importer's demand for it (both
log-normal). A flow's value grows with the same weight, with log-normal noise, then
follows a random walk over the years (with a shared dip in 2020); a flow may pause for a
year. Each flow has its own price per kg around the product's price (quality, contract).
A few percent of flows travel through a trading hub and are re-exported from there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from greymap.simulate.params import rng_for
from greymap.simulate.world import World

#: World-wide yearly factor on every flow (2020 saw a trade dip).
YEAR_EFFECT = {2019: 1.0, 2020: 0.92, 2021: 1.08, 2022: 1.13}
#: Median value (USD a year) of a flow.
MEDIAN_FLOW_USD = 1.5e6


@dataclass
class Flows:
    """One row per (exporter, importer, product); ``value[:, y]`` is FOB USD in year y."""

    exporter: np.ndarray
    importer: np.ndarray
    product: np.ndarray
    value: np.ndarray
    price: np.ndarray
    via: np.ndarray
    markup: np.ndarray

    def __len__(self) -> int:
        return len(self.exporter)

    @property
    def total_by_year(self) -> np.ndarray:
        return np.asarray(self.value.sum(axis=0))


def legit_flows(world: World) -> Flows:
    rng = rng_for(world.params.seed, "trade")
    n_c, n_p = len(world.countries), len(world.products)
    mass = np.array([c.mass for c in world.countries])
    pair = mass[:, None] ** 0.9 * mass[None, :] ** 0.8 / (world.dist + 300.0) ** 0.9
    np.fill_diagonal(pair, 0.0)
    popularity = np.array([p.popularity for p in world.products])
    per_product = np.maximum(
        3, np.round(world.params.flows_per_year * popularity / popularity.sum())
    )
    spec = rng.lognormal(0.0, 1.5, size=(n_c, n_p))
    demand = rng.lognormal(0.0, 0.7, size=(n_c, n_p))
    parts = [
        _product_flows(rng, pair, spec[:, k], demand[:, k], k, int(per_product[k]), popularity[k])
        for k in range(n_p)
    ]
    exporter = np.concatenate([p[0] for p in parts])
    importer = np.concatenate([p[1] for p in parts])
    product = np.concatenate([p[2] for p in parts])
    base = np.concatenate([p[3] for p in parts])
    value = _yearly(rng, base, world.params.years)
    prices = np.array([world.products[k].price for k in product]) * rng.lognormal(
        0.0, 0.3, len(product)
    )
    via, markup = _reexports(rng, world, exporter, importer)
    return Flows(exporter, importer, product, value, prices, via, markup)


def _product_flows(
    rng: np.random.Generator,
    pair: np.ndarray,
    spec: np.ndarray,
    demand: np.ndarray,
    k: int,
    n: int,
    popularity: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    weight = pair * spec[:, None] * demand[None, :]
    flat = weight.ravel()
    with np.errstate(divide="ignore"):
        keys = np.log(flat) + rng.gumbel(size=flat.size)
    n = min(n, int((flat > 0).sum()))
    chosen = np.sort(np.argpartition(-keys, n - 1)[:n]) if n else np.array([], dtype=int)
    e, i = np.divmod(chosen, pair.shape[0])
    w = flat[chosen]
    value = (
        MEDIAN_FLOW_USD * popularity**0.3 * (w / np.median(w)) ** 0.45 * rng.lognormal(0.0, 0.7, n)
    )
    return e, i, np.full(n, k), value


def _yearly(rng: np.random.Generator, base: np.ndarray, years: tuple[int, ...]) -> np.ndarray:
    steps = rng.normal(0.03, 0.12, size=(len(base), len(years)))
    steps[:, 0] = 0.0
    value = base[:, None] * np.exp(np.cumsum(steps, axis=1))
    value *= np.array([YEAR_EFFECT.get(y, 1.0) for y in years])[None, :]
    paused = rng.random(value.shape) < 0.04
    return np.where(paused, 0.0, np.round(value, 2))


def _reexports(
    rng: np.random.Generator, world: World, exporter: np.ndarray, importer: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """About 6% of flows pass through a hub country that re-exports them (legitimately):
    the hub nearest to the direct route, among those that are neither end."""
    hub_countries = np.array(sorted({h.country for h in world.hubs}))
    via = np.full(len(exporter), -1)
    chosen = np.flatnonzero(rng.random(len(exporter)) < 0.06)
    d = world.dist
    for f in chosen:
        e, i = exporter[f], importer[f]
        candidates = hub_countries[(hub_countries != e) & (hub_countries != i)]
        detour = d[e, candidates] + d[candidates, i] - d[e, i]
        via[f] = candidates[int(np.argmin(detour + rng.exponential(1500.0, len(candidates))))]
    markup = np.where(via >= 0, rng.uniform(1.02, 1.10, len(exporter)), 1.0)
    return via, markup
