"""Routing: shipments whose route makes no geographic sense, launders origin, or follows seizures.

Every shipment with a port on record gets one row in ``route_anomalies``. Three kinds of
evidence add up to its score (higher = more suspicious; 0 when nothing is odd):

**Detour** (:mod:`.legs`). Legs are great circles between the ports' coordinates. Sea
routes are longer than great circles (coasts, canals, capes), but by a similar factor for
the direct and the transshipped voyage, so great-circle ratios are the standard proxy for
the detour a call adds. A transshipment port is a *detour* when the km it adds exceed
``detour_threshold`` (30%) of the direct lading -> unlading distance (floored at
``min_direct_km``, so neighbouring ports do not make a short call look enormous). It then
scores ``ln(1 + added_km / detour_km_scale)`` (capped at ``cap``): the ratio says whether
the call is out of the way, the km how far out of the way -- the cost a shipper accepts,
which is what legitimate routing keeps small. That is multiplied by ``ftz_factor`` when
the port is in a free trade zone and by ``k / (k + usage)`` with ``k = usage_scale``, where
``usage`` counts other shippers' shipments calling at the same port from the same lading
country or to the same unlading country: a hub many independent shipments between those
countries use is normal (factor near 0), one only this shipper's cargo visits is not
(factor 1). Leaving the shipper's own shipments out keeps a network that floods its own
corridor from making its hub look normal.

**Origin laundering** (:mod:`.laundering`). A country re-exporting a product far beyond
what it imports (``(re-exports + d) / (imports + d)`` per HS6 and year in its own trade
reports) passes on goods it never recorded coming in. Above ``laundering_threshold`` the
ratio scores ``ln(ratio) / ln(threshold)`` (capped) at every port of the route in that
country, times ``ftz_factor`` at a free-zone port. The shipments' own balance (foreign-
origin goods laded in a country against all goods unladed there, by HS4, for shipments
whose origin differs from the shipper's country) scores the same way times
``shipment_laundering_weight`` (0.25): shipment records rarely cover both directions of
a port's traffic, so an imbalance is weak evidence (in the synthetic worlds it flagged
only legitimate re-exporters).

**Seizure corridors** (:mod:`.corridors`). A shipment sharing the (origin, transit,
destination) corridor of seizures in ``incidents`` -- other than its own -- scores
``corridor_weight * ln(1 + sum of match weights)`` (capped).

``score = max detour + max laundering + corridor``, each listed in ``reasons``. ``hub`` is
the port contributing most (ties go to transshipment ports); with a score of 0 it is the
transshipment port adding the most distance. Defaults were tuned on synthetic worlds
(``greymap simulate``, seeds 11-14) and judged on others; see docs/flows.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from greymap.engine import Plan, Step
from greymap.flows.corridors import corridor_steps
from greymap.flows.laundering import laundering_steps
from greymap.flows.legs import leg_steps

TABLE = "route_anomalies"


@dataclass(frozen=True)
class RouteParams:
    """How a routing analysis runs; stored beside its results."""

    sector: str | None = None
    year: int | None = None
    detour_threshold: float = 0.3
    min_direct_km: float = 500.0
    ftz_factor: float = 1.5
    detour_km_scale: float = 3000.0
    usage_scale: float = 5.0
    laundering_threshold: float = 2.0
    laundering_damping_usd: float = 10000.0
    laundering_damping_kg: float = 1000.0
    shipment_laundering_weight: float = 0.25
    corridor_weight: float = 1.5
    cap: float = 3.0

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _points(params: RouteParams) -> tuple[Step, ...]:
    x, t, cap = (
        float(params.detour_threshold),
        float(params.laundering_threshold),
        float(params.cap),
    )
    km, k = float(params.detour_km_scale), float(params.usage_scale)
    w = float(params.shipment_laundering_weight)
    stops = Step(
        "r_points",
        f"""SELECT l.rid, l.seq, l.kind, l.locode, l.country, l.ftz,
                   CASE WHEN l.kind = 'transshipment' THEN l.added_km / r.direct_floor_km END
                     AS excess,
                   l.added_km, u.usage, ls.trade_ratio, ls.trade_code, ls.ship_ratio,
                   CASE WHEN l.ftz IS NOT NULL THEN {float(params.ftz_factor)} ELSE 1.0 END AS ftz_mult
            FROM r_legs l JOIN r_route r ON r.rid = l.rid
            LEFT JOIN r_usage u ON u.rid = l.rid AND u.seq = l.seq
            LEFT JOIN l_stops ls ON ls.rid = l.rid AND ls.seq = l.seq""",
    )
    scored = Step(
        "r_points_scored",
        f"""SELECT p.*,
                   CASE WHEN p.excess > {x}
                        THEN least({cap}, ln(1 + p.added_km / {km})) * p.ftz_mult
                             * {k} / ({k} + greatest(coalesce(p.usage, 0), 0))
                        ELSE 0.0 END AS detour_pts,
                   greatest(CASE WHEN p.trade_ratio > {t}
                                 THEN least({cap}, ln(p.trade_ratio) / ln({t})) ELSE 0.0 END,
                            CASE WHEN p.ship_ratio > {t}
                                 THEN {w} * least({cap}, ln(p.ship_ratio) / ln({t})) ELSE 0.0 END)
                     * p.ftz_mult AS launder_pts,
                   CASE WHEN p.country = ct.corridor_transit
                        THEN least({cap}, {float(params.corridor_weight)} * ln(1 + c.corridor_w))
                        ELSE 0.0 END AS corridor_pts
            FROM r_points p
            LEFT JOIN c_ship_transit ct ON ct.rid = p.rid
            LEFT JOIN c_ship c ON c.rid = p.rid""",
    )
    ranked = Step(
        "r_points_ranked",
        """SELECT *,
                  row_number() OVER (PARTITION BY rid ORDER BY detour_pts DESC,
                      coalesce(excess, -1.0) DESC, seq) AS rn_detour,
                  row_number() OVER (PARTITION BY rid ORDER BY launder_pts DESC, seq) AS rn_launder,
                  row_number() OVER (PARTITION BY rid ORDER BY
                      detour_pts + launder_pts + corridor_pts DESC,
                      CASE WHEN kind = 'transshipment' THEN 0 ELSE 1 END, seq) AS rn_hub
           FROM r_points_scored""",
    )
    per_ship = Step(
        "r_evidence",
        """SELECT rid,
                  max(detour_pts) AS detour_score, max(launder_pts) AS laundering_score,
                  max(CASE WHEN rn_detour = 1 AND detour_pts > 0 THEN locode END) AS detour_hub,
                  max(CASE WHEN rn_detour = 1 AND detour_pts > 0 THEN ftz END) AS detour_ftz,
                  max(CASE WHEN rn_detour = 1 AND detour_pts > 0 THEN usage END) AS detour_usage,
                  max(CASE WHEN rn_detour = 1 AND detour_pts > 0 THEN added_km END) AS detour_km,
                  max(CASE WHEN rn_detour = 1 THEN excess END) AS hub_excess,
                  max(CASE WHEN rn_launder = 1 AND launder_pts > 0 THEN country END) AS launder_country,
                  max(CASE WHEN rn_launder = 1 AND launder_pts > 0 THEN trade_ratio END) AS trade_ratio,
                  max(CASE WHEN rn_launder = 1 AND launder_pts > 0 THEN trade_code END) AS trade_code,
                  max(CASE WHEN rn_launder = 1 AND launder_pts > 0 THEN ship_ratio END) AS ship_ratio,
                  max(CASE WHEN rn_detour = 1 AND kind = 'transshipment' THEN locode END) AS main_hub,
                  max(CASE WHEN rn_hub = 1 THEN locode END) AS top_stop,
                  max(CASE WHEN rn_hub = 1 THEN detour_pts + launder_pts + corridor_pts END) AS top_pts
           FROM r_points_ranked GROUP BY rid""",
    )
    return stops, scored, ranked, per_ship


def _result(params: RouteParams) -> Step:
    cw, cap = float(params.corridor_weight), float(params.cap)
    filters = []
    if params.year is not None:
        filters.append(f"s.year = {int(params.year)}")
    sector_join = ""
    if params.sector:
        # A code matches at most one prefix of a sector, so the join adds no rows.
        sector_join = (
            "JOIN (SELECT DISTINCT hs_prefix FROM ref_sector_hs "
            f"WHERE sector = '{params.sector}') x "
            "ON substring(s.hs_code, 1, length(x.hs_prefix)) = x.hs_prefix"
        )
    where = f"WHERE {' AND '.join(filters)}" if filters else ""
    return Step(
        TABLE,
        f"""SELECT s.shipment_id, s.route,
                   CASE WHEN s.top_pts > 0 THEN s.top_stop ELSE s.main_hub END AS hub,
                   round(s.score, 6) AS score, s.reasons,
                   s.origin_country, s.destination_country, s.hs_code, s.year,
                   round(s.route_km, 3) AS route_km, round(s.direct_km, 3) AS direct_km,
                   round(s.detour_ratio, 6) AS detour_ratio, round(s.hub_excess, 6) AS hub_excess,
                   s.detour_ftz AS hub_free_trade_zone, s.detour_usage AS hub_usage,
                   round(s.trade_ratio, 6) AS reexport_ratio,
                   round(s.ship_ratio, 6) AS shipment_balance_ratio,
                   coalesce(s.corridor_seizures, 0) AS corridor_seizures,
                   round(s.detour_score, 6) AS detour_score,
                   round(s.laundering_score, 6) AS laundering_score,
                   round(s.corridor_score, 6) AS corridor_score
            FROM (SELECT b.*, b.detour_score + b.laundering_score + b.corridor_score AS score,
                         concat_ws('; ', {_detour_reason()}, {_launder_reason(params.laundering_threshold)},
                                   {_corridor_reason()}) AS reasons
                  FROM (SELECT sh.*, r.route_km, r.direct_km,
                               r.route_km / r.direct_floor_km AS detour_ratio,
                               coalesce(e.detour_score, 0.0) AS detour_score,
                               coalesce(e.laundering_score, 0.0) AS laundering_score,
                               CASE WHEN c.corridor_w > 0
                                    THEN least({cap}, {cw} * ln(1 + c.corridor_w)) ELSE 0.0 END
                                 AS corridor_score,
                               c.corridor_seizures, c.corridor_same_sector, ct.corridor_transit,
                               e.detour_hub, e.detour_ftz, e.detour_usage, e.detour_km,
                               e.launder_country, e.trade_ratio, e.trade_code, e.ship_ratio,
                               e.hub_excess, e.top_pts, e.top_stop, e.main_hub
                        FROM r_ship_route sh
                        LEFT JOIN r_route r ON r.rid = sh.rid
                        LEFT JOIN r_evidence e ON e.rid = sh.rid
                        LEFT JOIN c_ship c ON c.rid = sh.rid
                        LEFT JOIN c_ship_transit ct ON ct.rid = sh.rid) b) s
            {sector_join}
            {where}""",
    )


def _num(expr: str, digits: int = 1) -> str:
    """A number as text the same way on every engine (rounded, then cast)."""
    if digits == 0:
        return f"CAST(CAST(round({expr}) AS BIGINT) AS VARCHAR)"
    return f"CAST(round({expr}, {digits}) AS VARCHAR)"


def _detour_reason() -> str:
    return f"""CASE WHEN detour_score > 0 THEN concat(
        'detour ', {_num("detour_ratio")}, 'x via ', detour_hub,
        ' (+', {_num("detour_km", 0)}, ' km',
        CASE WHEN detour_ftz IS NOT NULL THEN concat(', free trade zone: ', detour_ftz)
             ELSE '' END,
        ', ', CAST(coalesce(detour_usage, 0) AS VARCHAR),
        ' calls there by other shippers from or to the same countries)') END"""


def _launder_reason(threshold: float) -> str:
    return f"""CASE WHEN laundering_score > 0 THEN
        CASE WHEN coalesce(trade_ratio, 0) > {float(threshold)}
             THEN concat('origin laundering: ', launder_country, ' re-exports ',
                         {_num("trade_ratio")}, 'x its imports of HS ', trade_code,
                         ' in ', coalesce(CAST(year AS VARCHAR), '?'))
             ELSE concat('origin laundering: ', launder_country, ' ships ', {_num("ship_ratio")},
                         'x more foreign-origin HS ', substring(hs_code, 1, 4),
                         ' than it receives') END END"""


def _corridor_reason() -> str:
    return """CASE WHEN corridor_score > 0 THEN concat(
        'corridor seen in ', CAST(corridor_seizures AS VARCHAR),
        CASE WHEN corridor_seizures = 1 THEN ' seizure' ELSE ' seizures' END,
        CASE WHEN corridor_transit IS NOT NULL THEN concat(' via ', corridor_transit) ELSE '' END,
        CASE WHEN corridor_same_sector > 0
             THEN concat(' (', CAST(corridor_same_sector AS VARCHAR), ' in the same sector)')
             ELSE '' END) END"""


def route_plan(params: RouteParams) -> Plan:
    """The routing analysis as SQL steps (DuckDB dialect; Spark runs it transpiled)."""
    route_text = Step(
        "r_ship_route",
        """SELECT *, concat_ws('>', lading, CASE WHEN n_ts > 0 THEN array_to_string(ts, '>') END,
                               unlading) AS route
           FROM r_ship""",
    )
    steps = (
        *leg_steps(params.min_direct_km),
        route_text,
        *laundering_steps(params.laundering_damping_usd, params.laundering_damping_kg),
        *corridor_steps(),
        *_points(params),
        _result(params),
    )
    inputs = (
        "shipments",
        "incidents",
        "trade_flows",
        "ref_port",
        "ref_country_geo",
        "ref_sector_hs",
    )
    # Steps read by several later ones are computed once. (More is not better on Spark:
    # each cached step's plan is printed inside every plan that reads it.)
    keep = {"r_ship", "r_stops", "r_legs", "r_route", "l_trade", "c_pat", "c_pat_country",
            "c_ship_inc", "r_evidence"}  # fmt: skip
    return Plan(inputs, steps, materialise=frozenset(keep))
