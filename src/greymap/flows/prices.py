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


@dataclass(frozen=True)
class PriceParams:
    year: int | None = None
    sector: str | None = None
    min_observations: int = MIN_OBSERVATIONS

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
            "p_ship_ref",
            f"""SELECT p.shipment_id,
                       CASE WHEN r6.n >= {n} THEN r6.centre ELSE r4.centre END AS centre,
                       CASE WHEN r6.n >= {n} THEN 'hs6' ELSE 'hs4' END AS reference_level,
                       CASE WHEN r6.n >= {n} THEN r6.n ELSE r4.n END AS reference_n
                FROM p_ship p
                LEFT JOIN p_ship_ref6 r6 ON r6.hs_code = p.hs_code
                LEFT JOIN p_ship_ref4 r4 ON r4.hs4 = substring(p.hs_code, 1, 4)""",
        ),
        Step(
            "p_ship_dev",
            """SELECT p.*, r.centre, r.reference_level, r.reference_n,
                      abs(p.lv - r.centre) AS dev
               FROM p_ship p JOIN p_ship_ref r ON r.shipment_id = p.shipment_id""",
        ),
        Step(
            "p_ship_mad",
            """SELECT reference_level, CASE WHEN reference_level = 'hs6' THEN hs_code
                      ELSE substring(hs_code, 1, 4) END AS ref_key, median(dev) AS mad
               FROM p_ship_dev GROUP BY ALL""",
        ),
        Step(
            "p_ship_scored",
            f"""SELECT 'shipment' AS source, d.shipment_id, d.exporter, d.importer, d.hs_code,
                       d.year, 'import' AS flow, d.value_usd, d.kg AS weight_kg,
                       d.value_usd / d.kg AS unit_value, exp(d.centre) AS reference_unit_value,
                       d.reference_level, d.reference_n,
                       (d.lv - d.centre) / (1.4826 * greatest(m.mad, 0.05)) AS robust_z
                FROM p_ship_dev d JOIN p_ship_mad m
                  ON m.reference_level = d.reference_level
                 AND m.ref_key = CASE WHEN d.reference_level = 'hs6' THEN d.hs_code
                                      ELSE substring(d.hs_code, 1, 4) END
                WHERE d.reference_n >= {n}""",
        ),
        Step(
            "price_anomalies",
            """SELECT source, shipment_id, exporter, importer, hs_code, year, unit_value,
                      reference_unit_value,
                      least(abs(robust_z), 10.0)
                        * log10(1 + abs(unit_value - reference_unit_value) * weight_kg / 1000.0)
                        AS score,
                      robust_z, flow, value_usd, weight_kg, reference_level, reference_n,
                      (reference_unit_value - unit_value) * weight_kg AS value_at_stake_usd,
                      CASE WHEN unit_value < reference_unit_value THEN 'under-invoiced'
                           ELSE 'over-invoiced' END AS direction
               FROM (SELECT * FROM p_trade_scored UNION ALL SELECT * FROM p_ship_scored) u""",
        ),
    )
    return Plan(inputs, steps, materialise=frozenset({"p_trade_lv", "p_ship", "p_ship_dev"}))
