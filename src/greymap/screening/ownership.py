"""The 50% rule: entities owned 50% or more by sanctioned parties, with the ownership path.

OFAC's rule (revised guidance of 13 August 2014, FAQ 398-402): an entity owned 50% or more,
directly or indirectly, in the aggregate, by one or more blocked persons is itself blocked.
"Indirectly" means through entities that are themselves blocked by the rule: if X is
sanctioned and owns 50% of A, and A owns 50% of B, then B is blocked too (A's stake counts
in full, it is blocked property). That is ``mode="ofac"``, the default. ``mode="multiply"``
instead multiplies shares along chains and sums parallel paths (effective economic
ownership: 50% of 50% is 25%), a stricter reading some screening teams use as a second view.

Shares come from FtM ``Ownership`` entities (``owner``, ``asset``, ``percentage``):

- ``percentage`` is text: ``50``, ``51.0``, ``50%``, ``25-50`` (a range: its **lower bound**
  counts, so the rule never flags on a share that may be smaller), ``>50`` (the bound);
  a missing or unreadable percentage counts as 0 and is listed as unknown;
- several records of one owner and asset (history: 50, 48, 51) are one stake: the largest
  of the records current on the day (``startDate`` not after it, ``endDate`` not before it;
  missing dates do not limit) counts;
- shares above 100 are taken as 100; cycles (A owns B owns A) are handled by the fixpoint.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

THRESHOLD = 0.5
_EPS = 1e-9
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True, slots=True)
class Stake:
    """One owner's share of one asset (the largest current Ownership record)."""

    owner: str
    asset: str
    share: float
    text: str


@dataclass(frozen=True, slots=True)
class Flag:
    """An entity the rule flags: the aggregate share and the stakes that make it."""

    entity_id: str
    share: float
    stakes: tuple[Stake, ...]
    paths: tuple[tuple[Stake, ...], ...] = field(default=())

    def explain(self, labels: Mapping[str, str] | None = None) -> str:
        """``owned 51.0% in aggregate by sanctioned parties; path: ZAKHAROV -51%-> CST``."""
        names = labels or {}
        paths = "; ".join(render_path(p, names) for p in self.paths)
        return f"owned {self.share:.1%} in aggregate by sanctioned parties; path: {paths}"


def render_path(chain: Sequence[Stake], labels: Mapping[str, str]) -> str:
    """``A -60%-> B -50%-> C`` with labels for the ids."""
    if not chain:
        return ""
    text = labels.get(chain[0].owner, chain[0].owner)
    for stake in chain:
        text += f" -{stake.share:.0%}-> {labels.get(stake.asset, stake.asset)}"
    return text


def parse_share(text: str | None) -> float | None:
    """A percentage text as a fraction; ranges give their lower bound; ``None`` if unreadable.

    >>> parse_share("25-50"), parse_share("51.0"), parse_share(">50%"), parse_share("n/a")
    (0.25, 0.51, 0.5, None)
    """
    if not text:
        return None
    numbers = [float(n.replace(",", ".")) for n in _NUMBER.findall(text)]
    if not numbers:
        return None
    return min(1.0, max(0.0, min(numbers) / 100.0))


def stakes_from_ftm(
    ownerships: Iterable[Mapping[str, Any]], today: date | None = None
) -> list[Stake]:
    """Stakes from FtM Ownership entity dicts: one per owner and asset (see module doc)."""
    today_iso = (today or date.today()).isoformat()
    best: dict[tuple[str, str], Stake] = {}
    for entity in ownerships:
        props: Mapping[str, Sequence[str]] = entity.get("properties") or {}
        ended = any(d and d[:10] < today_iso for d in props.get("endDate", ()))
        future = any(d and d[:10] > today_iso for d in props.get("startDate", ()))
        if ended or future:
            continue
        texts = list(props.get("percentage", ())) or [""]
        share = max((parse_share(t) or 0.0) for t in texts)
        text = next((t for t in texts if parse_share(t) == share), texts[0])
        for owner in props.get("owner", ()):
            for asset in props.get("asset", ()):
                old = best.get((owner, asset))
                if old is None or share > old.share:
                    best[(owner, asset)] = Stake(owner, asset, share, text)
    return list(best.values())


