"""Seizure corridors a shipment's route shares, as SQL steps of the routing plan.

Shipments are first reduced to *patterns*: the countries they touch (origin, shipper,
ports, consignee, destination) and their HS code. Many shipments share a pattern, so the
matching against seizures runs once per pattern, and only the final count per shipment
(leaving out the shipment's own seizure) touches every shipment.

A seizure matches a pattern when one of its transit countries is among the pattern's
countries (any role) and its origin is on the pattern's departure side (origin, shipper or
lading country) and its destination on the arrival side (unlading, consignee or destination
country): both ends give weight 1.0, one end 0.6. Sides matter because a two-leg
consignment re-consigned in a hub shows the seizure's origin on its first bill and the
destination on its second, while a route running the other way round is no match. A
seizure naming no transit matches when both ends do (0.3). The weight doubles when the
seizure's sector is one of the HS code's sectors or its HS chapter is the shipment's. An
incident naming several transit countries counts once, at its best weight; the transit
country carrying most weight is where the route meets the seizures (``corridor_transit``).
"""

from __future__ import annotations

from greymap.engine import Step

FULL, PARTIAL, ENDS_ONLY, SAME_SECTOR = 1.0, 0.6, 0.3, 2.0


def corridor_steps() -> tuple[Step, ...]:
    pattern = Step(
        "c_pat",
        """SELECT s.rid, s.shipment_id, s.hs_code,
                  concat_ws('|', coalesce(s.origin_country, ''), coalesce(s.shipper_country, ''),
                            coalesce(s.consignee_country, ''), coalesce(s.destination_country, ''),
                            coalesce(p.countries, ''), coalesce(s.hs_code, '')) AS pkey
           FROM r_ship s
           LEFT JOIN (SELECT rid, string_agg(coalesce(country, '?'), '>' ORDER BY seq) AS countries
                      FROM r_stops GROUP BY rid) p ON p.rid = s.rid""",
    )
    countries = Step(
        "c_pat_country",
        """SELECT DISTINCT pkey, country, side FROM (
               SELECT c.pkey, x.country, x.side FROM c_pat c JOIN (
                   SELECT rid, origin_country AS country, 'from' AS side FROM r_ship
                   UNION ALL SELECT rid, shipper_country, 'from' FROM r_ship
                   UNION ALL SELECT rid, consignee_country, 'to' FROM r_ship
                   UNION ALL SELECT rid, destination_country, 'to' FROM r_ship
                   UNION ALL SELECT rid, country, CASE WHEN kind = 'lading' THEN 'from'
                                                       WHEN kind = 'unlading' THEN 'to'
                                                       ELSE 'via' END
                             FROM r_stops) x ON x.rid = c.rid) u
           WHERE country IS NOT NULL""",
    )
    sectors = Step(
        "c_pat_sector",
        """SELECT DISTINCT p.pkey, p.hs_code, rs.sector
           FROM (SELECT DISTINCT pkey, hs_code FROM c_pat WHERE hs_code IS NOT NULL) p
           LEFT JOIN ref_sector_hs rs
             ON substring(p.hs_code, 1, length(rs.hs_prefix)) = rs.hs_prefix""",
    )
    incidents = Step(
        "c_inc",
        """SELECT incident_id, shipment_id, origin_country, destination_country, sector,
                  substring(hs_code, 1, 2) AS hs2,
                  CASE WHEN transit_countries IS NULL THEN 0
                       ELSE array_length(transit_countries) END AS n_transit
           FROM incidents""",
    )
    transit = Step(
        "c_inc_transit",
        """SELECT t.incident_id, t.transit FROM (
               SELECT incident_id, unnest(transit_countries) AS transit FROM incidents) t
           JOIN c_inc i ON i.incident_id = t.incident_id
           WHERE t.transit IS NOT NULL
             AND t.transit <> coalesce(i.origin_country, '')
             AND t.transit <> coalesce(i.destination_country, '')""",
    )
    return pattern, countries, sectors, incidents, transit, *_match_steps()


def _match_steps() -> tuple[Step, ...]:
    via = Step(
        "c_match_via",
        f"""SELECT pc.pkey, i.incident_id, it.transit,
                   CASE WHEN po.country IS NOT NULL AND pd.country IS NOT NULL THEN {FULL}
                        ELSE {PARTIAL} END AS base
            FROM (SELECT DISTINCT pkey, country FROM c_pat_country) pc
            JOIN c_inc_transit it ON it.transit = pc.country
            JOIN c_inc i ON i.incident_id = it.incident_id
            LEFT JOIN c_pat_country po
              ON po.pkey = pc.pkey AND po.country = i.origin_country AND po.side = 'from'
            LEFT JOIN c_pat_country pd
              ON pd.pkey = pc.pkey AND pd.country = i.destination_country AND pd.side = 'to'
            WHERE po.country IS NOT NULL OR pd.country IS NOT NULL""",
    )
    ends = Step(
        "c_match_ends",
        f"""SELECT po.pkey, i.incident_id, CAST(NULL AS VARCHAR) AS transit, {ENDS_ONLY} AS base
            FROM c_inc i
            JOIN c_pat_country po ON po.country = i.origin_country AND po.side = 'from'
            JOIN c_pat_country pd ON pd.pkey = po.pkey AND pd.country = i.destination_country
                                 AND pd.side = 'to'
            WHERE i.n_transit = 0 AND i.origin_country <> i.destination_country""",
    )
    weighted = Step(
        "c_match",
        f"""SELECT m.pkey, m.incident_id, m.transit,
                   m.base * CASE WHEN max(ps.pkey) IS NOT NULL THEN {SAME_SECTOR} ELSE 1.0 END AS w,
                   max(ps.pkey) IS NOT NULL AS same_sector
            FROM (SELECT * FROM c_match_via UNION ALL SELECT * FROM c_match_ends) m
            JOIN c_inc i ON i.incident_id = m.incident_id
            LEFT JOIN c_pat_sector ps
              ON ps.pkey = m.pkey
             AND (ps.sector = i.sector OR substring(ps.hs_code, 1, 2) = i.hs2)
            GROUP BY m.pkey, m.incident_id, m.transit, m.base""",
    )
    per_ship = Step(
        "c_ship_inc",
        """SELECT p.rid, m.incident_id, max(m.w) AS w, max(m.transit) AS transit,
                  max(CASE WHEN m.same_sector THEN 1 ELSE 0 END) AS same_sector
           FROM c_pat p
           JOIN c_match m ON m.pkey = p.pkey
           JOIN c_inc i ON i.incident_id = m.incident_id
           WHERE i.shipment_id IS NULL OR p.shipment_id IS NULL OR i.shipment_id <> p.shipment_id
           GROUP BY p.rid, m.incident_id""",
    )
    return via, ends, weighted, per_ship, *_summary_steps()


def _summary_steps() -> tuple[Step, ...]:
    totals = Step(
        "c_ship",
        """SELECT rid, sum(w) AS corridor_w, count(*) AS corridor_seizures,
                  sum(same_sector) AS corridor_same_sector
           FROM c_ship_inc GROUP BY rid""",
    )
    top = Step(
        "c_ship_transit",
        """SELECT rid, transit AS corridor_transit FROM (
               SELECT rid, transit, row_number() OVER (
                          PARTITION BY rid ORDER BY w DESC, transit) AS rn
               FROM (SELECT rid, transit, sum(w) AS w FROM c_ship_inc
                     WHERE transit IS NOT NULL GROUP BY rid, transit) t) r
           WHERE rn = 1""",
    )
    return totals, top
