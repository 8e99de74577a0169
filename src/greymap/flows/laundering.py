"""Origin laundering: a hub passing on more of a product than it ever took in.

Two views, both as SQL steps of the routing plan (see :mod:`greymap.flows.routes`):

* trade statistics (``l_trade``): per country, HS code (6 digits, and 4 for shipments
  declared at 4) and year, ``(re-exports + d) / (imports + d)`` from the country's own
  reports. Re-exports are goods that came in and leave unchanged, so they cannot exceed
  imports for long; a ratio far above 1 means goods pass through that the country never
  recorded entering (a free zone outside the customs territory, or a relabelled origin).
  Countries that do not report re-exports separately have a ratio below 1 and no signal.
* shipments (``l_ship``): per port country and HS4, the weight of everything laded there
  declared of *foreign* origin against the weight of everything unladed there,
  ``(out_kg + d) / (in_kg + d)``. It applies to shipments whose origin differs from the
  shipper's country, i.e. declared re-exports.
"""

from __future__ import annotations

from greymap.engine import Step


def laundering_steps(damping_usd: float, damping_kg: float) -> tuple[Step, ...]:
    d, dk = float(damping_usd), float(damping_kg)
    base = Step(
        "l_trade_base",
        """SELECT reporter AS country, flow, hs_code, year, value_usd
           FROM (SELECT *, max(CASE WHEN month IS NULL THEN 1 ELSE 0 END)
                           OVER (PARTITION BY reporter, year) AS has_annual
                 FROM trade_flows
                 WHERE reporter IS NOT NULL AND partner IS NOT NULL AND reporter <> partner
                   AND coalesce(flow_detail, flow) = flow AND flow IN ('import', 're-export')
                   AND length(hs_code) = 6 AND value_usd IS NOT NULL) t
           WHERE month IS NULL OR has_annual = 0""",
    )
    trade = Step(
        "l_trade",
        f"""SELECT country, code, year, reexports_usd, imports_usd,
                   (reexports_usd + {d}) / (imports_usd + {d}) AS ratio
            FROM (SELECT country, hs_code AS code, year,
                         sum(CASE WHEN flow = 're-export' THEN value_usd ELSE 0 END) AS reexports_usd,
                         sum(CASE WHEN flow = 'import' THEN value_usd ELSE 0 END) AS imports_usd
                  FROM l_trade_base GROUP BY country, hs_code, year
                  UNION ALL
                  SELECT country, substring(hs_code, 1, 4) AS code, year,
                         sum(CASE WHEN flow = 're-export' THEN value_usd ELSE 0 END),
                         sum(CASE WHEN flow = 'import' THEN value_usd ELSE 0 END)
                  FROM l_trade_base GROUP BY country, substring(hs_code, 1, 4), year) u
            WHERE reexports_usd > 0""",
    )
    ship = Step(
        "l_ship",
        f"""SELECT o.country, o.hs4, o.out_kg, coalesce(i.in_kg, 0) AS in_kg, o.n_out,
                   (o.out_kg + {dk}) / (coalesce(i.in_kg, 0) + {dk}) AS ratio
            FROM (SELECT r.lading_country AS country, substring(s.hs_code, 1, 4) AS hs4,
                         sum(s.weight_kg) AS out_kg, count(*) AS n_out
                  FROM r_ship s JOIN r_route r ON r.rid = s.rid
                  WHERE s.origin_country <> r.lading_country AND s.weight_kg > 0
                    AND length(s.hs_code) >= 4
                  GROUP BY r.lading_country, substring(s.hs_code, 1, 4)) o
            LEFT JOIN (SELECT r.unlading_country AS country, substring(s.hs_code, 1, 4) AS hs4,
                              sum(s.weight_kg) AS in_kg
                       FROM r_ship s JOIN r_route r ON r.rid = s.rid
                       WHERE s.weight_kg > 0 AND length(s.hs_code) >= 4
                       GROUP BY r.unlading_country, substring(s.hs_code, 1, 4)) i
              ON i.country = o.country AND i.hs4 = o.hs4""",
    )
    stops = Step(
        "l_stops",
        """SELECT l.rid, l.seq, lt.ratio AS trade_ratio, lt.code AS trade_code,
                  lt.reexports_usd, lt.imports_usd,
                  CASE WHEN l.kind = 'lading' AND s.origin_country <> s.shipper_country
                       THEN ls.ratio END AS ship_ratio
           FROM r_legs l
           JOIN r_ship s ON s.rid = l.rid
           LEFT JOIN l_trade lt
             ON lt.country = l.country AND lt.year = s.year
            AND lt.code = CASE WHEN length(s.hs_code) >= 6 THEN substring(s.hs_code, 1, 6)
                               ELSE substring(s.hs_code, 1, 4) END
           LEFT JOIN l_ship ls ON ls.country = l.country AND ls.hs4 = substring(s.hs_code, 1, 4)
           WHERE l.country IS NOT NULL""",
    )
    return base, trade, ship, stops
