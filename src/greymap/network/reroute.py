"""Traffickers adapt: after nodes are controlled, suspicious flow takes its next-best path.

The rerouting graph is the *grey network*: the edges that suspicious flows were seen to
use (with the ``src:``/``dst:`` country nodes of the port and firm layers, so goods may
leave from another port or firm of the same country), or, with ``on="all"``, every edge
any shipment used. Edge costs are those of :mod:`.layers` (a hop plus distance).

A flow none of whose path nodes is controlled goes on as before. A flow that meets a
controlled node looks for the cheapest path from its origin to its destination that
avoids every controlled node (scipy's compiled Dijkstra, one run per origin). Moving
costs extra: the new path's cost plus ``reroute_cost`` must stay within
``max_cost_ratio`` times the old path's cost, or the flow is given up (removed). So a
plan is judged by what it removes *after* adaptation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import dijkstra  # type: ignore[import-untyped]


@dataclass(frozen=True)
class RerouteParams:
    """How flows adapt; stored with every plan."""

    reroute_cost: float = 1.0
    max_cost_ratio: float = 1.5
    on: str = "grey"  # grey | all

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Network:
    """A directed graph on integer nodes with edge costs, and the flows over it: each
    flow's source and target node, value, path (node indices, endpoints included) and
    path cost."""

    n: int
    tails: np.ndarray
    heads: np.ndarray
    cost: np.ndarray
    sources: np.ndarray
    targets: np.ndarray
    values: np.ndarray
    paths: list[np.ndarray]
    path_costs: np.ndarray


@dataclass(frozen=True)
class Outcome:
    """Per flow: ``hit`` (its path met a controlled node), ``survives`` (it goes on,
    rerouted or untouched), and the new path of each rerouted flow."""

    hit: np.ndarray
    survives: np.ndarray
    new_paths: dict[int, np.ndarray]

    def removed_before(self, values: np.ndarray) -> float:
        return float(values[self.hit].sum())

    def removed_after(self, values: np.ndarray) -> float:
        return float(values[~self.survives].sum())

    def rerouted(self, values: np.ndarray) -> float:
        return float(values[self.hit & self.survives].sum())


def reroute(network: Network, controlled: np.ndarray, params: RerouteParams) -> Outcome:
    """Apply control of ``controlled`` nodes and let every hit flow reroute."""
    blocked = np.zeros(network.n, bool)
    blocked[np.asarray(controlled, dtype=np.int64)] = True
    hit = _hit(network.paths, blocked)
    survives = ~hit
    new_paths: dict[int, np.ndarray] = {}
    hit_ids = np.flatnonzero(hit)
    if len(hit_ids) == 0:
        return Outcome(hit, survives, new_paths)
    keep = ~(blocked[network.tails] | blocked[network.heads])
    graph = _csr(network.n, network.tails[keep], network.heads[keep], network.cost[keep])
    origins = np.unique(network.sources[hit_ids])
    dist, pred = dijkstra(graph, directed=True, indices=origins, return_predecessors=True)
    row_of = {int(o): i for i, o in enumerate(origins)}
    for f in hit_ids:
        row = row_of[int(network.sources[f])]
        target = int(network.targets[f])
        new_cost = float(dist[row, target])
        if not np.isfinite(new_cost) or blocked[target] or blocked[network.sources[f]]:
            continue
        if new_cost + params.reroute_cost <= params.max_cost_ratio * network.path_costs[f]:
            survives[f] = True
            new_paths[int(f)] = _path(pred[row], int(network.sources[f]), target)
    return Outcome(hit, survives, new_paths)


def _hit(paths: list[np.ndarray], blocked: np.ndarray) -> np.ndarray:
    """Per path: whether it meets a blocked node (one vectorised pass over all hops)."""
    if not paths:
        return np.zeros(0, bool)
    lengths = np.fromiter((len(p) for p in paths), dtype=np.int64, count=len(paths))
    flat = np.concatenate(paths)
    owner = np.repeat(np.arange(len(paths)), lengths)
    return np.bincount(owner, weights=blocked[flat].astype(float), minlength=len(paths)) > 0


def _path(pred: np.ndarray, source: int, target: int) -> np.ndarray:
    out = [target]
    while out[-1] != source:
        out.append(int(pred[out[-1]]))
    return np.array(out[::-1], dtype=np.int64)


def _csr(n: int, tails: np.ndarray, heads: np.ndarray, cost: np.ndarray) -> csr_matrix:
    """Parallel edges keep their cheapest cost (csr would add them up)."""
    order = np.lexsort((cost, heads, tails))
    t, h, c = tails[order], heads[order], cost[order]
    first = np.ones(len(t), bool)
    first[1:] = (t[1:] != t[:-1]) | (h[1:] != h[:-1])
    return csr_matrix((c[first], (t[first], h[first])), shape=(n, n))
