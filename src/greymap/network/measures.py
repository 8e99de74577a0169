"""The measures reported beside the common score of every node.

* ``path_betweenness_share``: the node's share of suspicious origin-destination demand
  that would pass through it if flows took the cheapest paths of the layer graph
  (:func:`~greymap.network.centrality.path_betweenness`; exact up to 256 demand
  sources, else sampled, with the error bound in the run's parameters), and its
  standard error;
* ``in_min_cut``: whether the node is in the minimum-traffic node cut separating all
  suspicious origins from their destinations (:func:`~greymap.network.cuts.min_cut`);
* ``key_player_rank``: its place in the greedy key-player set (the ``k`` nodes whose
  removal disconnects the most suspicious flow), empty when not in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

from greymap.network.centrality import path_betweenness
from greymap.network.cuts import key_players, min_cut
from greymap.network.interdict import FlowSet, flow_set
from greymap.network.layers import Layer, edges

if TYPE_CHECKING:
    from greymap.network.run import ChokepointParams


def demand_betweenness(
    flows: FlowSet, layer: Layer, k: int, seed: int = 0
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Path betweenness of every node on the full layer graph, with flows' suspicious
    value as the demand between their endpoints."""
    table = edges(layer)
    index = {n: i for i, n in enumerate(flows.node_ids)}
    n = len(flows.node_ids)
    net = flows.network
    demand = csr_matrix((net.values, (net.sources, net.targets)), shape=(n, n))
    result = path_betweenness(
        n,
        table["u"].map(index).to_numpy(),
        table["v"].map(index).to_numpy(),
        table["cost"].to_numpy(dtype=float),
        demand,
        k=k,
        seed=seed,
    )
    total = result.total_demand or 1.0
    frame = pd.DataFrame(
        {
            "node": flows.node_ids,
            "path_betweenness_share": result.scores / total,
            "path_betweenness_stderr": result.stderr / total,
        }
    )
    notes = {
        "path_betweenness": "exact" if result.exact else "sampled",
        "path_betweenness_sources": result.sources_used,
        "path_betweenness_error_bound": round(result.error_bound, 6),
        "path_betweenness_delta": result.delta,
    }
    return frame, notes


def extra_measures(
    layer: Layer, ranking: pd.DataFrame, params: ChokepointParams
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The three measures per node, and notes on how they were computed."""
    base = pd.DataFrame({"node": ranking["node"]})
    flows = flow_set(layer, params.interdict)
    if not len(flows.network.paths):
        base["path_betweenness_share"] = 0.0
        base["path_betweenness_stderr"] = 0.0
        base["in_min_cut"] = False
        base["key_player_rank"] = pd.array([None] * len(base), dtype="Int64")
        return base, {"measures": "no suspicious flow above the minimum weight"}
    between, notes = demand_betweenness(flows, layer, params.betweenness_samples)
    traffic = dict(zip(ranking["node"], ranking["total_value_usd"], strict=True))
    cut = min_cut(flows, traffic)
    scores = dict(zip(ranking["node"], ranking["score"], strict=True))
    players = key_players(flows, params.key_players, scores)
    out = base.merge(between, on="node", how="left")
    out["in_min_cut"] = out["node"].isin(set(cut.nodes))
    rank_of = {node: i for i, (node, _) in enumerate(players, start=1)}
    out["key_player_rank"] = pd.array([rank_of.get(n) for n in out["node"]], dtype="Int64")
    notes["min_cut_nodes"] = len(cut.nodes)
    notes["min_cut_traffic_usd"] = round(cut.capacity, 2)
    notes["key_players_disconnected_usd"] = round(players[-1][1], 2) if players else 0.0
    notes["key_players_share"] = (
        round(players[-1][1] / flows.total_value, 6) if players and flows.total_value else 0.0
    )
    out[["path_betweenness_share", "path_betweenness_stderr"]] = out[
        ["path_betweenness_share", "path_betweenness_stderr"]
    ].fillna(0.0)
    return out, {k: (v.item() if isinstance(v, np.generic) else v) for k, v in notes.items()}
