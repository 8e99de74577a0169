"""Mirror statistics: what the exporter says it sent against what the importer says it got.

For every exporter, importer, product and year, the exporter's reported exports (FOB) are
set against the importer's reported imports (CIF), after taking the freight and insurance
margin out of the imports. The margin is a configured constant or, by default, estimated
from the data as the literature does (Gaulier, Mirza, Turban and Zignago 2008, for BACI):
the median import/export ratio of matched flows in each distance band, where distance is
between the two countries' seaports. Most trade is reported honestly, so the median ratio
of a band is its CIF/FOB margin.

Each gap is then scored robustly:

* ``log_ratio`` = ln((imports_fob + d) / (exports + d)), with ``d`` a small damping so a
  one-sided flow has a finite ratio;
* ``robust_z``: the log ratio against the median and MAD of its product and year, so a
  product whose statistics disagree everywhere does not flood the list;
* reporter reliability: a country's median |robust z| over all its flows, turned into a
  weight in (0, 1]; a gap counts when at least one side is a reliable reporter (the
  weight is the larger of the two), since then the other side's figure is the odd one;
* value at stake: the gap in USD, on a log scale.

``score = min(|robust_z|, 10) * reliability * log10(1 + |gap_usd| / 1000)``.

Before scoring, the innocent reasons two honest reports disagree are taken out, each
recorded in its own column so the analyst sees what was explained:

* re-exports: importers attribute goods to their origin, not to the hub that re-exported
  them. A hub's exports are compared net of its re-exports to that importer
  (``exports_adjusted_usd``), and an origin's shortfall is credited with a share of the
  re-exports other hubs sent to the importer (``reexport_credit_usd``);
* confidential and unallocated trade: flows reported against special partners (Areas
  n.e.s., special categories, free zones) are shared among the gaps they could hide
  (``hidden_credit_usd``);
* classification: opposite gaps on sibling subheadings of one heading cancel
  (``classification_offset_usd``);
* timing: opposite gaps in different years of one pair and product cancel (goods shipped
  in December, received in January: ``timing_offset_usd``);
* unit slips: a gap that is a power of ten is marked ``possible_unit_error`` and its
  score multiplied by 0.2.

Each gap is also given a ``pattern`` from the net weights both sides declared, since
misinvoicing changes the declared value but not the goods, while unrecorded or smuggled
trade misses both (``weight_log_ratio`` = ln(imports_kg / exports_kg)):

* ``value``: both sides declared a weight and the weights agree within a factor of
  e^0.4 (about +-50%): the same goods, a different value;
* ``quantity``: the weights disagree by more, or one side recorded none of the flow
  although it reported trade that year: goods missing from one side's books;
* ``one-sided``: a country reported nothing that year (see ``one_sided``);
* ``unknown``: a side recorded the flow without a weight (common in real Comtrade).

The pattern never changes the score or the ranking; ``MirrorParams.pattern`` keeps only
the gaps of the patterns asked for.

Each pool is shared among the gaps it could explain in proportion to their size, so a
persistent one-sided gap (the mark of mis-invoicing) is left whole.

What is not a gap at all: flows with a special partner (World, Areas n.e.s., bunkers: the
reader keeps them with an empty partner), special or confidential product codes (TOTAL,
chapter 99), and flows whose exporter or importer reported nothing at all that year
(one-sided: kept with ``one_sided`` saying which side is silent, and a score of 0, since a
country that does not report is no evidence of misreporting).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from greymap.engine import Plan, Step
from greymap.flows.mirror_credits import (
    CLASSIFICATION_GROUP,
    TIMING_GROUP,
    g0_sql,
    offset_sql,
    offset_table_sql,
    pool_steps,
    scope_filters,
)

SPECIAL_HS = ("TOTAL", "AG2", "AG4", "AG6", "99", "9999", "999999")

#: Distance bands (km) within which the CIF/FOB margin is estimated.
DISTANCE_BANDS = (1000.0, 3000.0, 6000.0, 10000.0)

#: A gap that is a power of ten (a value reported in thousands, a slipped decimal) is
#: more likely a reporting error than fraud: its score is multiplied by this.
UNIT_ERROR_WEIGHT = 0.2

#: Bounds on an estimated margin: freight and insurance cost 0 to 25% of FOB value.
MARGIN_BOUNDS = (0.0, 0.25)

#: The patterns a gap can have (see the module docstring), in the order documented.
PATTERNS = ("value", "quantity", "one-sided", "unknown")

#: Declared weights within this |ln(imports_kg / exports_kg)| describe the same goods.
#: Chosen on tuning seeds 11-14 of the simulated world; anything from 0.2 to 0.7 ranks
#: about the same (honest weights differ by a few percent, unrecorded trade by far more).
WEIGHT_AGREEMENT = 0.4


@dataclass(frozen=True)
class MirrorParams:
    """How a mirror analysis runs; stored beside its results."""

    level: int | None = None
    sector: str | None = None
    year: int | None = None
    cif_fob: float | None = None
    damping_usd: float = 1000.0
    #: Keep only gaps of these patterns (comma-separated, from PATTERNS); None keeps all.
    pattern: str | None = None

    def patterns(self) -> tuple[str, ...]:
        """The patterns asked for, in PATTERNS order; all of them when none was given."""
        if not self.pattern:
            return PATTERNS
        asked = {p.strip() for p in self.pattern.split(",") if p.strip()}
        return tuple(p for p in PATTERNS if p in asked) or PATTERNS

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _hs_expr(params: MirrorParams) -> str:
    if params.sector and params.level is None:
        return f"'{params.sector}'"
    if params.level:
        return f"substring(t.hs_code, 1, {params.level})"
    return "t.hs_code"


def _filters(params: MirrorParams) -> str:
    special = ", ".join(f"'{c}'" for c in SPECIAL_HS)
    parts = [
        "t.reporter IS NOT NULL",
        "t.partner IS NOT NULL",
        "t.reporter <> t.partner",
        "coalesce(t.flow_detail, t.flow) = t.flow",
        f"t.hs_code NOT IN ({special})",
        "substring(t.hs_code, 1, 2) <> '99'",
        "t.value_usd IS NOT NULL",
    ]
    return " AND ".join(parts + scope_filters(params))


@dataclass(frozen=True)
class DataShape:
    """What the flows hold, probed cheaply before planning (see ``run.probe_shape``).

    A step that could only ever add zeros is left out of the plan: no monthly rows means
    no annual-or-monthly choice, no re-exports or special partners means no credit pools.
    The defaults plan for everything, so a plan made without probing is always right.
    """

    monthly: bool = True
    reexports: bool = True
    special_partners: bool = True


def mirror_plan(params: MirrorParams, shape: DataShape | None = None) -> Plan:
    """The mirror analysis as SQL steps (DuckDB dialect; Spark runs it transpiled).

    The flows are read once into one row per exporter, importer, product and year: each
    reported flow is keyed by the pair it describes and summed into its side's column, a
    single aggregation instead of annual totals joined exports-to-imports. Everything
    after that is a join of those pair rows to small aggregated tables (margins per
    distance band, credit pools, offsets, product medians, reporter reliability), which
    are written as tables; the pair rows are written twice (the pairs and the result),
    the narrow log ratios once. Window functions over all flows are avoided, since they
    sort and on ten million rows dominate. ``shape`` (see :class:`DataShape`) leaves out
    the steps the data cannot need.
    """
    shape = shape or DataShape()
    sector_join = ""
    inputs: tuple[str, ...] = ("trade_flows", "ref_country_location")
    if params.sector:
        sector_join = (
            "JOIN (SELECT DISTINCT hs_prefix FROM ref_sector_hs "
            f"WHERE sector = '{params.sector}') s "
            "ON substring(t.hs_code, 1, length(s.hs_prefix)) = s.hs_prefix"
        )
        inputs += ("ref_sector_hs",)
    steps = (
        Step(
            "m_base",
            f"""SELECT t.reporter, t.partner, t.flow, {_hs_expr(params)} AS hs_code, t.year,
                       t.month, t.value_usd, t.net_weight_kg
                FROM trade_flows t {sector_join}
                WHERE {_filters(params)}""",
        ),
        # Who reported anything in a year (a silent side makes a gap one-sided), and
        # whether it reported annual rows (then they are used; monthly rows are summed
        # otherwise).
        Step(
            "m_years",
            """SELECT reporter AS country, year,
                      max(CASE WHEN month IS NULL THEN 1 ELSE 0 END) AS has_annual
               FROM m_base GROUP BY reporter, year""",
        ),
        *_annual_steps(shape),
        Step("m_pairs", _pairs_sql(shape)),
        Step("m_margin", _margin_sql(params)),
        Step("m_fob", _fob_sql("m_pairs")),
        *pool_steps(params, shape, _hs_expr(params), sector_join),
        # Gaps can only offset within a pair's heading (across subheadings or years), so
        # the offset groups are found among the few pair rows whose heading the pair
        # reports more than once; the offsets are then joined back to every row.
        Step(
            "m_multi",
            """SELECT exporter, importer, substring(hs_code, 1, 4) AS hs_group FROM m_pairs
               GROUP BY exporter, importer, substring(hs_code, 1, 4) HAVING count(*) > 1""",
        ),
        Step(
            "m_cand",
            """SELECT p.* FROM m_pairs p
               JOIN m_multi c ON c.exporter = p.exporter AND c.importer = p.importer
                AND c.hs_group = substring(p.hs_code, 1, 4)""",
        ),
        Step("m_cand_fob", _fob_sql("m_cand")),
        Step("m_cand_g0", g0_sql("m_cand_fob", shape)),
        Step("m_off_g1", offset_table_sql("m_cand_g0", "g0", CLASSIFICATION_GROUP)),
        Step("m_cand_g1", offset_sql("m_cand_g0", "g0", "g1", CLASSIFICATION_GROUP)),
        Step("m_off_g2", offset_table_sql("m_cand_g1", "g1", TIMING_GROUP)),
        Step("m_cand_g2", offset_sql("m_cand_g1", "g1", "g2", TIMING_GROUP)),
        # The rows some offset changed; every other row keeps g2 = g1 = g0.
        Step(
            "m_offsets",
            """SELECT exporter, importer, hs_code, year, g1, g2 FROM m_cand_g2
               WHERE g1 <> g0 OR g2 <> g1""",
        ),
        Step("m_g0", g0_sql("m_fob", shape)),
        Step(
            "m_g2",
            """SELECT g.*, coalesce(o.g1, g.g0) AS g1, coalesce(o.g2, g.g0) AS g2
               FROM m_g0 g
               LEFT JOIN m_offsets o ON o.exporter = g.exporter AND o.importer = g.importer
                AND o.hs_code = g.hs_code AND o.year = g.year""",
        ),
        Step("m_adjusted", _adjusted_sql(params)),
        *_robust_steps(),
        Step("mirror_gaps", _score_sql(params)),
    )
    # Small aggregated tables are written (each is read by a join, some several times);
    # of the per-pair steps only the pairs and the narrow log ratios are, the rest are
    # views evaluated where they are read.
    big_views = {
        *("m_base", "m_annual", "m_fob", "m_g0", "m_g2", "m_adjusted"),
        *("m_cand_fob", "m_cand_g0", "m_cand_g1", "m_cand_g2"),
    }
    return Plan(
        inputs,
        steps,
        materialise=frozenset(s.name for s in steps[:-1] if s.name not in big_views),
    )


def _annual_steps(shape: DataShape) -> tuple[Step, ...]:
    """``m_annual``: the rows to sum, annual ones where a reporter-year has them."""
    if not shape.monthly:
        return (Step("m_annual", "SELECT * FROM m_base"),)
    return (
        Step(
            "m_annual",
            """SELECT b.* FROM m_base b
               JOIN m_years y ON y.country = b.reporter AND y.year = b.year
               WHERE b.month IS NULL OR y.has_annual = 0""",
        ),
    )


def _pairs_sql(shape: DataShape) -> str:
    """One row per exporter, importer, product and year that either side reported: the
    full outer join of exports with imports, as one aggregation over the flows keyed by
    the pair they describe (an import's reporter is the importer)."""
    flows = "'export', 'import', 're-export'" if shape.reexports else "'export', 'import'"
    reexports = (
        "sum(CASE WHEN flow = 're-export' THEN value_usd END)"
        if shape.reexports
        else "CAST(NULL AS DOUBLE)"
    )
    having = "HAVING count(CASE WHEN flow <> 're-export' THEN 1 END) > 0" if shape.reexports else ""
    pivot = f"""
        SELECT exporter, importer, hs_code, year,
               coalesce(sum(CASE WHEN flow = 'export' THEN value_usd END), 0)
                 AS exports_reported_usd,
               coalesce(sum(CASE WHEN flow = 'import' THEN value_usd END), 0)
                 AS imports_reported_usd,
               sum(CASE WHEN flow = 'export' THEN net_weight_kg END) AS exports_kg,
               sum(CASE WHEN flow = 'import' THEN net_weight_kg END) AS imports_kg,
               {reexports} AS reexports_usd
        FROM (SELECT CASE WHEN flow = 'import' THEN partner ELSE reporter END AS exporter,
                     CASE WHEN flow = 'import' THEN reporter ELSE partner END AS importer,
                     flow, hs_code, year, value_usd, net_weight_kg
              FROM m_annual WHERE flow IN ({flows})) a
        GROUP BY exporter, importer, hs_code, year
        {having}"""
    # The distance between the two countries (for the CIF/FOB margin) and which side is
    # silent that year, joined to small tables as the pair rows are written.
    return f"""
        SELECT *, {_band_expr()} AS distance_band
        FROM (SELECT p.*,
                     CASE WHEN ge.latitude IS NULL OR gi.latitude IS NULL THEN NULL
                          ELSE 2 * 6371 * asin(sqrt(least(1.0,
                               power(sin(radians(gi.latitude - ge.latitude) / 2), 2)
                               + cos(radians(ge.latitude)) * cos(radians(gi.latitude))
                               * power(sin(radians(gi.longitude - ge.longitude) / 2), 2))))
                     END AS distance_km,
                     CASE WHEN re.country IS NULL THEN 'exporter-not-reporting'
                          WHEN ri.country IS NULL THEN 'importer-not-reporting'
                     END AS one_sided
              FROM ({pivot}) p
              LEFT JOIN ref_country_location ge ON ge.iso3 = p.exporter
              LEFT JOIN ref_country_location gi ON gi.iso3 = p.importer
              LEFT JOIN m_years re ON re.country = p.exporter AND re.year = p.year
              LEFT JOIN m_years ri ON ri.country = p.importer AND ri.year = p.year) d"""


def _band_expr() -> str:
    whens = " ".join(
        f"WHEN distance_km < {limit} THEN {i}" for i, limit in enumerate(DISTANCE_BANDS)
    )
    return f"CASE WHEN distance_km IS NULL THEN -1 {whens} ELSE {len(DISTANCE_BANDS)} END"


def _margin_sql(params: MirrorParams) -> str:
    bands = ", ".join(f"({i})" for i in range(-1, len(DISTANCE_BANDS) + 1))
    if params.cif_fob is not None:
        return f"SELECT band AS distance_band, {float(params.cif_fob)} AS margin FROM (VALUES {bands}) v(band)"
    low, high = MARGIN_BOUNDS
    # The median ratio of matched flows per band; thin bands and pairs without a location
    # (no seaport) take the overall median.
    return f"""
        WITH m_matched AS (
            SELECT distance_band, ln(imports_reported_usd / exports_reported_usd) AS lr
            FROM m_pairs
            WHERE imports_reported_usd > 0 AND exports_reported_usd > 0),
        per_band AS (SELECT distance_band, median(lr) AS lr, count(*) AS n
                     FROM m_matched GROUP BY distance_band),
        overall AS (SELECT coalesce(median(lr), 0) AS lr FROM m_matched)
        SELECT v.band AS distance_band,
               least({high}, greatest({low},
                   exp(CASE WHEN pb.n >= 20 AND v.band >= 0 THEN pb.lr ELSE o.lr END) - 1)) AS margin
        FROM (VALUES {bands}) v(band)
        CROSS JOIN overall o
        LEFT JOIN per_band pb ON pb.distance_band = v.band"""


def _fob_sql(pairs: str) -> str:
    """Imports at FOB, and exports net of re-exports: importers attribute goods to their
    origin, not to the hub that re-exported them, so a hub's exports to an importer are
    compared net of its re-exports there."""
    return f"""SELECT p.*, mg.margin AS cif_fob_margin,
                      p.imports_reported_usd / (1 + mg.margin) AS imports_fob_usd,
                      greatest(0.0, p.exports_reported_usd - coalesce(p.reexports_usd, 0))
                        AS exports_own_usd,
                      p.imports_reported_usd / (1 + mg.margin)
                        - greatest(0.0, p.exports_reported_usd - coalesce(p.reexports_usd, 0))
                        AS raw_gap,
                      substring(p.hs_code, 1, 4) AS hs_group
               FROM {pairs} p JOIN m_margin mg ON mg.distance_band = p.distance_band"""


def _adjusted_sql(params: MirrorParams) -> str:
    d = float(params.damping_usd)
    return f"""SELECT g.*, g.imports_fob_usd - g.g2 AS exports_adjusted_usd,
                      ln((g.imports_fob_usd + {d}) / (g.imports_fob_usd - g.g2 + {d})) AS log_ratio,
                      coalesce(g.imports_fob_usd > 0 AND g.exports_own_usd > 0
                          AND abs(ln(g.imports_fob_usd / g.exports_own_usd)) >= ln(8.0)
                          AND abs(ln(g.imports_fob_usd / g.exports_own_usd) / ln(10.0)
                                  - round(ln(g.imports_fob_usd / g.exports_own_usd) / ln(10.0)))
                              < 0.03, false)
                        AS possible_unit_error
               FROM m_g2 g"""


def _robust_steps() -> tuple[Step, ...]:
    """Product-year centre and spread of the two-sided log ratios, and each reporter's
    median |robust z|, from one narrow table of the two-sided ratios."""
    z = "(l.log_ratio - s.centre) / (1.4826 * greatest(s.mad, 0.05))"
    return (
        Step(
            "m_lr",
            """SELECT exporter, importer, hs_code, year, log_ratio
               FROM m_adjusted WHERE one_sided IS NULL""",
        ),
        Step(
            "m_centre",
            "SELECT hs_code, year, median(log_ratio) AS centre FROM m_lr GROUP BY hs_code, year",
        ),
        Step(
            "m_spread",
            """SELECT l.hs_code, l.year, c.centre,
                      median(abs(l.log_ratio - c.centre)) AS mad, count(*) AS n_pairs
               FROM m_lr l JOIN m_centre c ON c.hs_code = l.hs_code AND c.year = l.year
               GROUP BY l.hs_code, l.year, c.centre""",
        ),
        Step(
            "m_reliability",
            f"""SELECT country, 1.0 / (1.0 + greatest(0.0, median(abs(z)) - 0.6745)) AS reliability
                FROM (
                    SELECT l.exporter AS country, {z} AS z
                    FROM m_lr l JOIN m_spread s ON s.hs_code = l.hs_code AND s.year = l.year
                    UNION ALL
                    SELECT l.importer AS country, {z} AS z
                    FROM m_lr l JOIN m_spread s ON s.hs_code = l.hs_code AND s.year = l.year) u
                GROUP BY country""",
        ),
    )


def _pattern_expr() -> str:
    """``pattern`` from which side recorded what and how far the declared weights differ
    (the ``weight_log_ratio`` of the same SELECT); see the module docstring."""
    return f"""CASE WHEN z.one_sided IS NOT NULL THEN 'one-sided'
                    WHEN least(z.exports_reported_usd, z.imports_reported_usd) <= 0
                         AND greatest(z.exports_reported_usd, z.imports_reported_usd) > 0
                         THEN 'quantity'
                    WHEN z.exports_kg > 0 AND z.imports_kg > 0 THEN
                         CASE WHEN abs(ln(z.imports_kg / z.exports_kg)) <= {WEIGHT_AGREEMENT}
                              THEN 'value' ELSE 'quantity' END
                    ELSE 'unknown' END"""


def _score_sql(params: MirrorParams) -> str:
    wanted = params.patterns()
    where = ""
    if wanted != PATTERNS:
        where = "WHERE " + _pattern_expr() + " IN (" + ", ".join(f"'{p}'" for p in wanted) + ")"
    return f"""
        SELECT z.exporter, z.importer, z.hs_code, z.year,
               z.exports_reported_usd, z.imports_reported_usd,
               z.imports_fob_usd - z.exports_adjusted_usd AS gap_usd,
               z.log_ratio,
               CASE WHEN z.robust_z IS NULL THEN 0.0 ELSE
                   least(abs(z.robust_z), 10.0)
                   * greatest(coalesce(rx.reliability, 1.0), coalesce(ri.reliability, 1.0))
                   * log10(1 + abs(z.imports_fob_usd - z.exports_adjusted_usd) / 1000.0)
                   * CASE WHEN z.possible_unit_error THEN {UNIT_ERROR_WEIGHT} ELSE 1.0 END
               END AS score,
               z.robust_z, z.imports_fob_usd, z.cif_fob_margin, z.distance_km,
               z.exports_adjusted_usd, z.reexports_usd, z.reexport_credit_usd,
               z.hidden_credit_usd, z.g0 - z.g1 AS classification_offset_usd,
               z.g1 - z.g2 AS timing_offset_usd, z.possible_unit_error, z.one_sided,
               z.exports_kg, z.imports_kg,
               CASE WHEN z.exports_kg > 0 AND z.imports_kg > 0
                    THEN ln(z.imports_kg / z.exports_kg) END AS weight_log_ratio,
               {_pattern_expr()} AS pattern,
               rx.reliability AS exporter_reliability, ri.reliability AS importer_reliability,
               CASE WHEN z.imports_fob_usd < z.exports_adjusted_usd
                    THEN 'importer-reports-less' ELSE 'exporter-reports-less' END AS direction
        FROM (SELECT a.*, CASE WHEN a.one_sided IS NULL THEN
                         (a.log_ratio - s.centre) / (1.4826 * greatest(s.mad, 0.05)) END AS robust_z
              FROM m_adjusted a
              LEFT JOIN m_spread s ON s.hs_code = a.hs_code AND s.year = a.year) z
        LEFT JOIN m_reliability rx ON rx.country = z.exporter
        LEFT JOIN m_reliability ri ON ri.country = z.importer
        {where}"""
