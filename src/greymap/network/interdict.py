"""Interdiction plans: which nodes to control, before and after traffickers adapt.

*Flows.* Journeys of weight at least ``min_weight`` are the flows to stop, each worth its
suspicious value; journeys with the same path are one flow. A flow is stopped at any
*candidate* node on its path: every port or firm on it (the ``src:``/``dst:`` country
nodes that frame the path cannot be controlled), and on the country layer the transit
countries only (a flow's own origin and destination are what it is, not where it can be
intercepted).

*Naive plan.* The MILP of :mod:`.milp` with each flow's observed path: the nodes within
budget that meet the most suspicious value.

*Adaptation.* :func:`~greymap.network.reroute.reroute` lets every flow the plan hits look
for its next-best path avoiding the controlled nodes; what survives is reported, so a
plan is judged after adaptation.

*Robust plan.* Interdiction against the rerouted flow: solve, reroute, add each surviving
flow's new path to its known paths, and solve again, now counting a flow as removed only
when *all* its known paths are cut; repeat until no flow finds a path the plan has not
seen (or ``robust_iterations``). Both plans are judged by the same rerouting.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from greymap.errors import InputError
from greymap.network.layers import Layer, edges, explode
from greymap.network.milp import Problem, Solution, greedy, pick_order, solve_milp
from greymap.network.reroute import Network, RerouteParams, reroute


@dataclass(frozen=True)
class InterdictParams:
    """How a plan is made; stored with every run."""

    budget: float = 5.0
    min_weight: float = 0.5
    milp_limit: int = 200_000
    time_limit: float = 20.0
    robust_iterations: int = 5
    reroute: RerouteParams = field(default_factory=RerouteParams)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class FlowSet:
    """The flows of a layer over its graph, and which nodes may be controlled."""

    layer: str
    node_ids: list[str]
    labels: dict[str, str]
    network: Network
    candidates: np.ndarray  # node indices that may be controlled
    costs: np.ndarray  # per candidate
    total_value: float  # suspicious value of all flows

    def candidate_paths(self, paths: list[np.ndarray]) -> list[np.ndarray]:
        column = np.full(self.network.n, -1, dtype=np.int64)
        column[self.candidates] = np.arange(len(self.candidates))
        return [c[c >= 0] for c in (column[p] for p in paths)]


def flow_set(
    layer: Layer, params: InterdictParams, costs: Mapping[str, float] | None = None
) -> FlowSet:
    """Flows, graph and candidate nodes of ``layer`` (see the module docstring)."""
    j = layer.journeys
    keep = (j["weight"] >= params.min_weight) & (j["suspicious_value_usd"] > 0)
    hops = explode(layer, virtual=True)
    table = edges(layer)
    nodes = sorted(set(table["u"]) | set(table["v"]))
    index = {n: i for i, n in enumerate(nodes)}
    hops = hops[keep.to_numpy()[hops["j"].to_numpy()]]
    paths_by_j = hops.groupby("j")["node"].agg(tuple)
    values = j.loc[paths_by_j.index, "suspicious_value_usd"].to_numpy()
    frame = pd.DataFrame({"path": paths_by_j.to_numpy(), "value": values})
    flows = frame.groupby("path", sort=True)["value"].sum()
    paths = [np.array([index[n] for n in p], dtype=np.int64) for p in flows.index]
    tails = table["u"].map(index).to_numpy()
    heads = table["v"].map(index).to_numpy()
    cost = table["cost"].to_numpy(dtype=float)
    network = _network(len(nodes), tails, heads, cost, paths, flows.to_numpy(), params)
    candidates = _candidates(layer.name, nodes, paths)
    node_costs = np.array([float((costs or {}).get(nodes[i], 1.0)) for i in candidates])
    if (node_costs <= 0).any():
        raise InputError("node costs must be positive")
    return FlowSet(
        layer.name, nodes, layer.labels, network, candidates, node_costs, float(flows.sum())
    )


def _network(
    n: int,
    tails: np.ndarray,
    heads: np.ndarray,
    cost: np.ndarray,
    paths: list[np.ndarray],
    values: np.ndarray,
    params: InterdictParams,
) -> Network:
    cheapest: dict[tuple[int, int], float] = {}
    for a, b, c in zip(tails.tolist(), heads.tolist(), cost.tolist(), strict=True):
        cheapest[(a, b)] = min(c, cheapest.get((a, b), c))
    path_costs = np.array(
        [
            sum(cheapest[(a, b)] for a, b in zip(p[:-1].tolist(), p[1:].tolist(), strict=True))
            for p in paths
        ],
        dtype=float,
    )
    if params.reroute.on == "grey":
        used = {(int(a), int(b)) for p in paths for a, b in itertools.pairwise(p)}
        mask = np.array([(int(a), int(b)) in used for a, b in zip(tails, heads, strict=True)], bool)
        tails, heads, cost = tails[mask], heads[mask], cost[mask]
    elif params.reroute.on != "all":
        raise InputError(f"reroute on must be 'grey' or 'all', not {params.reroute.on!r}")
    sources = np.array([p[0] for p in paths], dtype=np.int64)
    targets = np.array([p[-1] for p in paths], dtype=np.int64)
    return Network(n, tails, heads, cost, sources, targets, values, paths, path_costs)


def _candidates(layer: str, nodes: list[str], paths: list[np.ndarray]) -> np.ndarray:
    virtual = np.array([n[:4] in ("src:", "dst:") for n in nodes], bool)
    seen = np.zeros(len(nodes), bool)
    for p in paths:
        seen[p[1:-1] if layer == "country" else p] = True
    return np.flatnonzero(seen & ~virtual)


def _solve(problem: Problem, params: InterdictParams) -> Solution:
    size = problem.n_nodes + problem.n_flows + len(problem.paths)
    if size <= params.milp_limit:
        return solve_milp(problem, params.budget, params.time_limit)
    return greedy(problem, params.budget)


def naive_plan(flows: FlowSet, params: InterdictParams) -> tuple[Problem, Solution]:
    """The MILP (or greedy) plan against the flows' observed paths."""
    paths = flows.candidate_paths(flows.network.paths)
    problem = Problem(flows.network.values, flows.costs, paths, np.arange(len(paths)))
    return problem, _solve(problem, params)


