"""Which nodes to control: maximum coverage of suspicious flow under a budget.

The path-based formulation: flow ``f`` of value ``v_f`` travels along one or more known
paths; a path is cut when one of its nodes is controlled, a flow is removed when *all*
its known paths are cut (one path per flow for the naive plan, several for the robust
one, :mod:`.interdict`). With ``x_i`` = control node ``i`` (cost ``c_i``) and ``y_f`` =
flow ``f`` removed::

    max  sum_f v_f y_f
    s.t. y_f <= sum_{i in P} x_i      for every known path P of flow f
         sum_i c_i x_i <= B,  x binary,  0 <= y_f <= 1

(``y`` need not be integer: for integer ``x`` the optimum sets ``y_f = 1`` exactly when
every path is cut.) HiGHS solves it through ``scipy.optimize.milp``; within its time
limit it proves optimality or reports the gap it reached. Beyond ``milp_limit``
variables the greedy method picks the node with the most removable value per unit cost
until the budget is spent (for a single path per flow and unit costs, within
``1 - 1/e`` of the optimum), and the LP relaxation's value, an upper bound on the
optimum, states its optimality gap. :func:`brute_force` enumerates every affordable set
(tests, tiny graphs).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp  # type: ignore[import-untyped]
from scipy.sparse import csr_matrix, hstack, vstack  # type: ignore[import-untyped]


@dataclass(frozen=True)
class Problem:
    """``paths``: one row per (flow, path) of the candidate node indices on it, with
    ``path_flow`` naming its flow; ``values`` per flow; ``costs`` per candidate node."""

    values: np.ndarray
    costs: np.ndarray
    paths: Sequence[np.ndarray]
    path_flow: np.ndarray

    @property
    def n_nodes(self) -> int:
        return len(self.costs)

    @property
    def n_flows(self) -> int:
        return len(self.values)

    def incidence(self) -> csr_matrix:
        """(paths x nodes) 0/1 matrix (built once)."""
        return self._incidence

    @cached_property
    def _incidence(self) -> csr_matrix:
        lengths = np.array([len(p) for p in self.paths], dtype=np.int64)
        rows = np.repeat(np.arange(len(self.paths)), lengths)
        cols = np.concatenate(list(self.paths)) if len(self.paths) else np.array([], np.int64)
        data = np.ones(len(cols))
        return csr_matrix((data, (rows, cols)), shape=(len(self.paths), self.n_nodes))


@dataclass(frozen=True)
class Solution:
    chosen: np.ndarray  # node indices
    removed: float  # value of flows with every known path cut
    upper_bound: float
    method: str  # milp | greedy | brute-force
    optimal: bool
    seconds: float

    @property
    def gap(self) -> float:
        """Relative optimality gap: (upper bound - value) / upper bound."""
        if self.upper_bound <= 0:
            return 0.0
        return max(0.0, (self.upper_bound - self.removed) / self.upper_bound)


def removed_value(problem: Problem, chosen: np.ndarray) -> float:
    """Value of the flows whose every known path meets a chosen node."""
    mask = np.zeros(problem.n_nodes)
    mask[np.asarray(chosen, dtype=np.int64)] = 1.0
    cut = np.asarray(problem.incidence() @ mask).ravel() > 0
    return float(_flows_removed(problem, cut) @ problem.values)


def _flows_removed(problem: Problem, cut: np.ndarray) -> np.ndarray:
    """Per flow: 1.0 when every one of its paths is cut."""
    uncut = np.zeros(problem.n_flows)
    np.add.at(uncut, problem.path_flow, (~cut).astype(float))
    removed: np.ndarray = (uncut == 0).astype(float)
    return removed


def _constraints(problem: Problem, budget: float) -> tuple[list[LinearConstraint], np.ndarray]:
    n, m, p = problem.n_nodes, problem.n_flows, len(problem.paths)
    inc = problem.incidence()
    pick = csr_matrix((np.ones(p), (np.arange(p), problem.path_flow)), shape=(p, m))
    # y_f - sum_{i in P} x_i <= 0 for every path; sum c_i x_i <= B.
    rows = hstack([-inc, pick]).tocsr()
    cost_row = hstack([csr_matrix(problem.costs.reshape(1, -1)), csr_matrix((1, m))]).tocsr()
    a = vstack([rows, cost_row]).tocsr()
    upper = np.concatenate([np.zeros(p), [budget]])
    c = -np.concatenate([np.zeros(n), problem.values])
    return [LinearConstraint(a, -np.inf, upper)], c


def solve_milp(problem: Problem, budget: float, time_limit: float = 60.0) -> Solution:
    started = time.perf_counter()
    constraints, c = _constraints(problem, budget)
    n, m = problem.n_nodes, problem.n_flows
    integrality = np.concatenate([np.ones(n), np.zeros(m)])
    result = milp(
        c,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit, "disp": False},
    )
    seconds = time.perf_counter() - started
    if result.x is None:
        return greedy(problem, budget)
    chosen = np.flatnonzero(result.x[:n] > 0.5)
    removed = removed_value(problem, chosen)
    optimal = result.status == 0
    bound = removed if optimal else removed / max(1e-12, 1 - float(result.mip_gap or 0.0))
    return Solution(chosen, removed, max(bound, removed), "milp", optimal, seconds)


def lp_bound(problem: Problem, budget: float) -> float:
    """The LP relaxation's optimum: no plan within ``budget`` removes more."""
    constraints, c = _constraints(problem, budget)
    lc = constraints[0]
    result = linprog(c, A_ub=lc.A, b_ub=lc.ub, bounds=(0, 1), method="highs")
    return float(-result.fun) if result.status == 0 else float(problem.values.sum())


