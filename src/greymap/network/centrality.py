"""Suspicious-flow betweenness: how much suspicious value passes *through* a node.

Two measures, for two situations.

**Route betweenness** (:func:`route_betweenness`) uses the routes the bills of lading
record: a journey's suspicious value counts at every *interior* node of its path (not at
its first or last, as in Brandes' betweenness, which leaves endpoints out). Where routes
are observed this is the measure to rank by: it says where suspicious goods actually
went, not where a model says they would go. It is a group-by over exploded paths, exact
and linear in the number of hops.

**Path betweenness** (:func:`path_betweenness`) is demand-weighted shortest-path
betweenness, for graphs where only origin-destination demand is known (trade statistics)
and for the interdiction's model of rerouting: every (s, t) pair with suspicious demand
``D[s, t]`` sends it along the cheapest paths (edge ``cost``), split equally over ties,
and a node's score is the demand passing through it, ``sum_st D[s,t] sigma_st(v) /
sigma_st``. Brandes' accumulation is done per source on the shortest-path DAG with numpy
(scipy's compiled Dijkstra gives the distances): the DAG edges are grouped by hop depth
so every step is one vectorised scatter, with no loop over nodes.

*Sampling.* Exact means one Dijkstra per source with demand. Beyond ``exact_limit``
sources, ``k`` sources are drawn with probability proportional to their outgoing demand
``D_s`` (importance sampling) and each contributes ``delta_s(v) / (k p_s)``: unbiased,
and each term lies in ``[0, D]`` (a source's dependency never exceeds its own demand,
and ``D_s / p_s = D``), so Hoeffding's inequality bounds the error of a node's *share*
of all demand, ``|b_hat(v) - b(v)| / D <= sqrt(ln(2 n / delta) / (2 k))`` for all ``n``
nodes at once with probability ``1 - delta``. The result also carries each node's
empirical standard error, usually far smaller than the worst-case bound.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import dijkstra  # type: ignore[import-untyped]

from greymap.network.layers import Layer, explode


def route_betweenness(layer: Layer, sharpness: float = 1.0) -> pd.DataFrame:
    """Per (node, sector): suspicious and total value of journeys passing through it
    (interior nodes only), and the number of such journeys. The suspicious value of a
    journey is ``value * weight ** sharpness`` (1: its suspicious value in USD)."""
    hops = explode(layer)
    inner = hops[hops["interior"]]
    j = layer.journeys
    idx = inner["j"].to_numpy()
    frame = pd.DataFrame(
        {
            "node": inner["node"].to_numpy(),
            "j": idx,
            "sectors": j["sectors"].to_numpy()[idx],
            "suspicious_value": (j["value_usd"] * j["weight"] ** sharpness).to_numpy()[idx],
            "total_value": j["value_usd"].to_numpy()[idx],
        }
    )
    # A journey passing a node twice (A>B>A>C) counts once there.
    frame = frame.drop_duplicates(["node", "j"]).explode("sectors")
    out = (
        frame.groupby(["node", "sectors"], sort=True)
        .agg(
            suspicious_value=("suspicious_value", "sum"),
            total_value=("total_value", "sum"),
            journeys=("j", "nunique"),
        )
        .reset_index()
        .rename(columns={"sectors": "sector"})
    )
    return out


@dataclass(frozen=True)
class PathBetweenness:
    """Scores per node (demand passing through it, same units as the demand), and how
    they were computed."""

    scores: np.ndarray
    stderr: np.ndarray
    exact: bool
    sources_used: int
    total_demand: float
    error_bound: float  # on a node's share of total demand, all nodes, prob 1 - delta
    delta: float


def hoeffding_bound(k: int, n: int, delta: float = 0.05) -> float:
    """Worst-case error of every node's sampled demand share at once (see module doc)."""
    return math.sqrt(math.log(2 * max(n, 1) / delta) / (2 * k))


