"""The 50% rule: a firm is blocked when listed parties (or firms they block) own half of it.

This is the reading of OFAC's 50% rule the ground truth uses: the direct stakes of all
blocked owners are added up, and a firm whose blocked owners hold 50% or more is blocked
itself, so blocking passes down chains of majority stakes (a listed person with 60% of A,
A with 50% of B: B is blocked) and adds up across owners (two listed people with 30% and
25%: blocked). Stakes are not multiplied along a chain.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

THRESHOLD = 50.0


def blocked_by_ownership(
    stakes: Iterable[tuple[str, str, float]], listed: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """Assets blocked through ownership (listed parties themselves excluded).

    ``stakes`` are ``(owner, asset, percentage)``. Each result holds the aggregate stake of
    blocked owners, those owners, and one chain from a listed party down to the asset.

    >>> out = blocked_by_ownership([("P", "A", 60), ("A", "B", 50), ("B", "C", 30)], ["P"])
    >>> sorted(out), out["B"]["aggregate_pct"], [s["asset"] for s in out["B"]["path"]]
    (['A', 'B'], 50.0, ['A', 'B'])
    """
    owners_of: dict[str, list[tuple[str, float]]] = {}
    for owner, asset, pct in stakes:
        owners_of.setdefault(asset, []).append((owner, float(pct)))
    roots = set(listed)
    blocked: dict[str, dict[str, Any]] = {}
    changed = True
    while changed:
        changed = False
        for asset in sorted(owners_of):
            if asset in roots or asset in blocked:
                continue
            holders = [(o, p) for o, p in owners_of[asset] if o in roots or o in blocked]
            total = round(sum(p for _, p in holders), 6)
            if total >= THRESHOLD:
                blocked[asset] = {"aggregate_pct": total, "owners": sorted(o for o, _ in holders)}
                changed = True
    for asset, info in blocked.items():
        info["path"] = _path(asset, owners_of, roots, blocked)
    return blocked


def _path(
    asset: str,
    owners_of: dict[str, list[tuple[str, float]]],
    roots: set[str],
    blocked: dict[str, dict[str, Any]],
) -> list[dict[str, Any]]:
    """From a listed party down to ``asset``, following the largest blocked stake."""
    steps: list[dict[str, Any]] = []
    current = asset
    while current not in roots and len(steps) < 50:
        holders = [(o, p) for o, p in owners_of[current] if o in roots or o in blocked]
        owner, pct = max(holders, key=lambda h: (h[1], h[0]))
        steps.append({"owner": owner, "asset": current, "percentage": pct})
        current = owner
    return steps[::-1]