def greedy(problem: Problem, budget: float, *, bound: bool = True) -> Solution:
    """Most removable value per unit cost first; only single-path flows count as
    removable by one node, so with several paths a flow counts once its last path is cut."""
    started = time.perf_counter()
    inc = problem.incidence().tocsc()
    cut = np.zeros(len(problem.paths), bool)
    chosen: list[int] = []
    spent = 0.0
    available = np.ones(problem.n_nodes, bool)
    while True:
        gains = _gains(problem, inc, cut)
        affordable = available & (problem.costs <= budget - spent + 1e-9)
        ratio = np.where(affordable & (gains > 0), gains / np.maximum(problem.costs, 1e-12), -1.0)
        best = int(np.argmax(ratio)) if len(ratio) else -1
        if best < 0 or ratio[best] <= 0:
            break
        chosen.append(best)
        spent += float(problem.costs[best])
        available[best] = False
        cut |= inc[:, best].toarray().ravel() > 0
    picked = np.array(chosen, dtype=np.int64)
    removed = removed_value(problem, picked)
    upper = lp_bound(problem, budget) if bound else removed
    return Solution(
        picked,
        removed,
        max(upper, removed),
        "greedy",
        upper <= removed + 1e-6,
        time.perf_counter() - started,
    )


def _gains(problem: Problem, inc: csr_matrix, cut: np.ndarray) -> np.ndarray:
    """Value each node would remove now: flows whose only uncut path runs through it."""
    uncut = np.zeros(problem.n_flows)
    np.add.at(uncut, problem.path_flow, (~cut).astype(float))
    last = (~cut) & (uncut[problem.path_flow] == 1)
    weights = np.where(last, problem.values[problem.path_flow], 0.0)
    return np.asarray(inc.T @ weights).ravel()


def brute_force(problem: Problem, budget: float) -> Solution:
    """Every affordable node set (exponential: tests and tiny graphs only)."""
    started = time.perf_counter()
    best, best_set = 0.0, np.array([], dtype=np.int64)
    nodes = range(problem.n_nodes)
    for size in range(problem.n_nodes + 1):
        for combo in itertools.combinations(nodes, size):
            idx = np.array(combo, dtype=np.int64)
            if problem.costs[idx].sum() > budget + 1e-9:
                continue
            value = removed_value(problem, idx)
            if value > best + 1e-9:
                best, best_set = value, idx
    return Solution(best_set, best, best, "brute-force", True, time.perf_counter() - started)


def pick_order(problem: Problem, chosen: np.ndarray) -> list[tuple[int, float]]:
    """The chosen nodes in the order a planner would take them: each time the one that
    removes most of what is left; with its marginal removed value."""
    remaining = [int(i) for i in chosen]
    taken: list[int] = []
    out: list[tuple[int, float]] = []
    before = 0.0
    while remaining:
        values = [removed_value(problem, np.array([*taken, i], dtype=np.int64)) for i in remaining]
        best = int(np.argmax(values))
        node = remaining.pop(best)
        taken.append(node)
        out.append((node, values[best] - before))
        before = values[best]
    return out
