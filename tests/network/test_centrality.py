"""Betweenness on hand-made graphs whose values are worked out by hand or by networkx."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from scipy.sparse import csr_matrix

from greymap.network.centrality import hoeffding_bound, path_betweenness, route_betweenness
from tests.network.factory import layer


def _arrays(edges: list[tuple[int, int, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    t, h, c = zip(*edges, strict=True)
    return np.array(t), np.array(h), np.array(c, dtype=float)


def test_chain_carries_all_demand_through_the_middle() -> None:
    # 0 -> 1 -> 2, demand 0->2 of 10: node 1 carries 10, the ends nothing.
    t, h, c = _arrays([(0, 1, 1.0), (1, 2, 1.0)])
    demand = csr_matrix(([10.0], ([0], [2])), shape=(3, 3))
    result = path_betweenness(3, t, h, c, demand)
    assert result.exact
    assert result.scores.tolist() == [0.0, 10.0, 0.0]


def test_equal_paths_split_the_demand() -> None:
    # Diamond 0->{1,2}->3 with equal costs: 1 and 2 carry half each; a cheaper 2 takes all.
    t, h, c = _arrays([(0, 1, 1.0), (0, 2, 1.0), (1, 3, 1.0), (2, 3, 1.0)])
    demand = csr_matrix(([8.0], ([0], [3])), shape=(4, 4))
    assert path_betweenness(4, t, h, c, demand).scores.tolist() == [0.0, 4.0, 4.0, 0.0]
    t, h, c = _arrays([(0, 1, 1.0), (0, 2, 1.0), (1, 3, 1.0), (2, 3, 0.5)])
    assert path_betweenness(4, t, h, c, demand).scores.tolist() == [0.0, 0.0, 8.0, 0.0]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_unit_demand_equals_networkx_betweenness(seed: int) -> None:
    graph = nx.gnp_random_graph(25, 0.15, seed=seed, directed=True)
    edges = list(graph.edges())
    t = np.array([u for u, _ in edges])
    h = np.array([v for _, v in edges])
    demand = np.ones((25, 25)) - np.eye(25)
    result = path_betweenness(25, t, h, np.ones(len(edges)), csr_matrix(demand))
    expected = nx.betweenness_centrality(graph, normalized=False)
    assert np.allclose(result.scores, [expected[i] for i in range(25)])


def test_sampled_estimate_is_within_its_bound() -> None:
    graph = nx.gnp_random_graph(300, 0.03, seed=7, directed=True)
    edges = list(graph.edges())
    t = np.array([u for u, _ in edges])
    h = np.array([v for _, v in edges])
    rng = np.random.default_rng(0)
    cost = rng.uniform(1, 2, len(edges))
    demand = csr_matrix(rng.uniform(0, 1, (300, 300)) * (rng.uniform(size=(300, 300)) < 0.05))
    exact = path_betweenness(300, t, h, cost, demand, exact_limit=10_000)
    sampled = path_betweenness(300, t, h, cost, demand, k=64, exact_limit=10)
    assert exact.exact and not sampled.exact
    assert sampled.error_bound == pytest.approx(hoeffding_bound(64, 300))
    error = np.abs(sampled.scores - exact.scores).max() / exact.total_demand
    assert error <= sampled.error_bound


def test_route_betweenness_counts_interior_nodes_once_per_journey() -> None:
    built = layer(
        [
            (["A", "H", "B"], 100.0, 0.5, ["tobacco"]),
            (["A", "H", "X", "H", "B"], 10.0, 1.0, ["tobacco", "wildlife"]),
            (["A", "B"], 1000.0, 1.0, ["tobacco"]),
        ]
    )
    table = route_betweenness(built).set_index(["node", "sector"])
    assert table.loc[("H", "tobacco"), "suspicious_value"] == 60.0
    assert table.loc[("H", "tobacco"), "total_value"] == 110.0
    assert table.loc[("H", "wildlife"), "suspicious_value"] == 10.0
    assert table.loc[("X", "tobacco"), "journeys"] == 1
    assert "A" not in table.index.get_level_values("node")
