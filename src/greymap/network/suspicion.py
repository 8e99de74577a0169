"""How suspicious one shipment is: a weight in [0, 1] with the evidence behind it.

Choke points are judged by *suspicious* value, not volume, so every bill of lading gets a
weight ``w``; its suspicious value is ``w * declared value``. The weight combines what the
other analyses already know, each piece turned into a probability-like strength
``p in [0, 1]`` and given a weight ``a`` (:class:`SuspicionWeights`), then combined as a
noisy-OR, ``w = 1 - prod(1 - a_i * p_i)``: independent reasons add up, none alone can
exceed its own weight, and a shipment nobody has anything against gets 0.

| evidence | p | default a |
| --- | --- | --- |
| ``price``: the shipment's price anomaly (``price_anomalies``) | ``(abs(z) - z_low) / (z_high - z_low)`` clipped | 0.5 |
| ``route``: detour and origin laundering (``route_anomalies``, seizure part left out) | ``1 - exp(-points / route_scale)`` | 0.65 |
| ``mirror``: mirror gap of a country pair on the route, same product and year (``mirror_gaps``) | ``(score - low) / (high - low)`` clipped | 0.4 |
| ``seized``: this bill is named in a seizure record | 1 | 0.8 |
| ``seized_party``: a party named in ``n`` other seizure records | ``1 - exp(-n / 2)`` | 0.6 |
| ``corridor``: seizures naming a transit country on the route and its ends | ``1 - exp(-n / 2)`` | 0.3 |
| ``watch_list``: a party's name matches a listed entity (fingerprint) | 1 | 0.7 |
| ``vessel``: the vessel's IMO number is listed | 1 | 0.25 |
| ``proximity``: a party traded with a flagged party (seized or listed) elsewhere | 1 | 0.1 |

A missing evidence table contributes nothing; its absence is noted in the result
(``notes``) so an explanation can say what was not considered. The plan also links a bill
to its *onward* bill (``next_rid``): goods unladed at a port and shipped on from the same
port within ``chain_days``, by the consignee of the first bill with the same weight (within
``chain_weight_tolerance``) or by anyone with the very same weight (to 0.1 kg: names vary,
the goods do not) -- the re-consignment a free-zone middleman does -- so the layers see one
journey through the hub, not two.

Written as one :class:`~greymap.engine.Plan` (DuckDB SQL; Spark runs it transpiled).
Defaults were set on synthetic worlds of seeds 1-5 (docs/chokepoints.md).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass

from greymap.engine import Plan, Step

TABLE = "shipment_suspicion"

#: Evidence tables, the component each feeds, and what a missing one means.
OPTIONAL_INPUTS = {
    "price_anomalies": "price (run `greymap flows prices`)",
    "route_anomalies": "route (run `greymap flows routes`)",
    "mirror_gaps": "mirror (run `greymap flows mirror`)",
    "incidents": "seized, seized_party, corridor (ingest seizure records)",
}


@dataclass(frozen=True)
class SuspicionWeights:
    """Weights and scales of the evidence; stored with every run."""

    price: float = 0.5
    price_z_low: float = 2.5
    price_z_high: float = 6.0
    route: float = 0.65
    route_scale: float = 1.5
    mirror: float = 0.4
    mirror_low: float = 3.0
    mirror_high: float = 30.0
    seized: float = 0.8
    seized_party: float = 0.6
    seized_party_scale: float = 2.0
    corridor: float = 0.3
    corridor_scale: float = 2.0
    watch_list: float = 0.7
    vessel: float = 0.25
    proximity: float = 0.1
    chain_days: int = 120
    chain_weight_tolerance: float = 0.05

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _ship() -> Step:
    return Step(
        "ns_ship",
        """SELECT concat(CAST(s.ingest_id AS VARCHAR), ':', CAST(s.source_row AS VARCHAR)) AS rid,
                  s.shipment_id, s.arrival_date, year(s.arrival_date) AS year, s.hs_code,
                  coalesce(s.declared_value_usd, 0.0) AS value_usd,
                  coalesce(s.origin_country, s.shipper_country) AS origin,
                  coalesce(s.destination_country, s.consignee_country) AS destination,
                  s.shipper_country, s.consignee_country,
                  s.port_of_lading AS lading, s.transshipment_ports AS ts,
                  s.port_of_unlading AS unlading,
                  regexp_replace(s.vessel_imo, '[^0-9]', '', 'g') AS imo,
                  s.weight_kg, s.shipper_name, s.consignee_name, s.notify_party_name,
                  ks.party_key AS shipper_key, kc.party_key AS consignee_key,
                  kn.party_key AS notify_key
           FROM shipments s
           LEFT JOIN net_party_keys ks ON ks.name = s.shipper_name
           LEFT JOIN net_party_keys kc ON kc.name = s.consignee_name
           LEFT JOIN net_party_keys kn ON kn.name = s.notify_party_name""",
    )


def _stops() -> Step:
    # UNNEST ... WITH ORDINALITY counts from 1 on DuckDB and 0 on Spark: only order matters.
    return Step(
        "ns_stops",
        """SELECT u.rid, u.seq, u.locode, p.country
           FROM (SELECT rid, -1 AS seq, lading AS locode FROM ns_ship WHERE lading IS NOT NULL
                 UNION ALL
                 SELECT r.rid, t.pos AS seq, t.port AS locode
                 FROM ns_ship r CROSS JOIN UNNEST(r.ts) WITH ORDINALITY AS t(port, pos)
                 UNION ALL
                 SELECT rid, 100000 AS seq, unlading AS locode FROM ns_ship
                 WHERE unlading IS NOT NULL) u
           LEFT JOIN ref_port p ON p.locode = u.locode""",
    )


def _countries() -> Step:
    """Every country a shipment touches, with its position (0 origin, 2 destination)."""
    return Step(
        "ns_country",
        """SELECT DISTINCT rid, country, pos FROM (
               SELECT rid, origin AS country, 0 AS pos FROM ns_ship
               UNION ALL SELECT rid, destination, 2 FROM ns_ship
               UNION ALL SELECT rid, country, 1 FROM ns_stops) c
           WHERE country IS NOT NULL""",
    )


def _sectors() -> Step:
    return Step(
        "ns_sector",
        """SELECT s.rid, array_to_string(array_sort(array_agg(DISTINCT r.sector)), ';') AS sectors
           FROM ns_ship s JOIN ref_sector_hs r
             ON substring(s.hs_code, 1, length(r.hs_prefix)) = r.hs_prefix
           GROUP BY s.rid""",
    )


def _price(w: SuspicionWeights, present: bool) -> Step:
    if not present:
        return Step("ns_price", "SELECT NULL AS shipment_id, 0.0 AS p, NULL AS why WHERE FALSE")
    lo, hi = float(w.price_z_low), float(w.price_z_high)
    return Step(
        "ns_price",
        f"""SELECT shipment_id,
                   least(1.0, greatest(0.0, (max(abs(robust_z)) - {lo}) / {hi - lo})) AS p,
                   concat('price ', max_by(direction, abs(robust_z)), ', robust z ',
                          CAST(round(max_by(robust_z, abs(robust_z)), 1) AS VARCHAR)) AS why
            FROM price_anomalies WHERE source = 'shipment' AND shipment_id IS NOT NULL
            GROUP BY shipment_id HAVING max(abs(robust_z)) > {lo}""",
    )


def _route(w: SuspicionWeights, present: bool) -> Step:
    if not present:
        return Step("ns_route", "SELECT NULL AS shipment_id, 0.0 AS p, NULL AS why WHERE FALSE")
    return Step(
        "ns_route",
        f"""SELECT shipment_id, 1 - exp(-max(pts) / {float(w.route_scale)}) AS p,
                   concat('route: ', max_by(reasons, pts)) AS why
            FROM (SELECT shipment_id, reasons,
                         coalesce(detour_score, 0.0) + coalesce(laundering_score, 0.0) AS pts
                  FROM route_anomalies) r
            WHERE pts > 0 GROUP BY shipment_id""",
    )


def _mirror(w: SuspicionWeights, present: bool) -> tuple[Step, ...]:
    if not present:
        return (Step("ns_mirror", "SELECT NULL AS rid, 0.0 AS p, NULL AS why WHERE FALSE"),)
    lo, hi = float(w.mirror_low), float(w.mirror_high)
    pairs = Step(
        "ns_pairs",
        """SELECT DISTINCT a.rid, a.country AS exporter, b.country AS importer
           FROM ns_country a JOIN ns_country b
             ON a.rid = b.rid AND a.pos < b.pos AND a.country <> b.country""",
    )
    mirror = Step(
        "ns_mirror",
        f"""SELECT rid, least(1.0, greatest(0.0, (max(score) - {lo}) / {hi - lo})) AS p,
                   concat('mirror gap ', max_by(pair, score), ' HS ', max_by(m_hs, score),
                          ' score ', CAST(round(max(score), 1) AS VARCHAR)) AS why
            FROM (SELECT p.rid, m.score, m.hs_code AS m_hs,
                         concat(m.exporter, '>', m.importer, ' ', CAST(m.year AS VARCHAR)) AS pair
                  FROM ns_pairs p JOIN ns_ship s ON s.rid = p.rid
                  JOIN mirror_gaps m ON m.exporter = p.exporter AND m.importer = p.importer
                   AND m.year = s.year
                   AND substring(m.hs_code, 1, least(length(m.hs_code), length(s.hs_code)))
                       = substring(s.hs_code, 1, least(length(m.hs_code), length(s.hs_code)))
                  WHERE m.score > {lo}) x
            GROUP BY rid""",
    )
    return pairs, mirror


def _incidents(present: bool) -> tuple[Step, ...]:
    if not present:
        empty = "SELECT NULL AS rid, 0.0 AS p, NULL AS why WHERE FALSE"
        flagged = (
            "SELECT NULL AS party_key, NULL AS kind, NULL AS ref, NULL AS shipment_id WHERE FALSE"
        )
        return (Step("ns_seized", empty), Step("ns_corridor", empty), Step("ns_inc_party", flagged))
    seized = Step(
        "ns_seized",
        """SELECT s.rid, 1.0 AS p,
                  concat('seized: ', min(i.incident_id), ' (', min(i.country), ')') AS why
           FROM ns_ship s JOIN incidents i ON i.shipment_id = s.shipment_id GROUP BY s.rid""",
    )
    inc_party = Step(
        "ns_inc_party",
        """SELECT DISTINCT k.party_key, 'seizure' AS kind, i.incident_id AS ref, i.shipment_id
           FROM (SELECT incident_id, shipment_id, shipper_name AS name FROM incidents
                 UNION ALL SELECT incident_id, shipment_id, consignee_name FROM incidents) i
           JOIN net_party_keys k ON k.name = i.name WHERE k.party_key IS NOT NULL""",
    )
    corridor = Step(
        "ns_corridor",
        """SELECT rid, count(DISTINCT incident_id) AS n,
                  concat('corridor of ', CAST(count(DISTINCT incident_id) AS VARCHAR),
                         ' seizure(s) via ', min(transit)) AS why
           FROM (SELECT c.rid, i.incident_id, i.transit
                 FROM (SELECT i0.incident_id, i0.shipment_id, i0.origin_country,
                              i0.destination_country, t.transit
                       FROM incidents i0
                       CROSS JOIN UNNEST(i0.transit_countries) AS t(transit)) i
                 JOIN ns_country c ON c.country = i.transit AND c.pos = 1
                 JOIN ns_ship s ON s.rid = c.rid
                 WHERE (i.shipment_id IS NULL OR i.shipment_id <> s.shipment_id)
                   AND (i.destination_country IS NULL OR i.destination_country = s.destination)
                   AND (i.origin_country IS NULL OR i.origin_country = s.origin)
                   AND (i.destination_country IS NOT NULL OR i.origin_country IS NOT NULL)) x
           GROUP BY rid""",
    )
    return seized, inc_party, corridor


def _parties() -> tuple[Step, ...]:
    roles = Step(
        "ns_role",
        """SELECT rid, shipment_id, party_key FROM (
               SELECT rid, shipment_id, shipper_key AS party_key FROM ns_ship
               UNION ALL SELECT rid, shipment_id, consignee_key FROM ns_ship
               UNION ALL SELECT rid, shipment_id, notify_key FROM ns_ship) r
           WHERE party_key IS NOT NULL""",
    )
    flagged = Step(
        "ns_flagged",
        """SELECT party_key, kind, ref, shipment_id FROM ns_inc_party
           UNION ALL
           SELECT k.party_key, 'watch-list' AS kind, w.caption AS ref, NULL AS shipment_id
           FROM net_watchlist_names w JOIN net_party_keys k ON k.name = w.name
           WHERE k.party_key IS NOT NULL""",
    )
    hits = Step(
        "ns_party_hit",
        """SELECT r.rid, f.kind, count(DISTINCT f.ref) AS n,
                  concat(min(r.party_key), ' (', string_agg(DISTINCT f.ref, ', '), ')') AS why
           FROM ns_role r JOIN ns_flagged f ON f.party_key = r.party_key
           WHERE f.shipment_id IS NULL OR f.shipment_id <> r.shipment_id
           GROUP BY r.rid, f.kind""",
    )
    near = Step(
        "ns_near",
        """SELECT a.rid, min(concat(a.party_key, ' traded with flagged ', b.party_key)) AS why
           FROM ns_role a
           JOIN (SELECT DISTINCT x.rid, x.party_key AS own, y.party_key
                 FROM ns_role x JOIN ns_role y ON x.rid = y.rid AND x.party_key <> y.party_key
                 JOIN (SELECT DISTINCT party_key FROM ns_flagged) f ON f.party_key = y.party_key
                ) b ON b.own = a.party_key AND b.rid <> a.rid
           WHERE NOT EXISTS (SELECT 1 FROM ns_flagged g WHERE g.party_key = a.party_key)
           GROUP BY a.rid""",
    )
    vessel = Step(
        "ns_vessel",
        """SELECT s.rid, concat('listed vessel IMO ', s.imo, ' (', min(v.caption), ')') AS why
           FROM ns_ship s JOIN net_watch_vessels v ON v.imo = s.imo
           WHERE s.imo <> '' GROUP BY s.rid, s.imo""",
    )
    return roles, flagged, hits, near, vessel


def _chain(w: SuspicionWeights) -> Step:
    days, tol = int(w.chain_days), float(w.chain_weight_tolerance)
    return Step(
        "ns_chain",
        f"""SELECT rid, next_rid FROM (
               SELECT a.rid, b.rid AS next_rid,
                      row_number() OVER (PARTITION BY a.rid
                          ORDER BY datediff('day', a.arrival_date, b.arrival_date), b.rid) AS ra,
                      row_number() OVER (PARTITION BY b.rid
                          ORDER BY datediff('day', a.arrival_date, b.arrival_date), a.rid) AS rb
               FROM ns_ship a JOIN ns_ship b
                 ON b.lading = a.unlading AND a.rid <> b.rid
                AND b.arrival_date >= a.arrival_date
                AND ((b.shipper_key = a.consignee_key
                      AND abs(b.weight_kg - a.weight_kg) <= {tol} * greatest(a.weight_kg, b.weight_kg))
                     OR abs(b.weight_kg - a.weight_kg) < 0.05)
                AND datediff('day', a.arrival_date, b.arrival_date) <= {days}) c
           WHERE ra = 1 AND rb = 1""",
    )


def _combine(w: SuspicionWeights) -> Step:
    terms = {
        "price": f"{float(w.price)} * coalesce(pr.p, 0.0)",
        "route": f"{float(w.route)} * coalesce(ro.p, 0.0)",
        "mirror": f"{float(w.mirror)} * coalesce(mi.p, 0.0)",
        "seized": f"{float(w.seized)} * coalesce(se.p, 0.0)",
        "seized_party": f"{float(w.seized_party)} * (1 - exp(-coalesce(hs.n, 0) / {float(w.seized_party_scale)}))",
        "corridor": f"{float(w.corridor)} * (1 - exp(-coalesce(co.n, 0) / {float(w.corridor_scale)}))",
        "watch_list": f"CASE WHEN hw.rid IS NOT NULL THEN {float(w.watch_list)} ELSE 0.0 END",
        "vessel": f"CASE WHEN ve.rid IS NOT NULL THEN {float(w.vessel)} ELSE 0.0 END",
        "proximity": f"CASE WHEN ne.rid IS NOT NULL THEN {float(w.proximity)} ELSE 0.0 END",
    }
    cols = ",\n".join(f"{expr} AS ev_{name}" for name, expr in terms.items())
    return Step(
        "ns_evidence",
        f"""SELECT s.*, sc.sectors, ch.next_rid, {cols},
                   concat_ws('; ', pr.why, ro.why, mi.why, se.why,
                             CASE WHEN hs.rid IS NOT NULL THEN concat('party named in seizure: ', hs.why) END,
                             co.why,
                             CASE WHEN hw.rid IS NOT NULL THEN concat('watch-list name: ', hw.why) END,
                             ve.why,
                             CASE WHEN ne.rid IS NOT NULL THEN concat('proximity: ', ne.why) END
                   ) AS evidence
            FROM ns_ship s
            LEFT JOIN ns_sector sc ON sc.rid = s.rid
            LEFT JOIN ns_chain ch ON ch.rid = s.rid
            LEFT JOIN ns_price pr ON pr.shipment_id = s.shipment_id
            LEFT JOIN ns_route ro ON ro.shipment_id = s.shipment_id
            LEFT JOIN ns_mirror mi ON mi.rid = s.rid
            LEFT JOIN ns_seized se ON se.rid = s.rid
            LEFT JOIN (SELECT * FROM ns_party_hit WHERE kind = 'seizure') hs ON hs.rid = s.rid
            LEFT JOIN ns_corridor co ON co.rid = s.rid
            LEFT JOIN (SELECT * FROM ns_party_hit WHERE kind = 'watch-list') hw ON hw.rid = s.rid
            LEFT JOIN ns_vessel ve ON ve.rid = s.rid
            LEFT JOIN ns_near ne ON ne.rid = s.rid""",
    )


EVIDENCE = (
    "price",
    "route",
    "mirror",
    "seized",
    "seized_party",
    "corridor",
    "watch_list",
    "vessel",
    "proximity",
)


def _result() -> Step:
    product = " * ".join(f"(1 - ev_{name})" for name in EVIDENCE)
    evidence_cols = ", ".join(f"round(ev_{name}, 6) AS ev_{name}" for name in EVIDENCE)
    return Step(
        TABLE,
        f"""SELECT rid, shipment_id, arrival_date, year, hs_code, coalesce(sectors, '') AS sectors,
                   value_usd, round(1 - {product}, 6) AS weight,
                   round(value_usd * (1 - {product}), 2) AS suspicious_value_usd,
                   origin, destination, lading, ts AS transshipment_ports, unlading,
                   shipper_key, consignee_key, notify_key,
                   shipper_name, consignee_name, notify_party_name, next_rid,
                   {evidence_cols}, evidence
            FROM ns_evidence""",
    )


def suspicion_plan(weights: SuspicionWeights, present: Collection[str]) -> Plan:
    """The per-shipment weight as SQL steps; ``present`` names the optional evidence tables
    the workspace has (the others contribute nothing)."""
    has = {t: t in present for t in OPTIONAL_INPUTS}
    steps = (
        _ship(),
        _stops(),
        _countries(),
        _sectors(),
        _price(weights, has["price_anomalies"]),
        _route(weights, has["route_anomalies"]),
        *_mirror(weights, has["mirror_gaps"]),
        *_incidents(has["incidents"]),
        *_parties(),
        _chain(weights),
        _combine(weights),
        _result(),
    )
    inputs = (
        "shipments",
        "net_party_keys",
        "net_watchlist_names",
        "net_watch_vessels",
        "ref_port",
        "ref_sector_hs",
        *(t for t, ok in has.items() if ok),
    )
    keep = {"ns_ship", "ns_stops", "ns_country", "ns_role", "ns_flagged", "ns_evidence"}
    return Plan(inputs, steps, materialise=frozenset(keep))


def missing_notes(present: Collection[str]) -> list[str]:
    """What the weight could not consider, one note per missing evidence table."""
    return [
        f"no {table}: no {what} evidence"
        for table, what in OPTIONAL_INPUTS.items()
        if table not in present
    ]