def path_betweenness(
    n: int,
    tails: np.ndarray,
    heads: np.ndarray,
    cost: np.ndarray,
    demand: csr_matrix,
    *,
    k: int = 64,
    exact_limit: int = 256,
    delta: float = 0.05,
    seed: int = 0,
) -> PathBetweenness:
    """Demand-weighted shortest-path betweenness on a directed graph of ``n`` nodes with
    edges ``tails[i] -> heads[i]`` of positive ``cost[i]``; ``demand[s, t]`` is the flow
    from ``s`` to ``t``. Exact when at most ``exact_limit`` nodes send demand, else ``k``
    sources drawn by demand."""
    demand = csr_matrix(demand)
    out_demand = np.asarray(demand.sum(axis=1)).ravel()
    senders = np.flatnonzero(out_demand > 0)
    total = float(out_demand.sum())
    graph = _graph(n, tails, heads, cost)
    if len(senders) <= exact_limit:
        sources, factors = senders, np.ones(len(senders))
        exact = True
    else:
        rng = np.random.default_rng(seed)
        p = out_demand / total
        sources = rng.choice(n, size=k, replace=True, p=p)
        factors = 1.0 / (k * p[sources])
        exact = False
    contributions = _dependencies(graph, tails, heads, cost, demand, sources)
    weighted = contributions * factors[:, None]
    scores = weighted.sum(axis=0)
    if exact:
        stderr = np.zeros(n)
        bound = 0.0
    else:
        # Each draw's estimate of b is k * weighted[i]; their spread gives the standard error.
        draws = weighted * len(sources)
        stderr = draws.std(axis=0, ddof=1) / math.sqrt(len(sources))
        bound = hoeffding_bound(len(sources), n, delta)
    return PathBetweenness(scores, stderr, exact, len(sources), total, bound, delta)


def _graph(n: int, tails: np.ndarray, heads: np.ndarray, cost: np.ndarray) -> csr_matrix:
    # Parallel edges: the cheapest counts (csr would add them up).
    order = np.lexsort((cost, heads, tails))
    t, h, c = tails[order], heads[order], cost[order]
    first = np.ones(len(t), bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    return csr_matrix((c[first], (t[first], h[first])), shape=(n, n))


def _dependencies(
    graph: csr_matrix,
    tails: np.ndarray,
    heads: np.ndarray,
    cost: np.ndarray,
    demand: csr_matrix,
    sources: np.ndarray,
) -> np.ndarray:
    """One row per source: the demand from that source passing through each node."""
    n = graph.shape[0]
    out = np.zeros((len(sources), n))
    coo = graph.tocoo()
    u, v, w = coo.row, coo.col, coo.data
    batch = 64
    for start in range(0, len(sources), batch):
        chunk = sources[start : start + batch]
        dist = dijkstra(graph, directed=True, indices=chunk)
        for row, s in enumerate(chunk):
            out[start + row] = _accumulate(dist[row], u, v, w, demand, int(s), n)
    return out


def _accumulate(
    dist: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    w: np.ndarray,
    demand: csr_matrix,
    s: int,
    n: int,
) -> np.ndarray:
    """Brandes' dependency of one source with pair weights, on its shortest-path DAG."""
    du, dv = dist[u], dist[v]
    tight = np.isfinite(du) & np.isfinite(dv)
    gap = np.abs(du[tight] + w[tight] - dv[tight])
    tight[tight] = gap <= 1e-9 * np.maximum(1.0, np.abs(dv[tight]))
    eu, ev = u[tight], v[tight]
    # Hop depth of each node in the DAG (longest hop count from s): relax until stable.
    depth = np.zeros(n, dtype=np.int64)
    while True:
        cand = np.zeros(n, dtype=np.int64)
        np.maximum.at(cand, ev, depth[eu] + 1)
        new = np.maximum(depth, cand)
        if np.array_equal(new, depth):
            break
        depth = new
    order = np.argsort(depth[ev], kind="stable")
    eu, ev = eu[order], ev[order]
    levels = depth[ev]
    bounds = np.searchsorted(levels, np.arange(levels.max(initial=0) + 2))
    sigma = np.zeros(n)
    sigma[s] = 1.0
    for lo, hi in itertools.pairwise(bounds):
        if hi > lo:
            np.add.at(sigma, ev[lo:hi], sigma[eu[lo:hi]])
    row = demand.getrow(s)
    target = np.zeros(n)
    target[row.indices] = row.data
    target[s] = 0.0
    delta = np.zeros(n)
    for lo, hi in zip(bounds[-2::-1], bounds[:0:-1], strict=True):
        if hi > lo:
            a, b = eu[lo:hi], ev[lo:hi]
            np.add.at(delta, a, sigma[a] / sigma[b] * (target[b] + delta[b]))
    delta[s] = 0.0
    return delta
