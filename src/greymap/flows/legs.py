"""The geometry of routes, as SQL steps of the routing plan (see :mod:`greymap.flows.routes`).

A route is ``lading > transshipments > unlading``. Each port is placed by ``ref_port``;
each leg is a great circle between consecutive ports; a transshipment port's *added* km
is what it adds to the voyage (prev -> port -> next against prev -> next). Hub usage
counts how many shipments of *other* shippers call at the same port from the same lading
country or to the same unlading country: a port that independent traffic between those
countries uses is an ordinary call; one that only this shipper's cargo visits is not.
"""

from __future__ import annotations

from greymap.engine import Step

#: Hub usage by inclusion-exclusion over window counts (so the cost grows with the number
#: of calls, not its square): calls from the lading country or to the unlading country,
#: minus the same for this shipment's shipper.
_USAGE_TERMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("+", ("lc",)), ("+", ("uc",)), ("-", ("lc", "uc")),
    ("-", ("lc", "sn")), ("-", ("uc", "sn")), ("+", ("lc", "uc", "sn")),
)  # fmt: skip


def leg_steps(min_direct_km: float) -> tuple[Step, ...]:
    """Steps ``r_ship``, ``r_stops``, ``r_legs``, ``r_route`` and ``r_usage``."""
    return (_ship(), *_stops(), _route(min_direct_km), *_usage())


def haversine(a: str, b: str) -> str:
    """Great-circle km between ``a`` and ``b`` (each a prefix of ``_lat``/``_lon`` columns);
    NULL when a coordinate is missing (``least`` skips NULLs on both engines, so the guard
    is needed)."""
    return f"""(CASE WHEN {a}_lat IS NULL OR {a}_lon IS NULL OR {b}_lat IS NULL OR {b}_lon IS NULL
        THEN NULL ELSE 2 * 6371 * asin(sqrt(least(1.0,
        power(sin(radians({b}_lat - {a}_lat) / 2), 2)
        + cos(radians({a}_lat)) * cos(radians({b}_lat))
        * power(sin(radians({b}_lon - {a}_lon) / 2), 2)))) END)"""


def _ship() -> Step:
    # A shipment is keyed by where it was loaded from (ingest, row): ids need not be unique.
    return Step(
        "r_ship",
        """SELECT concat(CAST(s.ingest_id AS VARCHAR), ':', CAST(s.source_row AS VARCHAR)) AS rid,
                  s.shipment_id, s.port_of_lading AS lading, s.port_of_unlading AS unlading,
                  s.transshipment_ports AS ts,
                  CASE WHEN s.transshipment_ports IS NULL THEN 0
                       ELSE array_length(s.transshipment_ports) END AS n_ts,
                  s.origin_country, s.shipper_country, s.consignee_country,
                  s.destination_country, s.hs_code, s.weight_kg, year(s.arrival_date) AS year,
                  s.shipper_name
           FROM shipments s
           WHERE s.port_of_lading IS NOT NULL OR s.port_of_unlading IS NOT NULL
              OR array_length(s.transshipment_ports) > 0""",
    )


def _stops() -> tuple[Step, ...]:
    # UNNEST ... WITH ORDINALITY counts from 1 on DuckDB and 0 on Spark: positions are
    # taken relative to the shipment's first one.
    stops = Step(
        "r_stops",
        """SELECT u.rid, u.seq, u.kind, u.locode, p.country, p.latitude AS lat,
                  p.longitude AS lon, p.free_trade_zone AS ftz
           FROM (SELECT rid, 0 AS seq, 'lading' AS kind, lading AS locode
                 FROM r_ship WHERE lading IS NOT NULL
                 UNION ALL
                 SELECT r.rid, t.pos - min(t.pos) OVER (PARTITION BY r.rid) + 1 AS seq,
                        'transshipment' AS kind, t.port AS locode
                 FROM r_ship r CROSS JOIN UNNEST(r.ts) WITH ORDINALITY AS t(port, pos)
                 UNION ALL
                 SELECT rid, n_ts + 1 AS seq, 'unlading' AS kind, unlading AS locode
                 FROM r_ship WHERE unlading IS NOT NULL) u
           LEFT JOIN ref_port p ON p.locode = u.locode""",
    )
    around = Step(
        "r_around",
        """SELECT *,
                  lag(lat) OVER (PARTITION BY rid ORDER BY seq) AS prev_lat,
                  lag(lon) OVER (PARTITION BY rid ORDER BY seq) AS prev_lon,
                  lead(lat) OVER (PARTITION BY rid ORDER BY seq) AS next_lat,
                  lead(lon) OVER (PARTITION BY rid ORDER BY seq) AS next_lon
           FROM r_stops""",
    )
    legs = Step(
        "r_legs",
        f"""SELECT *, {haversine("prev", "cur")} AS leg_km,
                   {haversine("prev", "cur")} + {haversine("cur", "next")}
                     - {haversine("prev", "next")} AS added_km
            FROM (SELECT *, lat AS cur_lat, lon AS cur_lon FROM r_around) a""",
    )
    return stops, around, legs


def _route(min_direct_km: float) -> Step:
    floor = float(min_direct_km)
    return Step(
        "r_route",
        f"""SELECT g.*, {haversine("a", "b")} AS direct_km,
                   greatest({haversine("a", "b")}, {floor}) AS direct_floor_km
            FROM (SELECT rid, sum(leg_km) AS route_km, count(leg_km) AS legs_known,
                         count(*) - 1 AS legs,
                         max(CASE WHEN kind = 'lading' THEN lat END) AS a_lat,
                         max(CASE WHEN kind = 'lading' THEN lon END) AS a_lon,
                         max(CASE WHEN kind = 'unlading' THEN lat END) AS b_lat,
                         max(CASE WHEN kind = 'unlading' THEN lon END) AS b_lon,
                         max(CASE WHEN kind = 'lading' THEN country END) AS lading_country,
                         max(CASE WHEN kind = 'unlading' THEN country END) AS unlading_country
                  FROM r_legs GROUP BY rid) g""",
    )


def _usage() -> tuple[Step, ...]:
    # One row per shipment and port called at (a port called twice counts once), so window
    # counts are counts of shipments; a NULL key matches nothing.
    calls = Step(
        "r_calls",
        """SELECT DISTINCT l.rid, l.locode, r.lading_country AS lc,
                  r.unlading_country AS uc, s.shipper_name AS sn
           FROM r_legs l JOIN r_route r ON r.rid = l.rid JOIN r_ship s ON s.rid = l.rid
           WHERE l.kind = 'transshipment'""",
    )
    terms = "\n".join(
        f"{sign} CASE WHEN {' OR '.join(f'{k} IS NULL' for k in keys)} THEN 0 "
        f"ELSE count(*) OVER (PARTITION BY locode, {', '.join(keys)}) END"
        for sign, keys in _USAGE_TERMS
    )
    usage = Step(
        "r_usage_calls",
        f"""SELECT rid, locode, 0 {terms}
                   - CASE WHEN sn IS NULL THEN 1 ELSE 0 END AS usage
            FROM r_calls""",
    )
    per_stop = Step(
        "r_usage",
        """SELECT l.rid, l.seq, u.usage FROM r_legs l
           JOIN r_usage_calls u ON u.rid = l.rid AND u.locode = l.locode
           WHERE l.kind = 'transshipment'""",
    )
    return calls, usage, per_stop
