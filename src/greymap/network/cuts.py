"""Cuts: the nodes that separate where suspicious flow starts from where it ends.

**Minimum node cut** (:func:`min_cut`). On the grey network (the paths suspicious flows
use, :mod:`.interdict`), a super source feeds every flow's origin and every destination
drains to a super sink; each controllable node is split into ``in -> out`` with a
capacity, every other arc is uncapacitated. The maximum flow's saturated node arcs are
the cheapest set of nodes whose control separates *all* origins from *all* destinations
(max-flow min-cut). Capacity ``traffic`` is the total value a node handles, legitimate
included -- the burden of controlling it, so a busy clean hub is expensive and a small
hub that carries only grey flow is cheap; ``unit`` counts nodes (a minimum vertex cut).
Solved with scipy's compiled maximum flow on integer capacities (traffic scaled to parts
per million of the total, so precision is 1e-6 of the total).

**Key players** (:func:`key_players`). The group of ``k`` nodes whose removal disconnects
the most suspicious flow: greedily, the node whose removal leaves the most suspicious
value with no path at all from origin to destination in the grey network (rerouting at
any cost), given the nodes already taken. Candidates are the ``pool`` nodes of highest
route betweenness, so each step is ``pool`` shortest-path runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import breadth_first_order, maximum_flow  # type: ignore[import-untyped]

from greymap.network.interdict import FlowSet
from greymap.network.reroute import RerouteParams, reroute

_INF = 2**30
_SCALE = 1_000_000


@dataclass(frozen=True)
class Cut:
    nodes: list[str]
    capacity: float  # in the capacity's units (USD of traffic, or nodes)
    flow_value: float  # suspicious value the cut separates (all of the flows')


def min_cut(flows: FlowSet, traffic: dict[str, float] | None = None) -> Cut:
    """Minimum node cut between all origins and destinations of ``flows``; with
    ``traffic`` (node -> USD handled) as capacity, else one per node."""
    net = flows.network
    n = net.n
    cand = flows.candidates
    caps = np.array([float((traffic or {}).get(flows.node_ids[i], 1.0)) for i in cand])
    total = caps.sum() or 1.0
    scaled = np.maximum(1, np.ceil(caps / total * _SCALE)).astype(np.int64)
    # Node v -> v_in = v, v_out = n + v (only candidates are split); S = 2n, T = 2n + 1.
    out_of = np.arange(n)
    out_of[cand] = n + cand
    s, t = 2 * n, 2 * n + 1
    tails = [out_of[net.tails], cand, np.full(len(net.sources), s), net.targets]
    heads = [net.heads, n + cand, net.sources, np.full(len(net.targets), t)]
    capacity = [
        np.full(len(net.tails), _INF),
        scaled,
        np.full(len(net.sources), _INF),
        np.full(len(net.targets), _INF),
    ]
    graph = _graph(
        2 * n + 2, np.concatenate(tails), np.concatenate(heads), np.concatenate(capacity)
    )
    result = maximum_flow(graph, s, t)
    residual = graph - result.flow
    residual.data[residual.data < 0] = 0
    residual.eliminate_zeros()
    reached = np.zeros(2 * n + 2, bool)
    reached[breadth_first_order(residual, s, directed=True, return_predecessors=False)] = True
    cut_mask = reached[cand] & ~reached[n + cand]
    chosen = cand[cut_mask]
    return Cut(
        [flows.node_ids[int(i)] for i in chosen],
        float(caps[cut_mask].sum()),
        float(net.values.sum()),
    )


def _graph(size: int, tails: np.ndarray, heads: np.ndarray, caps: np.ndarray) -> csr_matrix:
    """Capacities as an int32 CSR matrix; parallel arcs add up (capped at infinity)."""
    graph = csr_matrix((caps.astype(np.int64), (tails, heads)), shape=(size, size))
    graph.sum_duplicates()
    graph.data = np.minimum(graph.data, _INF).astype(np.int32)
    return graph


def key_players(
    flows: FlowSet, k: int, pool_scores: dict[str, float], pool: int = 40
) -> list[tuple[str, float]]:
    """Greedy key-player set: (node, suspicious value disconnected so far) in pick order."""
    anyhow = RerouteParams(reroute_cost=0.0, max_cost_ratio=float("inf"), on="grey")
    ids = np.array([flows.node_ids[i] for i in flows.candidates])
    scores = np.array([pool_scores.get(n, 0.0) for n in ids])
    order = np.lexsort((ids, -scores))[:pool]
    taken: list[int] = []
    out: list[tuple[str, float]] = []
    for _ in range(min(k, len(order))):
        best, best_value = -1, -1.0
        for col in order:
            if col in taken:
                continue
            chosen = flows.candidates[[*taken, int(col)]]
            value = reroute(flows.network, chosen, anyhow).removed_after(flows.network.values)
            if value > best_value:
                best, best_value = int(col), value
        if best < 0:
            break
        taken.append(best)
        out.append((str(ids[best]), best_value))
    return out