def apply_rule(
    stakes: Iterable[Stake], sanctioned: Iterable[str], mode: str = "ofac"
) -> dict[str, Flag]:
    """Entities the 50% rule flags (not the sanctioned themselves), keyed by id."""
    owners_of: dict[str, list[Stake]] = defaultdict(list)
    assets_of: dict[str, list[Stake]] = defaultdict(list)
    for stake in stakes:
        if stake.owner != stake.asset:
            owners_of[stake.asset].append(stake)
            assets_of[stake.owner].append(stake)
    roots = set(sanctioned)
    if mode == "ofac":
        shares = _propagate(owners_of, assets_of, roots)
    elif mode == "multiply":
        shares = _multiply(owners_of, roots)
    else:
        raise ValueError(f"unknown ownership mode {mode!r}; expected 'ofac' or 'multiply'")
    flagged = {a for a, s in shares.items() if a not in roots and s >= THRESHOLD - _EPS}
    blocked = roots | flagged
    return {
        a: Flag(
            a,
            shares[a],
            _contributors(owners_of[a], blocked, shares, roots),
            tuple(_paths(a, owners_of, blocked, roots)),
        )
        for a in sorted(flagged)
    }


def _propagate(
    owners_of: Mapping[str, list[Stake]], assets_of: Mapping[str, list[Stake]], roots: set[str]
) -> dict[str, float]:
    """OFAC: stakes of blocked owners count in full; flagging spreads until nothing changes."""
    blocked = set(roots)
    shares: dict[str, float] = {}
    queue = [s.asset for r in roots for s in assets_of.get(r, ())]
    while queue:
        asset = queue.pop()
        if asset in blocked:
            continue
        held = sum(s.share for s in owners_of.get(asset, ()) if s.owner in blocked)
        shares[asset] = held
        if held >= THRESHOLD - _EPS:
            blocked.add(asset)
            queue.extend(s.asset for s in assets_of.get(asset, ()))
    return shares


def _multiply(owners_of: Mapping[str, list[Stake]], roots: set[str]) -> dict[str, float]:
    """Effective ownership: shares multiplied along chains, parallel paths summed.

    Iterated to a fixpoint; a cycle's contribution shrinks geometrically (shares < 1)."""
    value: dict[str, float] = {r: 1.0 for r in roots}
    for _ in range(100):
        change = 0.0
        for asset, stakes in owners_of.items():
            if asset in roots:
                continue
            new = min(1.0, sum(s.share * value.get(s.owner, 0.0) for s in stakes))
            change = max(change, abs(new - value.get(asset, 0.0)))
            value[asset] = new
        if change < 1e-12:
            break
    return {a: v for a, v in value.items() if a not in roots}


def _contributors(
    stakes: list[Stake], blocked: set[str], shares: Mapping[str, float], roots: set[str]
) -> tuple[Stake, ...]:
    useful = [s for s in stakes if s.owner in blocked or shares.get(s.owner, 0.0) > 0]
    return tuple(sorted(useful, key=lambda s: (-s.share, s.owner)))


def _paths(
    asset: str, owners_of: Mapping[str, list[Stake]], blocked: set[str], roots: set[str]
) -> list[tuple[Stake, ...]]:
    """Chains of stakes from a sanctioned party down to ``asset`` (at most five)."""
    out: list[tuple[Stake, ...]] = []

    def walk(node: str, chain: tuple[Stake, ...], seen: frozenset[str]) -> None:
        for stake in sorted(owners_of.get(node, ()), key=lambda s: (-s.share, s.owner)):
            if stake.owner in seen or stake.share <= 0 or len(out) >= 5:
                continue
            step = (stake, *chain)
            if stake.owner in roots:
                out.append(step)
            elif len(chain) < 8:
                walk(stake.owner, step, seen | {stake.owner})

    walk(asset, (), frozenset({asset}))
    return sorted(out, key=lambda c: (len(c), -math.prod(s.share for s in c), [s.owner for s in c]))
