"""Clustering scored pairs into entities, with constraints that stop chains.

Plain connected components chain: a notify party written ``Stern Pharma`` (no country, no
legal form) matches both ``Stern Pharma GmbH`` of Germany and ``Stern Pharma B.V.`` of the
Faroes, and joins two firms that every direct comparison tells apart. So pairs are merged
strongest first (Kruskal's order, i.e. single linkage) and a merge is refused when the two
clusters *conflict*:

* both know their countries and share none;
* both are organisations that know their generic legal form and share none
  (``GmbH`` and ``B.V.``, ``PLC`` and ``Ltd``);
* both are people with birth dates and none that agree (a bare year agrees with its dates);
* both are vessels with IMO numbers and share none;
* an analyst said two of their records are different (``resolution_decisions``).

An edge whose profiles share an identifier (passport, IMO or registration number) overrides
the attribute conflicts, not an analyst's decision. Analysts' ``same`` decisions are merged
first, before any scored pair. A ``different`` decision between records already merged
therefore splits their cluster along its weakest links: the strongest pairs still merge,
and the first pair that would join the two sides is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class NodeFacts:
    """What a profile says that another cluster may contradict."""

    countries: frozenset[str] = frozenset()
    forms: frozenset[str] = frozenset()
    #: ISO dates or bare years
    birth_dates: frozenset[str] = frozenset()
    #: identifiers that name one thing only (a vessel's IMO number)
    unique_ids: frozenset[str] = frozenset()


@dataclass(slots=True)
class _Root:
    facts: NodeFacts
    size: int = 1
    #: nodes named in cannot-link pairs: those this cluster holds, those it must not join
    members: set[int] = field(default_factory=set)
    forbidden: set[int] = field(default_factory=set)


def _dates_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Full dates must share one; bare years must share one (a year agrees with its dates)."""
    full_a, full_b = {d for d in a if len(d) > 4}, {d for d in b if len(d) > 4}
    if full_a and full_b and not full_a & full_b:
        return False
    return bool({d[:4] for d in a} & {d[:4] for d in b})


def _conflict(a: NodeFacts, b: NodeFacts) -> bool:
    for x, y in ((a.countries, b.countries), (a.forms, b.forms), (a.unique_ids, b.unique_ids)):
        if x and y and not x & y:
            return True
    return bool(a.birth_dates and b.birth_dates and not _dates_agree(a.birth_dates, b.birth_dates))


def _merge(a: NodeFacts, b: NodeFacts) -> NodeFacts:
    return NodeFacts(
        a.countries | b.countries,
        a.forms | b.forms,
        a.birth_dates | b.birth_dates,
        a.unique_ids | b.unique_ids,
    )


class ConstrainedClusters:
    """Union-find whose unions respect :class:`NodeFacts` and cannot-link pairs."""

    def __init__(self, facts: Sequence[NodeFacts], cannot_link: Iterable[tuple[int, int]] = ()):
        self.parent = list(range(len(facts)))
        self.roots: dict[int, _Root] = {i: _Root(f) for i, f in enumerate(facts)}
        for a, b in cannot_link:
            for x, y in ((a, b), (b, a)):
                self.roots[x].forbidden.add(y)
                self.roots[x].members.add(x)

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int, *, override_facts: bool = False) -> bool:
        """Merge the clusters of ``a`` and ``b`` unless they conflict; True if merged."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        root_a, root_b = self.roots[ra], self.roots[rb]
        if root_a.forbidden & root_b.members or root_b.forbidden & root_a.members:
            return False
        if not override_facts and _conflict(root_a.facts, root_b.facts):
            return False
        if root_a.size < root_b.size:
            ra, rb, root_a, root_b = rb, ra, root_b, root_a
        self.parent[rb] = ra
        root_a.size += root_b.size
        root_a.facts = _merge(root_a.facts, root_b.facts)
        root_a.forbidden |= root_b.forbidden
        root_a.members |= root_b.members
        del self.roots[rb]
        return True

    def labels(self) -> list[int]:
        return [self.find(i) for i in range(len(self.parent))]


def cluster(
    facts: Sequence[NodeFacts],
    edges: Iterable[tuple[int, int, float, bool]],
    *,
    same: Iterable[tuple[int, int]] = (),
    different: Iterable[tuple[int, int]] = (),
) -> list[int]:
    """Cluster labels (a node index per cluster) for ``facts``.

    ``edges`` are ``(a, b, probability, identifier_match)`` above the match threshold;
    ``same`` and ``different`` are analysts' decisions between nodes.
    """
    clusters = ConstrainedClusters(facts, different)
    for a, b in same:
        clusters.union(a, b, override_facts=True)
    for a, b, _, id_match in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):
        clusters.union(a, b, override_facts=id_match)
    return clusters.labels()
