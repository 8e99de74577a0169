"""Gould-Fernandez brokerage roles, counted on shipments and weighted by suspicion.

A broker ``b`` stands between ``a`` and ``c`` when goods go from ``a`` to ``c`` through
``b``. Shipments show two such triads:

* a third party to notify: shipper ``a``, notify party ``b``, consignee ``c``;
* re-consignment: ``a`` ships to ``b`` and, within 90 days, ``b`` ships the same goods (HS
  code) to ``c``.

With each party in a group (its country), Gould and Fernandez (1989) name the broker's role
by who belongs with whom:

| role | groups | reads as |
| --- | --- | --- |
| coordinator | a = b = c | a local go-between |
| itinerant (consultant) | a = c != b | an outsider brokering within another country |
| representative | a = b != c | speaks for its country's sellers abroad |
| gatekeeper | b = c != a | controls what enters its country |
| liaison | a, b, c all different | bridges two countries from a third |

Each triad counts its suspicion (that of the shipment, or the larger of the two legs'), so
a forwarder that notifies for thousands of clean shipments brokers a lot and scores little.
:func:`brokerage_roles` pivots the counts into the table ``brokerage`` for
:func:`brokerage_roles_from_triads` (the same counting over hand-made triads, for tests).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from greymap.workspace import Workspace

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")

#: How much each role says about an illicit middleman: cross-border bridging most.
ROLE_WEIGHTS: dict[str, float] = {
    "coordinator": 0.2,
    "itinerant": 0.8,
    "representative": 0.6,
    "gatekeeper": 0.6,
    "liaison": 1.0,
}

#: Days within which an onward shipment of the same goods counts as re-consignment.
RECONSIGN_DAYS = 90


def role(a: str | None, b: str | None, c: str | None) -> str | None:
    """The Gould-Fernandez role of broker ``b`` between ``a`` and ``c`` (their groups);
    None when a group is unknown.

    >>> role("LKA", "ARE", "TUR")
    'liaison'
    >>> role("CHN", "CHN", "USA")
    'representative'
    """
    if a is None or b is None or c is None:
        return None
    if a == b == c:
        return "coordinator"
    if a == c:
        return "itinerant"
    if a == b:
        return "representative"
    if b == c:
        return "gatekeeper"
    return "liaison"


@dataclass(frozen=True)
class Triad:
    a: str
    broker: str
    c: str
    suspicion: float = 1.0


def brokerage_roles_from_triads(
    triads: Iterable[Triad], group: Mapping[str, str]
) -> dict[str, dict[str, float]]:
    """Per broker, the suspicion-weighted count of each role (the pure form of the SQL)."""
    out: dict[str, dict[str, float]] = {}
    for t in triads:
        r = role(group.get(t.a), group.get(t.broker), group.get(t.c))
        if r is None or len({t.a, t.broker, t.c}) < 3:
            continue
        counts = out.setdefault(t.broker, dict.fromkeys(ROLES, 0.0))
        counts[r] += t.suspicion
    return out


TRIADS_SQL = f"""
CREATE OR REPLACE TEMP TABLE broker_triads AS
SELECT notify AS broker, shipper AS a, consignee AS c, 'notify' AS via,
    shipment_id AS evidence, suspicion, value_usd, hs_code
FROM shipment_parties
WHERE notify IS NOT NULL AND shipper IS NOT NULL AND consignee IS NOT NULL
    AND notify NOT IN (shipper, consignee) AND shipper <> consignee
UNION ALL
SELECT s1.consignee, s1.shipper, s2.consignee, 'reconsignment',
    s1.shipment_id || ' > ' || s2.shipment_id, greatest(s1.suspicion, s2.suspicion),
    least(s1.value_usd, s2.value_usd), s1.hs_code
FROM shipment_parties s1
JOIN shipment_parties s2 ON s2.shipper = s1.consignee AND s2.hs_code = s1.hs_code
    AND s2.arrival_date BETWEEN s1.arrival_date
        AND s1.arrival_date + INTERVAL {RECONSIGN_DAYS} DAY
WHERE s1.shipper IS NOT NULL AND s2.consignee IS NOT NULL
    AND s1.shipper <> s1.consignee AND s2.consignee NOT IN (s1.consignee, s1.shipper)
"""

ROLES_SQL = """
CREATE OR REPLACE TABLE brokerage AS
WITH typed AS (
    SELECT t.*, ga.country AS ga, gb.country AS gb, gc.country AS gc,
        CASE WHEN ga.country IS NULL OR gb.country IS NULL OR gc.country IS NULL THEN 'unknown'
             WHEN ga.country = gb.country AND gb.country = gc.country THEN 'coordinator'
             WHEN ga.country = gc.country THEN 'itinerant'
             WHEN ga.country = gb.country THEN 'representative'
             WHEN gb.country = gc.country THEN 'gatekeeper'
             ELSE 'liaison' END AS role,
        coalesce(sh.sector, 'HS' || t.hs_code[:2]) AS sector
    FROM broker_triads t
    LEFT JOIN resolved_entities ga ON ga.cluster_id = t.a
    LEFT JOIN resolved_entities gb ON gb.cluster_id = t.broker
    LEFT JOIN resolved_entities gc ON gc.cluster_id = t.c
    LEFT JOIN (SELECT DISTINCT ON (hs) hs, sector FROM (
        SELECT DISTINCT t2.hs_code AS hs, r.sector, length(r.hs_prefix) AS n
        FROM broker_triads t2 JOIN ref_sector_hs r ON starts_with(t2.hs_code, r.hs_prefix))
        ORDER BY hs, n DESC) sh ON sh.hs = t.hs_code
)
SELECT broker AS cluster_id, count(*) AS triads, sum(suspicion) AS flagged_triads,
    sum(value_usd * suspicion) AS suspicious_usd,
    sum(suspicion) FILTER (WHERE role = 'coordinator') AS coordinator,
    sum(suspicion) FILTER (WHERE role = 'itinerant') AS itinerant,
    sum(suspicion) FILTER (WHERE role = 'representative') AS representative,
    sum(suspicion) FILTER (WHERE role = 'gatekeeper') AS gatekeeper,
    sum(suspicion) FILTER (WHERE role = 'liaison') AS liaison,
    sum(suspicion) FILTER (WHERE role = 'unknown') AS unknown_role,
    count(DISTINCT sector) FILTER (WHERE suspicion >= 0.3) AS flagged_sectors,
    list_sort(list_distinct(list(sector) FILTER (WHERE suspicion >= 0.3))) AS sectors,
    count(DISTINCT ga) FILTER (WHERE suspicion >= 0.3) AS origins,
    count(DISTINCT gc) FILTER (WHERE suspicion >= 0.3) AS destinations,
    list(evidence ORDER BY suspicion DESC)[:5] AS evidence
FROM typed GROUP BY broker
"""


def brokerage_roles(workspace: Workspace) -> int:
    """Write ``broker_triads`` (temporary) and ``brokerage`` (one row per broker) from
    ``shipment_parties`` (see :mod:`greymap.entities.graph`); returns the brokers."""
    from greymap.reference.register import register_sector_hs

    register_sector_hs(workspace.con)
    workspace.con.execute(TRIADS_SQL)
    workspace.con.execute(ROLES_SQL)
    return int(workspace.scalar("SELECT count(*) FROM brokerage") or 0)
