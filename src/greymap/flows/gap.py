"""The grey-market gap: value at stake by sector, country and hub, with a band.

It adds up what the flows analyses flagged, so it can be read as "how much trade does
not add up, and where":

* mirror gaps (``mirror_gaps``): the absolute gap of each flagged flow (|robust z| at or
  above the threshold; one-sided flows and likely unit errors left out), attributed to the
  side that reports less (an importer declaring less, an exporter declaring less);
* shipment price anomalies (``price_anomalies``): what the declared value differs from
  the reference price times the weight, attributed to the importing country and to every
  hub the shipment was transshipped through.

The band is the sensitivity to the flagging threshold: the central figure flags at
|z| >= 3, the low end at |z| >= 4, the high end at |z| >= 2. It answers "how much depends
on where we draw the line", the largest uncertainty in such estimates. A flow in two
sectors counts in both, so sector figures do not add up to the total.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from greymap.engine import Plan, Step

THRESHOLDS = {"low": 4.0, "central": 3.0, "high": 2.0}


@dataclass(frozen=True)
class GapParams:
    z_low: float = THRESHOLDS["low"]
    z_central: float = THRESHOLDS["central"]
    z_high: float = THRESHOLDS["high"]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _banded(value: str, z: str, p: GapParams) -> str:
    return f"""CASE WHEN abs({z}) >= {p.z_low} THEN {value} ELSE 0 END AS low_usd,
               CASE WHEN abs({z}) >= {p.z_central} THEN {value} ELSE 0 END AS central_usd,
               CASE WHEN abs({z}) >= {p.z_high} THEN {value} ELSE 0 END AS high_usd,
               CASE WHEN abs({z}) >= {p.z_central} THEN 1 ELSE 0 END AS flagged"""


def gap_plan(params: GapParams) -> Plan:
    steps = (
        Step(
            "gp_items",
            f"""SELECT 'mirror' AS source, hs_code,
                       CASE WHEN direction = 'importer-reports-less' THEN importer
                            ELSE exporter END AS country,
                       CAST(NULL AS VARCHAR) AS shipment_id,
                       {_banded("abs(gap_usd)", "robust_z", params)}
                FROM mirror_gaps
                WHERE robust_z IS NOT NULL AND NOT possible_unit_error
                  AND abs(robust_z) >= {params.z_high}
                UNION ALL
                SELECT 'prices' AS source, hs_code, importer AS country, shipment_id,
                       {_banded("abs(value_at_stake_usd)", "robust_z", params)}
                FROM price_anomalies
                WHERE source = 'shipment' AND abs(robust_z) >= {params.z_high}""",
        ),
        Step(
            "gp_sector",
            """SELECT 'sector' AS dimension, s.sector AS key, i.source,
                      sum(i.low_usd) AS low_usd, sum(i.central_usd) AS value_at_stake_usd,
                      sum(i.high_usd) AS high_usd, sum(i.flagged) AS flagged,
                      CAST(NULL AS DOUBLE) AS latitude, CAST(NULL AS DOUBLE) AS longitude
               FROM gp_items i
               JOIN ref_sector_hs s ON substring(i.hs_code, 1, length(s.hs_prefix)) = s.hs_prefix
               GROUP BY s.sector, i.source""",
        ),
        Step(
            "gp_country",
            """SELECT 'country' AS dimension, i.country AS key, i.source,
                      sum(i.low_usd) AS low_usd, sum(i.central_usd) AS value_at_stake_usd,
                      sum(i.high_usd) AS high_usd, sum(i.flagged) AS flagged,
                      max(g.latitude) AS latitude, max(g.longitude) AS longitude
               FROM gp_items i LEFT JOIN ref_country_geo g ON g.iso3 = i.country
               WHERE i.country IS NOT NULL
               GROUP BY i.country, i.source""",
        ),
        Step(
            "gp_hub",
            """SELECT 'hub' AS dimension, h.hub AS key, i.source,
                      sum(i.low_usd) AS low_usd, sum(i.central_usd) AS value_at_stake_usd,
                      sum(i.high_usd) AS high_usd, sum(i.flagged) AS flagged,
                      max(p.latitude) AS latitude, max(p.longitude) AS longitude
               FROM gp_items i
               JOIN (SELECT shipment_id, unnest(transshipment_ports) AS hub FROM shipments) h
                 ON h.shipment_id = i.shipment_id
               LEFT JOIN ref_port p ON p.locode = h.hub
               GROUP BY h.hub, i.source""",
        ),
        Step(
            "grey_market_gap",
            """SELECT * FROM gp_sector UNION ALL SELECT * FROM gp_country
               UNION ALL SELECT * FROM gp_hub""",
        ),
    )
    inputs = (
        "mirror_gaps",
        "price_anomalies",
        "shipments",
        "ref_sector_hs",
        "ref_country_geo",
        "ref_port",
    )
    return Plan(inputs, steps, materialise=frozenset({"gp_items"}))
