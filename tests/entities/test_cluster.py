"""Constrained clustering: chains stopped by conflicting facts, analysts' decisions applied."""

from __future__ import annotations

from greymap.entities.cluster import NodeFacts, cluster


def facts(
    country: str | None = None, form: str | None = None, born: str | None = None
) -> NodeFacts:
    return NodeFacts(
        frozenset([country] if country else []),
        frozenset([form] if form else []),
        frozenset([born] if born else []),
    )


def groups(labels: list[int]) -> set[frozenset[int]]:
    out: dict[int, set[int]] = {}
    for node, label in enumerate(labels):
        out.setdefault(label, set()).add(node)
    return {frozenset(g) for g in out.values()}


def test_a_record_without_country_does_not_chain_two_countries() -> None:
    # 0 = Stern Pharma GmbH (DEU), 1 = Stern Pharma (no country), 2 = Stern Pharma B.V. (FRO)
    nodes = [facts("DEU"), facts(), facts("FRO")]
    edges = [(0, 1, 0.9, False), (1, 2, 0.8, False)]
    assert groups(cluster(nodes, edges)) == {frozenset({0, 1}), frozenset({2})}


def test_plain_connected_components_would_chain() -> None:
    nodes = [facts(), facts(), facts()]
    edges = [(0, 1, 0.9, False), (1, 2, 0.8, False)]
    assert groups(cluster(nodes, edges)) == {frozenset({0, 1, 2})}


def test_generic_legal_forms_conflict() -> None:
    nodes = [facts("GBR", "jsc"), facts("GBR"), facts("GBR", "llc")]
    edges = [(1, 2, 0.95, False), (0, 1, 0.9, False)]
    assert groups(cluster(nodes, edges)) == {frozenset({0}), frozenset({1, 2})}


def test_birth_dates_agree_with_their_year_only() -> None:
    nodes = [facts(born="1964-03-09"), facts(born="1964"), facts(born="1964-04-25")]
    edges = [(0, 1, 0.9, False), (1, 2, 0.8, False)]
    assert groups(cluster(nodes, edges)) == {frozenset({0, 1}), frozenset({2})}


def test_a_shared_identifier_overrides_facts_but_not_analysts() -> None:
    nodes = [facts("IRQ"), facts("SYR")]
    assert groups(cluster(nodes, [(0, 1, 0.99, True)])) == {frozenset({0, 1})}
    assert groups(cluster(nodes, [(0, 1, 0.99, True)], different=[(0, 1)])) == {
        frozenset({0}),
        frozenset({1}),
    }


def test_different_splits_along_the_weakest_link() -> None:
    # a chain 0-1-2-3 whose weakest pair is 1-2: saying 0 and 3 differ cuts it there
    nodes = [facts() for _ in range(4)]
    edges = [(0, 1, 0.99, False), (1, 2, 0.6, False), (2, 3, 0.95, False)]
    assert groups(cluster(nodes, edges)) == {frozenset({0, 1, 2, 3})}
    split = cluster(nodes, edges, different=[(0, 3)])
    assert groups(split) == {frozenset({0, 1}), frozenset({2, 3})}


def test_same_merges_what_no_pair_joins_and_overrides_facts() -> None:
    nodes = [facts("ARE"), facts("OMN"), facts()]
    assert groups(cluster(nodes, [], same=[(0, 1)])) == {frozenset({0, 1}), frozenset({2})}


def test_vessels_with_different_imo_numbers_stay_apart() -> None:
    ship = [
        NodeFacts(unique_ids=frozenset({"9074729"})),
        NodeFacts(),
        NodeFacts(unique_ids=frozenset({"9321483"})),
    ]
    edges = [(0, 1, 0.9, False), (1, 2, 0.9, False)]
    assert groups(cluster(ship, edges)) == {frozenset({0, 1}), frozenset({2})}