def robust_plan(flows: FlowSet, params: InterdictParams) -> tuple[Problem, Solution, int]:
    """Interdiction against rerouted flow (see the module docstring); returns the problem
    and solution of the round whose plan removes most *after* rerouting (the naive plan
    is round 1, so the robust plan is never worse than it), and the number of rounds."""
    known: list[list[np.ndarray]] = [[p] for p in flows.network.paths]
    seen = [{tuple(p)} for p in flows.network.paths]
    problem, solution = naive_plan(flows, params)
    best: tuple[float, Problem, Solution] | None = None
    rounds = 0
    while True:
        rounds += 1
        outcome = reroute(flows.network, flows.candidates[solution.chosen], params.reroute)
        after = outcome.removed_after(flows.network.values)
        if best is None or after > best[0] + 1e-9:
            best = (after, problem, solution)
        added = _learn(outcome.new_paths, known, seen)
        if not added or rounds >= params.robust_iterations:
            break
        flat = [p for ps in known for p in ps]
        owner = np.repeat(np.arange(len(known)), [len(ps) for ps in known])
        problem = Problem(flows.network.values, flows.costs, flows.candidate_paths(flat), owner)
        solution = _solve(problem, params)
    return best[1], best[2], rounds


def _learn(
    new_paths: dict[int, np.ndarray],
    known: list[list[np.ndarray]],
    seen: list[set[tuple[int, ...]]],
) -> int:
    """Add each rerouted flow's new path to its known paths; returns how many were new."""
    added = 0
    for f, path in new_paths.items():
        key = tuple(int(i) for i in path)
        if key not in seen[f]:
            seen[f].add(key)
            known[f].append(path)
            added += 1
    return added


def plan_rows(
    flows: FlowSet, problem: Problem, solution: Solution, params: InterdictParams, plan: str
) -> list[dict[str, Any]]:
    """The plan's nodes in pick order with marginal and cumulative removed value, before
    and after adaptation (rerouting of the flows the first i nodes hit)."""
    total = flows.total_value or 1.0
    rows: list[dict[str, Any]] = []
    cumulative = 0.0
    taken: list[int] = []
    for rank, (col, removed) in enumerate(pick_order(problem, solution.chosen), start=1):
        taken.append(col)
        cumulative += removed
        node = flows.node_ids[int(flows.candidates[col])]
        after = reroute(flows.network, flows.candidates[taken], params.reroute)
        kept = after.removed_after(flows.network.values)
        rows.append(
            {
                "node": node,
                "label": flows.labels.get(node, node),
                "removed_value_usd": round(removed, 2),
                "cumulative_share": round(cumulative / total, 6),
                "plan": plan,
                "rank": rank,
                "layer": flows.layer,
                "cost": float(flows.costs[col]),
                "cumulative_removed_after_rerouting_usd": round(kept, 2),
                "cumulative_share_after_rerouting": round(kept / total, 6),
            }
        )
    return rows


@dataclass(frozen=True)
class PlanSummary:
    plan: str
    nodes: list[str]
    method: str
    optimal: bool
    gap: float
    seconds: float
    removed_before_usd: float
    removed_after_usd: float
    rerouted_usd: float
    total_usd: float
    rounds: int = 1

    def as_record(self) -> dict[str, Any]:
        record = asdict(self)
        record["nodes"] = ";".join(self.nodes)
        record["share_before"] = self.removed_before_usd / self.total_usd if self.total_usd else 0.0
        record["share_after"] = self.removed_after_usd / self.total_usd if self.total_usd else 0.0
        return record


def summarise(
    flows: FlowSet, solution: Solution, params: InterdictParams, plan: str, rounds: int = 1
) -> PlanSummary:
    """What a plan removes before and after adaptation."""
    chosen = flows.candidates[solution.chosen]
    outcome = reroute(flows.network, chosen, params.reroute)
    values = flows.network.values
    return PlanSummary(
        plan,
        [flows.node_ids[int(i)] for i in chosen],
        solution.method,
        solution.optimal,
        solution.gap,
        solution.seconds,
        outcome.removed_before(values),
        outcome.removed_after(values),
        outcome.rerouted(values),
        flows.total_value,
        rounds,
    )


def heuristic_choice(flows: FlowSet, layer: Layer, budget: float, by: str) -> np.ndarray:
    """Baselines for comparison: the ``budget`` candidates of highest ``degree`` (distinct
    neighbours in the layer graph) or ``volume`` (total value through them); unit costs."""
    table = edges(layer)
    if by == "degree":
        stacked = pd.concat(
            [table[["u", "v"]], table.rename(columns={"u": "v", "v": "u"})[["u", "v"]]]
        )
        stacked = stacked[~stacked["v"].str.startswith(("src:", "dst:"))]
        measure = stacked.groupby("u")["v"].nunique()
    elif by == "volume":
        measure = table.groupby("v")["total_value"].sum()
    else:
        raise InputError(f"unknown heuristic {by!r}; expected degree or volume")
    ids = [flows.node_ids[i] for i in flows.candidates]
    scores = np.array([float(measure.get(n, 0.0)) for n in ids])
    order = np.lexsort((np.array(ids), -scores))
    return order[: int(budget)]
