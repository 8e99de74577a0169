"""The innocent reasons two honest reports disagree, as steps of the mirror plan.

Credits (re-exports other hubs sent to the importer, trade reported against special
partners) and offsets (opposite gaps on sibling subheadings, or in neighbouring years) are
each shared among the gaps they could explain in proportion to their size, so a persistent
one-sided gap, the mark of mis-invoicing, is left whole. See :mod:`greymap.flows.mirror`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from greymap.engine import Step

if TYPE_CHECKING:
    from greymap.flows.mirror import DataShape, MirrorParams


def _special_filters(params: MirrorParams) -> str:
    """Flows to partners that are no country and not the world total: where confidential
    and unallocated trade hides (Areas n.e.s., special categories, free zones, bunkers)."""
    parts = [
        "t.reporter IS NOT NULL",
        "t.partner IS NULL",
        "t.partner_special IS NOT NULL",
        "t.partner_special NOT IN ('world', 'eu')",
        "coalesce(t.flow_detail, t.flow) = t.flow",
        "t.flow IN ('export', 'import')",
    ]
    return " AND ".join(parts + scope_filters(params))


def scope_filters(params: MirrorParams) -> list[str]:
    """The level and year asked for, as filters on ``trade_flows t``."""
    parts = []
    if params.level:
        parts.append(f"length(t.hs_code) >= {params.level}")
    if params.year is not None:
        parts.append(f"t.year = {int(params.year)}")
    return parts


POS, NEG = "greatest(0.0, f.raw_gap)", "greatest(0.0, -f.raw_gap)"


def pool_steps(
    params: MirrorParams, shape: DataShape, hs_expr: str, sector_join: str
) -> tuple[Step, ...]:
    """The pools that credit a gap (see :func:`g0_sql`), one row per group that has one;
    a pool the data cannot have (no re-exports, no special partners) is left out."""
    steps: list[Step] = []
    if shape.reexports:
        steps.append(
            Step(
                "m_rx_pool",
                f"""SELECT f.importer, f.hs_code, f.year, sum({POS}) AS gaps,
                           max(r.reexports_in_usd) AS pool
                    FROM m_fob f
                    JOIN (SELECT partner AS importer, hs_code, year,
                                 sum(value_usd) AS reexports_in_usd
                          FROM m_annual WHERE flow = 're-export'
                          GROUP BY partner, hs_code, year) r
                      ON r.importer = f.importer AND r.hs_code = f.hs_code AND r.year = f.year
                    WHERE f.raw_gap > 0
                    GROUP BY f.importer, f.hs_code, f.year""",
            )
        )
    if shape.special_partners:
        steps += [
            Step(
                "m_special",
                f"""SELECT t.reporter, t.flow, {hs_expr} AS hs_code, t.year,
                           sum(t.value_usd) AS hidden_usd
                    FROM trade_flows t {sector_join}
                    WHERE {_special_filters(params)}
                    GROUP BY t.reporter, t.flow, {hs_expr}, t.year""",
            ),
            Step("m_sx_pool", _hidden_pool("exporter", "export", POS, "f.raw_gap > 0")),
            Step("m_sm_pool", _hidden_pool("importer", "import", NEG, "f.raw_gap < 0")),
        ]
    return tuple(steps)


def g0_sql(fob: str, shape: DataShape) -> str:
    """``g0``: the gap left after re-exports and trade hidden under special partners.

    A shortfall of exports (the importer reports more) is first credited with re-exports
    other hubs sent to the importer, then with the exporter's exports to special partners;
    a shortfall of imports with the importer's imports from special partners. Each pool is
    shared among the gaps it could explain in proportion to their size.
    """
    joins: list[str] = []
    reexport_credit = hidden_credit = "0.0"
    if shape.reexports:
        joins.append(
            "LEFT JOIN m_rx_pool rp "
            "ON rp.importer = f.importer AND rp.hs_code = f.hs_code AND rp.year = f.year"
        )
        reexport_credit = f"""CASE WHEN f.raw_gap > 0 AND rp.gaps > 0
                THEN least({POS}, greatest(0.0, rp.pool - coalesce(f.reexports_usd, 0))
                                  * {POS} / rp.gaps)
                ELSE 0.0 END"""
    if shape.special_partners:
        joins += [
            "LEFT JOIN m_sx_pool sx "
            "ON sx.exporter = f.exporter AND sx.hs_code = f.hs_code AND sx.year = f.year",
            "LEFT JOIN m_sm_pool sm "
            "ON sm.importer = f.importer AND sm.hs_code = f.hs_code AND sm.year = f.year",
        ]
        hidden_credit = f"""CASE WHEN f.raw_gap > 0 AND sx.gaps > 0
                     THEN least({POS}, sx.pool * {POS} / sx.gaps)
                WHEN f.raw_gap < 0 AND sm.gaps > 0
                     THEN least({NEG}, sm.pool * {NEG} / sm.gaps)
                ELSE 0.0 END"""
    if not joins:
        # Nothing to credit: g0 is the raw gap (what the CASE below gives with no credit).
        return f"""SELECT *, CAST(0 AS DOUBLE) AS reexport_credit_usd,
                          CAST(0 AS DOUBLE) AS hidden_credit_usd,
                          raw_gap AS g0
                   FROM {fob}"""
    return f"""SELECT *, CASE WHEN raw_gap > 0
                             THEN greatest(0.0, raw_gap - reexport_credit_usd - hidden_credit_usd)
                             ELSE least(0.0, raw_gap + hidden_credit_usd) END AS g0
               FROM (
                   SELECT f.*, {reexport_credit} AS reexport_credit_usd,
                          {hidden_credit} AS hidden_credit_usd
                   FROM {fob} f
                   {" ".join(joins)}
               ) c"""


def _hidden_pool(side: str, flow: str, share: str, condition: str) -> str:
    """Per ``side`` country, product and year: its trade with special partners (the pool)
    and the gaps it could explain."""
    return f"""SELECT f.{side}, f.hs_code, f.year, sum({share}) AS gaps, max(sp.hidden_usd) AS pool
               FROM m_fob f
               JOIN m_special sp ON sp.reporter = f.{side} AND sp.flow = '{flow}'
                AND sp.hs_code = f.hs_code AND sp.year = f.year
               WHERE {condition}
               GROUP BY f.{side}, f.hs_code, f.year"""


#: Within a pair's heading and year, goods one side classifies under a sibling
#: subheading show as a gap here and the opposite gap there.
CLASSIFICATION_GROUP = ("exporter", "importer", "hs_group", "year")
#: Within a pair's product across years, goods shipped in December and received in
#: January do the same.
TIMING_GROUP = ("exporter", "importer", "hs_code")


def offset_table_sql(source: str, gap: str, group: tuple[str, ...]) -> str:
    """The groups with gaps of both signs, and the sum of each sign."""
    keys = ", ".join(group)
    return f"""SELECT {keys}, sum(greatest(0.0, {gap})) AS pos, sum(greatest(0.0, -{gap})) AS neg
               FROM {source} GROUP BY {keys}
               HAVING sum(greatest(0.0, {gap})) > 0 AND sum(greatest(0.0, -{gap})) > 0"""


def offset_sql(source: str, gap: str, out: str, group: tuple[str, ...]) -> str:
    """Gaps of opposite sign within ``group`` cancel, in proportion to their size.

    A persistent one-sided gap, the mark of mis-invoicing, is left whole. Only the groups
    with gaps of both signs are in the (small) offset table joined back.
    """
    on = " AND ".join(f"o.{k} = s.{k}" for k in group)
    table = "m_off_g1" if group == CLASSIFICATION_GROUP else "m_off_g2"
    return f"""SELECT s.*, CASE WHEN o.pos IS NULL THEN s.{gap}
                            WHEN s.{gap} > 0 THEN s.{gap} * (1 - least(o.pos, o.neg) / o.pos)
                            WHEN s.{gap} < 0 THEN s.{gap} * (1 - least(o.pos, o.neg) / o.neg)
                            ELSE 0.0 END AS {out}
               FROM {source} s LEFT JOIN {table} o ON {on}"""
