"""The threat catalogue: seizures summarised by corridor, transit, country, commodity or period.

``threats`` has one row per group of ``incidents`` (seizure records), grouped ``by``:

* ``corridor`` (default): sector, origin, transit, destination. ``transit`` is the
  ';'-joined chain of transit countries as the record gives it (``MYS;VNM``), so a row is
  one route as seizures describe it and stays a flat record; a record naming no transit
  has an empty transit, and unknown origins or destinations stay empty (nothing is guessed).
* ``transit``: sector and each transit country separately (a record naming two transit
  countries counts for both; records naming none are not in this view).
* ``country``: sector and the seizing country. ``commodity``: sector, HS code and the
  commodity as recorded. ``period``: sector and year.

Each row has the number of ``incidents``, ``value_usd`` (sum of the values recorded),
``quantities`` (sums per unit, ``unit=sum;...``), ``first_seen`` and ``last_seen`` dates,
and trends over the catalogue's period (``since``..``until``, else the years the selected
records span): ``trend`` is the least-squares slope of incidents per year, years without a
seizure counting as zero (in closed form, ``sum(year - mean year) / sum((year - mean
year)^2)`` over the period's years, so no calendar table is needed), and
``last_3y``/``prior_3y`` count the incidents of the period's last three years and of the
three before. In the ``period`` view a row is one year, so ``trend`` is the change in
incidents from the year before (none for the first year) and the three-year counts are
empty. Cross-sector recurrence: ``sectors`` is how many sectors share the row's
corridor, transit country, seizing country, commodity or year, and ``sector_list`` names
them, counted over every sector even when ``sector`` selects one; a corridor or transit
country seized in many sectors is a common choke point.

Filters: ``sector``; ``country`` (origin, transit, destination or seizing country);
``since``/``until`` (ISO dates, inclusive).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from greymap.engine import Plan, Step

TABLE = "threats"
BY = ("corridor", "transit", "country", "commodity", "period")

#: Grouping keys of each view, as (output column, expression over ``t_unit``).
_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "corridor": (("origin", "origin"), ("transit", "transit"), ("destination", "destination")),
    "transit": (("transit", "transit"),),
    "country": (("country", "country"),),
    "commodity": (("hs_code", "hs_code"), ("commodity", "commodity")),
    "period": (("period", "CAST(year AS VARCHAR)"),),
}


@dataclass(frozen=True)
class ThreatParams:
    """How the catalogue was made; stored beside it."""

    by: str = "corridor"
    sector: str | None = None
    country: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _period_filter(params: ThreatParams) -> str:
    parts = ["date IS NOT NULL"]
    if params.since:
        parts.append(f"date >= CAST({_quote(params.since.isoformat())} AS DATE)")
    if params.until:
        parts.append(f"date <= CAST({_quote(params.until.isoformat())} AS DATE)")
    return " AND ".join(parts)


def _selection(params: ThreatParams) -> str:
    parts = ["TRUE"]
    if params.sector:
        parts.append(f"sector = {_quote(params.sector)}")
    if params.country:
        c = _quote(params.country)
        parts.append(
            f"(origin = {c} OR destination = {c} OR country = {c} "
            f"OR coalesce(array_contains(transit_countries, {c}), false))"
        )
    return " AND ".join(parts)


def _base(params: ThreatParams) -> tuple[Step, ...]:
    # Keys are '' rather than NULL inside the plan so that groups join on plain equality on
    # every engine; the result turns them back into NULL.
    records = Step(
        "t_inc",
        f"""SELECT incident_id, date, year(date) AS year, coalesce(country, '') AS country,
                   coalesce(sector, '') AS sector, coalesce(hs_code, '') AS hs_code,
                   coalesce(commodity, '') AS commodity, quantity, unit, value_usd,
                   coalesce(origin_country, '') AS origin,
                   coalesce(destination_country, '') AS destination,
                   coalesce(array_to_string(transit_countries, ';'), '') AS transit,
                   transit_countries
            FROM incidents WHERE {_period_filter(params)}""",
    )
    if params.by == "transit":
        unit_sql = """SELECT t.incident_id, t.date, t.year, t.country, t.sector, t.hs_code,
                             t.commodity, t.quantity, t.unit, t.value_usd, t.origin,
                             t.destination, x.transit, t.transit_countries
                      FROM t_inc t
                      JOIN (SELECT DISTINCT incident_id, transit FROM (
                                SELECT incident_id, unnest(transit_countries) AS transit
                                FROM t_inc) e
                            WHERE transit IS NOT NULL AND transit <> '') x
                        ON x.incident_id = t.incident_id"""
    else:
        unit_sql = "SELECT * FROM t_inc"
    units = Step("t_all", unit_sql)
    selected = Step("t_unit", f"SELECT * FROM t_all WHERE {_selection(params)}")
    span = Step("t_span", _span_sql(params))
    return records, units, selected, span


def _span_sql(params: ThreatParams) -> str:
    first = str(params.since.year) if params.since else "lo"
    last = str(params.until.year) if params.until else "hi"
    return f"""SELECT y0, y1, y1 - y0 + 1 AS n_years, CAST(y0 + y1 AS DOUBLE) / 2 AS mid
               FROM (SELECT {first} AS y0, {last} AS y1
                     FROM (SELECT min(year) AS lo, max(year) AS hi FROM t_unit) m) s"""


def _groups(params: ThreatParams) -> tuple[Step, ...]:
    keys = _KEYS[params.by]
    names = [name for name, _ in keys]
    extra = "".join(f", {expr} AS {name}" for name, expr in keys if expr != name)
    group = ", ".join(("sector", *names))
    keyed = Step("t_keyed", f"SELECT t_unit.*{extra} FROM t_unit")
    totals = Step(
        "t_groups",
        f"""SELECT {group}, count(*) AS incidents, sum(value_usd) AS value_usd,
                   min(date) AS first_seen, max(date) AS last_seen,
                   CASE WHEN s.n_years > 1
                        THEN sum(year - s.mid) / (s.n_years * (s.n_years * s.n_years - 1) / 12.0)
                   END AS trend,
                   CAST(sum(CASE WHEN year > s.y1 - 3 THEN 1 ELSE 0 END) AS BIGINT) AS last_3y,
                   CAST(sum(CASE WHEN year > s.y1 - 6 AND year <= s.y1 - 3 THEN 1 ELSE 0 END)
                        AS BIGINT) AS prior_3y
            FROM t_keyed CROSS JOIN t_span s
            GROUP BY {group}, s.y1, s.n_years, s.mid""",
    )
    recurrence = Step(
        "t_recur",
        # Distinct first: Spark cannot combine DISTINCT with an ordered string_agg.
        f"""SELECT {", ".join(names)}, count(*) AS sectors,
                   string_agg(sector, ';' ORDER BY sector) AS sector_list
            FROM (SELECT DISTINCT {", ".join(names)}, sector
                  FROM (SELECT *{extra} FROM t_all WHERE sector <> '') a) d
            GROUP BY {", ".join(names)}""",
    )
    quantities = Step(
        "t_qty",
        f"""SELECT {group},
                   string_agg(concat(unit, '=', {_num("q")}), ';' ORDER BY unit) AS quantities
            FROM (SELECT {group}, coalesce(unit, 'units') AS unit, sum(quantity) AS q
                  FROM t_keyed WHERE quantity IS NOT NULL
                  GROUP BY {group}, coalesce(unit, 'units')) u
            GROUP BY {group}""",
    )
    return keyed, totals, recurrence, quantities, _result(names)


#: Every view has the same columns; keys outside a view are NULL.
_ALL_KEYS = ("origin", "transit", "destination", "country", "hs_code", "commodity", "period")


def _result(names: list[str]) -> Step:
    keys = [
        f"nullif(g.{k}, '') AS {k}" if k in names else f"CAST(NULL AS VARCHAR) AS {k}"
        for k in _ALL_KEYS
    ]
    on_r = " AND ".join(f"r.{n} = g.{n}" for n in names)
    on_q = " AND ".join(f"q.{n} = g.{n}" for n in ("sector", *names))
    trend, windows, previous = "round(g.trend, 6)", "g.last_3y, g.prior_3y", ""
    if names == ["period"]:
        # A year is its own period: the trend is the change from the year before.
        trend = """CASE WHEN CAST(g.period AS INT) > s.y0
                        THEN CAST(g.incidents - coalesce(p.incidents, 0) AS DOUBLE) END"""
        windows = "CAST(NULL AS BIGINT) AS last_3y, CAST(NULL AS BIGINT) AS prior_3y"
        previous = """CROSS JOIN t_span s
            LEFT JOIN t_groups p ON p.sector = g.sector
             AND CAST(p.period AS INT) = CAST(g.period AS INT) - 1"""
    return Step(
        TABLE,
        f"""SELECT nullif(g.sector, '') AS sector, {", ".join(keys)},
                   g.incidents, g.value_usd, g.first_seen, g.last_seen, q.quantities,
                   {trend} AS trend, {windows},
                   coalesce(r.sectors, 0) AS sectors, r.sector_list
            FROM t_groups g
            LEFT JOIN t_recur r ON {on_r}
            LEFT JOIN t_qty q ON {on_q}
            {previous}""",
    )


def threat_plan(params: ThreatParams) -> Plan:
    """The catalogue as SQL steps (DuckDB dialect; Spark runs it transpiled)."""
    steps = (*_base(params), *_groups(params))
    return Plan(("incidents",), steps, materialise=frozenset({"t_inc", "t_unit", "t_keyed"}))


def _num(expr: str) -> str:
    """A quantity as text, the same on every engine (large numbers as integers)."""
    return (
        f"CASE WHEN abs({expr}) >= 1000000 THEN CAST(CAST(round({expr}) AS BIGINT) AS VARCHAR) "
        f"ELSE CAST(round({expr}, 1) AS VARCHAR) END"
    )
