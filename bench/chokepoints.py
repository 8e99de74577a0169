"""Speed of the choke-point ranking on a large graph, against networkx, and of the MILP.

1. A synthetic directed graph of ``--nodes`` nodes and ``--edges`` edges (preferential
   attachment: a few hubs, many small nodes; edge costs uniform in [1, 3]), ``--journeys``
   observed journeys (random walks of 2-6 hops, a value, a suspicion weight and a sector)
   and their origin-destination demand.
2. The full ranking as ``greymap chokepoints`` computes it: route betweenness per sector,
   the common score, demand-weighted path betweenness sampled from 64 sources (with its
   error bound), and the minimum node cut.
3. networkx's ``betweenness_centrality(k=64, weight=...)`` on the same graph, in the same
   run: the same number of weighted single-source shortest-path passes.
4. The interdiction MILP (HiGHS) on problems of 500 and 2,000 candidate nodes.

Run: ``python bench/chokepoints.py`` (about 5 minutes on 2 cores, most of it networkx);
``--skip-networkx`` for a quick run. Figures go to docs/benchmarks.md (## Choke points).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from greymap.network.centrality import path_betweenness
from greymap.network.common import common_scores
from greymap.network.layers import Layer
from greymap.network.milp import Problem, greedy, lp_bound, solve_milp
from greymap.reference.sectors import SECTOR_SLUGS

OUT = Path(__file__).resolve().parent / "out"


def make_graph(
    n: int, m: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Heads drawn by popularity (a power law), tails uniformly; no self-loops, no repeats."""
    popularity = rng.pareto(1.2, n) + 1.0
    p = popularity / popularity.sum()
    tails = rng.integers(0, n, int(m * 1.1))
    heads = rng.choice(n, size=len(tails), p=p)
    keep = tails != heads
    pairs = np.unique(np.stack([tails[keep], heads[keep]], axis=1), axis=0)[:m]
    rng.shuffle(pairs)
    cost = rng.uniform(1.0, 3.0, len(pairs))
    return pairs[:, 0], pairs[:, 1], cost


def make_journeys(
    n: int, tails: np.ndarray, heads: np.ndarray, count: int, rng: np.random.Generator
) -> pd.DataFrame:
    """Random walks of 2-6 hops along the edges, vectorised one hop at a time."""
    order = np.argsort(tails, kind="stable")
    t_sorted, h_sorted = tails[order], heads[order]
    starts = np.searchsorted(t_sorted, np.arange(n))
    degree = np.bincount(tails, minlength=n)
    current = rng.choice(np.flatnonzero(degree > 0), size=count)
    hops = rng.integers(2, 7, count)
    walks = [current]
    for step in range(6):
        alive = (hops > step) & (degree[current] > 0)
        pick = starts[current] + (rng.random(count) * np.maximum(degree[current], 1)).astype(int)
        nxt = np.where(alive, h_sorted[np.minimum(pick, len(h_sorted) - 1)], -1)
        walks.append(nxt)
        current = np.where(alive, nxt, current)
    matrix = np.stack(walks, axis=1)
    paths = [[f"n{v}" for v in row if v >= 0] for row in matrix]
    value = rng.lognormal(11, 1, count)
    weight = np.clip(rng.beta(0.5, 4, count), 0, 1)
    sectors = rng.choice(np.array(SECTOR_SLUGS), size=count)
    return pd.DataFrame(
        {
            "journey_id": [f"j{i}" for i in range(count)],
            "value_usd": value,
            "weight": weight,
            "suspicious_value_usd": value * weight,
            "sectors": [[s] for s in sectors],
            "origin": [p[0] for p in paths],
            "destination": [p[-1] for p in paths],
            "hs_code": None,
            "year": 2020,
            "path": paths,
        }
    )


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def ranking(
    n: int, tails: np.ndarray, heads: np.ndarray, cost: np.ndarray, journeys: pd.DataFrame, k: int
) -> dict[str, Any]:
    """Everything the ranking computes, timed part by part."""
    labels = {f"n{i}": f"n{i}" for i in range(n)}
    layer = Layer("port", journeys, labels)
    scores, t_common = timed(common_scores, layer)
    src = np.array([int(o[1:]) for o in journeys["origin"]])
    dst = np.array([int(d[1:]) for d in journeys["destination"]])
    demand = csr_matrix((journeys["suspicious_value_usd"].to_numpy(), (src, dst)), shape=(n, n))
    between, t_between = timed(path_betweenness, n, tails, heads, cost, demand, k=k)
    return {
        "common_seconds": round(t_common, 2),
        "path_betweenness_seconds": round(t_between, 2),
        "ranking_seconds": round(t_common + t_between, 2),
        "ranked_nodes": len(scores),
        "senders": int((np.asarray(demand.sum(axis=1)).ravel() > 0).sum()),
        "sources_sampled": between.sources_used,
        "error_bound_share": round(between.error_bound, 4),
        "max_stderr_share": round(float(between.stderr.max() / between.total_demand), 6),
    }


def networkx_time(
    n: int, tails: np.ndarray, heads: np.ndarray, cost: np.ndarray, k: int
) -> dict[str, Any]:
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    graph.add_weighted_edges_from(
        zip(tails.tolist(), heads.tolist(), cost.tolist(), strict=True), weight="cost"
    )
    _, seconds = timed(nx.betweenness_centrality, graph, k=k, weight="cost", seed=0)
    return {"networkx_seconds": round(seconds, 2)}


def milp_times(sizes: list[int], rng: np.random.Generator) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        flows = 10 * n
        paths = [
            np.sort(rng.choice(n, size=int(rng.integers(2, 6)), replace=False))
            for _ in range(flows)
        ]
        problem = Problem(rng.lognormal(11, 1.5, flows), np.ones(n), paths, np.arange(flows))
        exact, t_exact = timed(solve_milp, problem, 20.0, time_limit=120.0)
        fast, t_greedy = timed(greedy, problem, 20.0, bound=False)
        bound = lp_bound(problem, 20.0)
        rows.append(
            {
                "nodes": n,
                "flows": flows,
                "budget": 20,
                "milp_seconds": round(t_exact, 2),
                "milp_optimal": exact.optimal,
                "milp_gap": round(exact.gap, 6),
                "greedy_seconds": round(t_greedy, 3),
                "greedy_share_of_milp": round(fast.removed / exact.removed, 4),
                "lp_bound_gap_of_milp": round((bound - exact.removed) / bound, 4),
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--journeys", type=int, default=200_000)
    parser.add_argument("--k", type=int, default=64)
    parser.add_argument("--skip-networkx", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    (tails, heads, cost), t_graph = timed(make_graph, args.nodes, args.edges, rng)
    journeys, t_journeys = timed(make_journeys, args.nodes, tails, heads, args.journeys, rng)
    result: dict[str, Any] = {
        "nodes": args.nodes,
        "edges": len(tails),
        "journeys": args.journeys,
        "cores": os.cpu_count(),
        "build_seconds": round(t_graph + t_journeys, 2),
    }
    result.update(ranking(args.nodes, tails, heads, cost, journeys, args.k))
    print(json.dumps(result), flush=True)
    if not args.skip_networkx:
        result.update(networkx_time(args.nodes, tails, heads, cost, args.k))
        result["speedup_path_betweenness"] = round(
            result["networkx_seconds"] / result["path_betweenness_seconds"], 1
        )
        print(json.dumps(result), flush=True)
    result["milp"] = milp_times([500, 2000], rng)
    OUT.mkdir(exist_ok=True)
    (OUT / "chokepoints.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
