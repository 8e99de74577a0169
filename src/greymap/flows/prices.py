"""Price anomalies: unit values far from the product's world distribution.

Mis-invoicing shows in prices before it shows anywhere else: goods declared at a tenth of
what the same product fetches everywhere else (under-invoicing, to evade duties or move
value abroad) or at ten times it (over-invoicing, to move money out). For each product
and year, the reference unit value is the median over all flows (or shipments) of that
product, and a unit value is scored by its robust z on the log scale (median and MAD), so
one extreme price cannot hide others and skewed price lists do not dominate.

Two sources, one table ``price_anomalies``:

* trade statistics: each reported flow's USD per kg (``value_usd / net_weight_kg``),
  compared within product, year and flow direction (exports FOB with exports, imports
  CIF with imports); only the export and import totals, since re-exports and re-imports
  are already inside them;
* shipments: declared value per kg against the same product's shipments; where a
  product has too few shipments, against its 4-digit heading, and the reference says
  which.

``score = min(|robust_z|, 10) * log10(1 + value at stake / 1000)``, where the value at
stake is what the declared value differs from the reference price times the weight.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from greymap.engine import Plan, Step

#: A product needs this many priced observations for its own reference; fewer use the
#: heading's.
MIN_OBSERVATIONS = 15

#: A product's shipments give its own reference price from this many on (a median of
#: five is already robust); fewer fall back to the heading's.
MIN_PRODUCT_SHIPMENTS = 5

#: A shipment deviates "the same way" as another when its robust z is beyond this.
SAME_WAY_Z = 1.5


@dataclass(frozen=True)
class PriceParams:
    year: int | None = None
    sector: str | None = None
    min_observations: int = MIN_OBSERVATIONS
    min_product_shipments: int = MIN_PRODUCT_SHIPMENTS

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _sector_join(params: PriceParams, alias: str) -> str:
    if not params.sector:
        return ""
    return (
        "JOIN (SELECT DISTINCT hs_prefix FROM ref_sector_hs "
        f"WHERE sector = '{params.sector}') s "
        f"ON substring({alias}.hs_code, 1, length(s.hs_prefix)) = s.hs_prefix"
    )


def price_plan(params: PriceParams) -> Plan:
    year = f"AND t.year = {int(params.year)}" if params.year is not None else ""
    syear = f"AND year(s0.arrival_date) = {int(params.year)}" if params.year is not None else ""
    n = int(params.min_observations)
    n6 = int(params.min_product_shipments)
    inputs: tuple[str, ...] = ("trade_flows", "shipments")
    if params.sector:
        inputs += ("ref_sector_hs",)
    steps = (
        Step(
            "p_trade",
            f"""SELECT CASE WHEN t.flow = 'export' THEN t.reporter ELSE t.partner END AS exporter,
                       CASE WHEN t.flow = 'export' THEN t.partner ELSE t.reporter END AS importer,
                       t.hs_code, t.year, t.flow, sum(t.value_usd) AS value_usd,
                       sum(t.net_weight_kg) AS kg
                FROM trade_flows t {_sector_join(params, "t")}
                WHERE t.reporter IS NOT NULL AND t.partner IS NOT NULL
                  AND coalesce(t.flow_detail, t.flow) = t.flow AND t.flow IN ('export', 'import')
                  AND length(t.hs_code) = 6 AND t.value_usd > 0 AND t.net_weight_kg > 0 {year}
                GROUP BY ALL""",
        ),
        Step("p_trade_lv", "SELECT *, ln(value_usd / kg) AS lv FROM p_trade"),
        Step(
            "p_trade_ref",
            """SELECT hs_code, year, flow, median(lv) AS centre, count(*) AS n
               FROM p_trade_lv GROUP BY hs_code, year, flow""",
        ),
        Step(
            "p_trade_mad",
            """SELECT l.hs_code, l.year, l.flow, r.centre, r.n,
                      median(abs(l.lv - r.centre)) AS mad
               FROM p_trade_lv l JOIN p_trade_ref r
                 ON r.hs_code = l.hs_code AND r.year = l.year AND r.flow = l.flow
               GROUP BY l.hs_code, l.year, l.flow, r.centre, r.n""",
        ),
        Step(
            "p_trade_scored",
            f"""SELECT 'trade' AS source, NULL AS shipment_id, l.exporter, l.importer,
                       l.hs_code, l.year, l.flow, l.value_usd, l.kg AS weight_kg,
                       l.value_usd / l.kg AS unit_value, exp(m.centre) AS reference_unit_value,
                       'hs6' AS reference_level, m.n AS reference_n,
                       (l.lv - m.centre) / (1.4826 * greatest(m.mad, 0.05)) AS robust_z
                FROM p_trade_lv l JOIN p_trade_mad m
                  ON m.hs_code = l.hs_code AND m.year = l.year AND m.flow = l.flow
                WHERE m.n >= {n}""",
        ),
        Step(
            "p_ship",
            f"""SELECT s0.shipment_id, s0.shipper_country AS exporter,
                       s0.consignee_country AS importer, s0.hs_code,
                       year(s0.arrival_date) AS year, s0.declared_value_usd AS value_usd,
                       s0.weight_kg AS kg, ln(s0.declared_value_usd / s0.weight_kg) AS lv
                FROM shipments s0 {_sector_join(params, "s0")}
                WHERE s0.hs_code IS NOT NULL AND length(s0.hs_code) >= 6
                  AND s0.declared_value_usd > 0 AND s0.weight_kg > 0 {syear}""",
        ),
        # The most specific reference first: what the exporting country reported for the
        # same flow (pair, product, year). Customs valuation checks use exactly this
        # "mirror" price, and it removes the price differences between trade flows.
        Step(
            "p_pair_ref",
            """SELECT reporter AS exporter, partner AS importer, hs_code, year,
                      ln(sum(value_usd) / sum(net_weight_kg)) AS centre
               FROM trade_flows
               WHERE flow = 'export' AND coalesce(flow_detail, flow) = flow
                 AND partner IS NOT NULL AND value_usd > 0 AND net_weight_kg > 0
                 AND length(hs_code) = 6
               GROUP BY reporter, partner, hs_code, year""",
        ),
        Step(
            "p_ship_ref6",
            "SELECT hs_code, median(lv) AS centre, count(*) AS n FROM p_ship GROUP BY hs_code",
        ),
        Step(
            "p_ship_ref4",
            """SELECT substring(hs_code, 1, 4) AS hs4, median(lv) AS centre, count(*) AS n
               FROM p_ship GROUP BY substring(hs_code, 1, 4)""",
        ),
        Step(
            "p_ship_dev",
            f"""SELECT p.*, r.centre, r.reference_level, r.reference_n,
                       abs(p.lv - r.centre) AS dev,
                       CASE WHEN r.reference_level = 'hs4' THEN substring(p.hs_code, 1, 4)
                            ELSE p.hs_code END AS ref_key
                FROM p_ship p
                JOIN (SELECT p.shipment_id,
                             CASE WHEN pr.centre IS NOT NULL THEN pr.centre
                                  WHEN r6.n >= {n6} THEN r6.centre ELSE r4.centre END AS centre,
                             CASE WHEN pr.centre IS NOT NULL THEN 'pair'
                                  WHEN r6.n >= {n6} THEN 'hs6' ELSE 'hs4' END AS reference_level,
                             CASE WHEN pr.centre IS NOT NULL THEN 1
                                  WHEN r6.n >= {n6} THEN r6.n ELSE r4.n END AS reference_n
                      FROM p_ship p
                      LEFT JOIN p_pair_ref pr ON pr.exporter = p.exporter
                       AND pr.importer = p.importer AND pr.hs_code = p.hs_code AND pr.year = p.year
                      LEFT JOIN p_ship_ref6 r6 ON r6.hs_code = p.hs_code
                      LEFT JOIN p_ship_ref4 r4 ON r4.hs4 = substring(p.hs_code, 1, 4)) r
                  ON r.shipment_id = p.shipment_id""",
        ),
        # Spread per reference level and product; thin products take their level's.
        Step(
            "p_ship_mad",
            f"""SELECT k.reference_level, k.ref_key,
                       CASE WHEN k.n >= {n} THEN k.mad ELSE l.mad END AS mad
                FROM (SELECT reference_level, ref_key, median(dev) AS mad, count(*) AS n
                      FROM p_ship_dev GROUP BY reference_level, ref_key) k
                JOIN (SELECT reference_level, median(dev) AS mad FROM p_ship_dev
                      GROUP BY reference_level) l ON l.reference_level = k.reference_level""",
        ),
        Step(
            "p_ship_z",
            """SELECT d.*, (d.lv - d.centre) / (1.4826 * greatest(m.mad, 0.05)) AS robust_z
               FROM p_ship_dev d JOIN p_ship_mad m
                 ON m.reference_level = d.reference_level AND m.ref_key = d.ref_key""",
        ),
        # Mis-invoicing is a practice of a trading relationship, an odd price a one-off:
        # count how many of the relationship's other shipments deviate the same way.
        Step(
            "p_ship_scored",
            f"""SELECT 'shipment' AS source, z.shipment_id, z.exporter, z.importer, z.hs_code,
                       z.year, 'import' AS flow, z.value_usd, z.kg AS weight_kg,
                       z.value_usd / z.kg AS unit_value, exp(z.centre) AS reference_unit_value,
                       z.reference_level, z.reference_n, z.robust_z,
                       CASE WHEN z.robust_z < 0 THEN coalesce(g.under, 0) - CASE WHEN z.robust_z < -{SAME_WAY_Z} THEN 1 ELSE 0 END
                            ELSE coalesce(g.over, 0) - CASE WHEN z.robust_z > {SAME_WAY_Z} THEN 1 ELSE 0 END
                       END AS same_way, coalesce(g.n, 1) - 1 AS others
                FROM p_ship_z z
                LEFT JOIN (SELECT exporter, importer, hs_code, count(*) AS n,
                                  sum(CASE WHEN robust_z < -{SAME_WAY_Z} THEN 1 ELSE 0 END) AS under,
                                  sum(CASE WHEN robust_z > {SAME_WAY_Z} THEN 1 ELSE 0 END) AS over
                           FROM p_ship_z GROUP BY exporter, importer, hs_code) g
                  ON g.exporter = z.exporter AND g.importer = z.importer AND g.hs_code = z.hs_code""",
        ),
        Step(
            "price_anomalies",
            """SELECT source, shipment_id, exporter, importer, hs_code, year, unit_value,
                      reference_unit_value,
                      least(abs(robust_z), 10.0)
                        * log10(1 + abs(unit_value - reference_unit_value) * weight_kg / 1000.0)
                        * CASE WHEN others IS NULL THEN 1.0
                               ELSE 0.2 + 0.8 * (same_way + 0.5) / (others + 1) END
                        AS score,
                      same_way, others,
                      robust_z, flow, value_usd, weight_kg, reference_level, reference_n,
                      (reference_unit_value - unit_value) * weight_kg AS value_at_stake_usd,
                      CASE WHEN unit_value < reference_unit_value THEN 'under-invoiced'
                           ELSE 'over-invoiced' END AS direction
               FROM (SELECT *, CAST(NULL AS BIGINT) AS same_way, CAST(NULL AS BIGINT) AS others
                     FROM p_trade_scored
                     UNION ALL SELECT * FROM p_ship_scored) u""",
        ),
    )
    return Plan(
        inputs, steps, materialise=frozenset({"p_trade_lv", "p_ship", "p_ship_dev", "p_ship_z"})
    )
