"""Interdiction: the MILP equals brute force; rerouting and the robust plan on hand-made
graphs whose outcome is worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from greymap.network.interdict import InterdictParams, flow_set, naive_plan, robust_plan, summarise
from greymap.network.milp import Problem, brute_force, greedy, lp_bound, pick_order, solve_milp
from greymap.network.reroute import RerouteParams, reroute
from tests.network.factory import layer


def _random_problem(rng: np.random.Generator, multi: bool) -> Problem:
    n, m = int(rng.integers(4, 9)), int(rng.integers(3, 12))
    paths, owner = [], []
    for f in range(m):
        for _ in range(int(rng.integers(1, 3)) if multi else 1):
            size = int(rng.integers(1, 4))
            paths.append(np.sort(rng.choice(n, size=size, replace=False)))
            owner.append(f)
    costs = rng.integers(1, 4, n).astype(float) if multi else np.ones(n)
    return Problem(rng.uniform(1, 100, m), costs, paths, np.array(owner))


@pytest.mark.parametrize("multi", [False, True])
def test_milp_equals_brute_force_on_random_small_problems(multi: bool) -> None:
    rng = np.random.default_rng(42 + multi)
    for _ in range(25):
        problem = _random_problem(rng, multi)
        budget = float(rng.integers(1, 4))
        exact = brute_force(problem, budget)
        milp = solve_milp(problem, budget)
        assert milp.optimal and milp.gap == 0.0
        assert milp.removed == pytest.approx(exact.removed)
        assert problem.costs[milp.chosen].sum() <= budget
        heuristic = greedy(problem, budget)
        assert heuristic.removed <= exact.removed + 1e-9
        assert lp_bound(problem, budget) >= exact.removed - 1e-6


def test_pick_order_takes_the_most_valuable_first() -> None:
    # Flow values 10 (node 0), 30 (node 1), 5 (nodes 0 or 2).
    problem = Problem(
        np.array([10.0, 30.0, 5.0]),
        np.ones(3),
        [np.array([0]), np.array([1]), np.array([0, 2])],
        np.arange(3),
    )
    solution = solve_milp(problem, 2)
    assert sorted(solution.chosen.tolist()) == [0, 1]
    assert pick_order(problem, solution.chosen) == [(1, 30.0), (0, 15.0)]


def _two_hubs():
    # Suspicious flow AAA -> ZZZ through hub H (cheap) and a little through hub K.
    # Every path is framed by src:AAA ... dst:ZZZ on the port layer.
    return layer(
        [
            (["P1", "H", "P2"], 100.0, 1.0, ["tobacco"]),
            (["P1", "K", "P2"], 10.0, 1.0, ["tobacco"]),
        ]
    )


def test_controlled_hub_reroutes_to_the_other_when_affordable() -> None:
    params = InterdictParams(budget=1, reroute=RerouteParams(reroute_cost=0.0, max_cost_ratio=2.0))
    flows = flow_set(_two_hubs(), params)
    h = flows.node_ids.index("H")
    outcome = reroute(flows.network, np.array([h]), params.reroute)
    values = flows.network.values
    assert outcome.removed_before(values) == 100.0
    assert outcome.removed_after(values) == 0.0  # it went through K instead
    assert outcome.rerouted(values) == 100.0
    rerouted = next(iter(outcome.new_paths.values()))
    assert [flows.node_ids[i] for i in rerouted] == ["src:AAA", "P1", "K", "P2", "dst:ZZZ"]


def test_rerouting_too_costly_removes_the_flow() -> None:
    params = InterdictParams(budget=1, reroute=RerouteParams(reroute_cost=100.0))
    flows = flow_set(_two_hubs(), params)
    h = flows.node_ids.index("H")
    outcome = reroute(flows.network, np.array([h]), params.reroute)
    assert outcome.removed_after(flows.network.values) == 100.0


def test_robust_plan_cuts_what_rerouting_cannot_avoid() -> None:
    # Country layer. AAA -> ZZZ goes through H (100) or K (10); BBB -> YYY only through M
    # (60). Naive control of H removes 100, but the flow reroutes through K: nothing is
    # left removed. The robust plan learns the detour and takes M: 60, after rerouting too.
    built = layer(
        [
            (["AAA", "H", "ZZZ"], 100.0, 1.0, ["tobacco"]),
            (["AAA", "K", "ZZZ"], 10.0, 1.0, ["tobacco"]),
            (["BBB", "M", "YYY"], 60.0, 1.0, ["wildlife"]),
        ],
        name="country",
    )
    params = InterdictParams(budget=1, reroute=RerouteParams(reroute_cost=0.0, max_cost_ratio=3.0))
    flows = flow_set(built, params)
    _, naive = naive_plan(flows, params)
    naive_summary = summarise(flows, naive, params, "naive")
    assert naive_summary.nodes == ["H"]
    assert naive_summary.removed_before_usd == 100.0
    assert naive_summary.removed_after_usd == 0.0
    _, robust, rounds = robust_plan(flows, params)
    robust_summary = summarise(flows, robust, params, "robust", rounds)
    assert robust_summary.nodes == ["M"]
    assert robust_summary.removed_before_usd == robust_summary.removed_after_usd == 60.0
    assert rounds == 2


def test_country_layer_cannot_control_a_flow_s_own_ends() -> None:
    built = layer([(["AAA", "HUB", "ZZZ"], 50.0, 1.0, ["wildlife"])], name="country")
    flows = flow_set(built, InterdictParams(budget=1))
    assert [flows.node_ids[i] for i in flows.candidates] == ["HUB"]
