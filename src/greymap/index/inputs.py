"""From the workspace ``indicators`` table to the matrix an index is computed on.

Reads the rows each framework indicator names by (source, indicator[, year]); without a
year the latest year each country reports is used, and of two ingests of the same data the
later one wins. Then the coverage rules (OECD/JRC Handbook, step 2 "data selection"):

1. a framework indicator with no rows in the workspace is reported and left out;
2. an indicator reported by fewer than ``min_indicator_coverage`` of the countries, or
   with no variation, is left out; a category left with no indicator is left out;
3. a country reporting fewer than ``min_country_coverage`` of the remaining indicators,
   or fewer than ``min_category_indicators`` in any category, is excluded, with the reason.

Nothing here raises on missing data except when nothing at all can be scored; every
exclusion is recorded so a reader of the index can see who was left out and why.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from greymap.errors import InputError
from greymap.index.composite import IndexData
from greymap.index.framework import Benchmark, Framework, Indicator
from greymap.workspace import Workspace


@dataclass
class IndicatorStatus:
    indicator: Indicator
    category: str
    countries: int = 0
    coverage: float = 0.0
    status: str = "used"  # used | missing | dropped
    reason: str = ""


@dataclass
class CountryCoverage:
    country: str
    available: int
    total: int
    included: bool
    reason: str

    @property
    def coverage(self) -> float:
        return self.available / self.total if self.total else 0.0


@dataclass
class Prepared:
    data: IndexData
    years: np.ndarray  # (n, p) the year of each raw value, NaN if none
    statuses: list[IndicatorStatus]
    coverage: list[CountryCoverage]
    warnings: list[str] = field(default_factory=list)


def read_values(ws: Workspace, wanted: list[tuple[str, str, str, int | None]]) -> pd.DataFrame:
    """Rows ``(id, country, year, value)`` for each wanted ``(id, source, indicator, year)``;
    one row per (id, country): the latest year, then the latest ingest."""
    if not wanted:
        return pd.DataFrame(columns=["id", "country", "year", "value"])
    keys = pd.DataFrame(wanted, columns=["id", "source", "indicator", "year"])
    keys["year"] = keys["year"].astype("Int64")
    with registered(ws.con, "index_wanted", keys):
        return ws.con.execute(
            """SELECT w.id, i.country, i.year, i.value
               FROM indicators i
               JOIN index_wanted w ON i.source = w.source AND i.indicator = w.indicator
                    AND (w.year IS NULL OR i.year = w.year)
               WHERE i.value IS NOT NULL AND NOT isnan(i.value)
               QUALIFY row_number() OVER (PARTITION BY w.id, i.country
                                          ORDER BY i.year DESC NULLS LAST, i.ingest_id DESC) = 1"""
        ).df()


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> Iterator[None]:
    """Expose ``frame`` to SQL as ``name`` for the duration of the block.

    DuckDB refuses to register while an earlier ``fetchone()`` left a result unfinished on
    the connection, so a finished no-op query settles the connection first.
    """
    con.execute("SELECT 1").fetchall()
    con.register(name, frame)
    try:
        yield
    finally:
        con.unregister(name)


def read_benchmarks(ws: Workspace, benchmarks: list[Benchmark]) -> pd.DataFrame:
    """Benchmark values (already turned so higher = more capable), one column per id."""
    rows = read_values(ws, [(b.id, b.source, b.indicator, b.year) for b in benchmarks])
    table = rows.pivot_table(index="country", columns="id", values="value", aggfunc="first")
    for b in benchmarks:
        if b.id in table.columns and b.direction == "negative":
            table[b.id] = -table[b.id]
    return table


def prepare(ws: Workspace, framework: Framework) -> Prepared:
    wanted = [(i.id, i.source, i.indicator, i.year) for i in framework.indicators]
    rows = read_values(ws, wanted)
    return prepare_rows(framework, rows)


def prepare_rows(framework: Framework, rows: pd.DataFrame) -> Prepared:
    """The coverage rules on rows ``(id, country, year, value)``; see the module docstring."""
    category_of = framework.category_of()
    statuses = [IndicatorStatus(i, category_of[i.id]) for i in framework.indicators]
    values = rows.pivot_table(index="country", columns="id", values="value", aggfunc="first")
    years = rows.pivot_table(index="country", columns="id", values="year", aggfunc="first")
    warnings = _select_indicators(framework, statuses, values)
    used = [s for s in statuses if s.status == "used"]
    if not used:
        raise InputError(
            f"framework {framework.name!r}: none of its {len(statuses)} indicators has usable "
            "data in the workspace; load the country files first with "
            "'greymap ingest indicators FILE' (sources expected: "
            + ", ".join(sorted({s.indicator.source for s in statuses}))
            + ")"
        )
    categories = [c for c in framework.categories if any(s.category == c.id for s in used)]
    for c in framework.categories:
        if c not in categories:
            warnings.append(f"category {c.id} has no usable indicator and is left out")
    ids = [s.indicator.id for s in used]
    matrix = values.reindex(columns=ids)
    coverage = _country_coverage(matrix, used, framework)
    included = [c.country for c in coverage if c.included]
    if not included:
        raise InputError(
            f"no country has enough data for framework {framework.name!r}: each needs at least "
            f"{framework.coverage.min_country_coverage:.0%} of {len(ids)} indicators and "
            f"{framework.coverage.min_category_indicators} per category"
        )
    data = IndexData(
        countries=included,
        indicators=ids,
        categories=[c.id for c in categories],
        groups=[
            [ids.index(s.indicator.id) for s in used if s.category == c.id] for c in categories
        ],
        raw=matrix.loc[included].to_numpy(dtype=np.float64),
        positive=np.array([s.indicator.direction == "positive" for s in used]),
        indicator_expert=np.array([s.indicator.weight for s in used], dtype=np.float64),
        category_expert=np.array([c.weight for c in categories], dtype=np.float64),
    )
    year_matrix = years.reindex(index=included, columns=ids).to_numpy(dtype=np.float64)
    return Prepared(data, year_matrix, statuses, coverage, warnings)


def _select_indicators(
    framework: Framework, statuses: list[IndicatorStatus], values: pd.DataFrame
) -> list[str]:
    warnings = []
    missing: dict[str, list[str]] = {}
    universe = max(len(values.index), 1)
    floor = framework.coverage.min_indicator_coverage
    for s in statuses:
        ind = s.indicator
        column = values[ind.id].dropna() if ind.id in values.columns else pd.Series(dtype=float)
        s.countries, s.coverage = int(column.size), column.size / universe
        where = f"{ind.source}/{ind.indicator}" + (f"/{ind.year}" if ind.year else "")
        if column.empty:
            s.status, s.reason = "missing", f"no rows for {where} in the workspace"
            missing.setdefault(ind.source, []).append(ind.id)
        elif s.coverage < floor:
            s.status = "dropped"
            s.reason = f"reported by {s.coverage:.0%} of countries, below {floor:.0%}"
            warnings.append(f"indicator {ind.id}: {s.reason}")
        elif column.nunique() < 2:
            s.status, s.reason = "dropped", "no variation between countries"
            warnings.append(f"indicator {ind.id}: {s.reason}")
    for source, ids in missing.items():
        warnings.append(
            f"{len(ids)} indicator(s) of source {source} have no rows in the workspace and are "
            f"left out ({', '.join(ids)}); ingest it with 'greymap ingest indicators FILE'"
        )
    return warnings


def _country_coverage(
    matrix: pd.DataFrame, used: list[IndicatorStatus], framework: Framework
) -> list[CountryCoverage]:
    rule = framework.coverage
    present = matrix.notna()
    per_category = {
        c.id: [s.indicator.id for s in used if s.category == c.id] for c in framework.categories
    }
    per_category = {k: v for k, v in per_category.items() if v}
    out = []
    for country, row in present.iterrows():
        available, total = int(row.sum()), len(used)
        short = [
            k
            for k, cols in per_category.items()
            if int(row[cols].sum()) < min(rule.min_category_indicators, len(cols))
        ]
        reasons = []
        if available / total < rule.min_country_coverage:
            reasons.append(
                f"reports {available} of {total} indicators ({available / total:.0%}), "
                f"below {rule.min_country_coverage:.0%}"
            )
        if short:
            reasons.append("no data in " + ", ".join(short))
        out.append(CountryCoverage(str(country), available, total, not reasons, "; ".join(reasons)))
    return sorted(out, key=lambda c: c.country)
