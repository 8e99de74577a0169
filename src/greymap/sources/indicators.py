"""Country indicators (CSV), long or wide: indices such as GOCI, Basel AML, CPI or LPI.

**Long** files have ``country, indicator, year, value`` (and optionally ``source``): one
value per row. **Wide** files have a country column (a name, or an ISO code column such
as ``ISO3``, ``ISO2``, ``Code``; both may be present and the code wins) and one column
per indicator. In a wide file:

* the indicator is the snake_case slug of the column name (``Criminality avg`` ->
  ``criminality_avg``); a year at the end of the name is the value's year (``CPI score
  2016`` -> ``cpi_score``, 2016). Bare year columns (``1995``, ``1996``...) take their
  indicator from a mapping constant ``indicator`` (default: the source name);
* otherwise the year comes from a ``year`` column, or a mapping constant ``year``, or is
  left empty (an index edition without a stated year);
* a column of yes/no flags (``yes`` and blanks, as in Basel AML's sanctions lists)
  becomes 1/0, blanks counting as 0;
* a text column that is neither (``Region``, an FSRB name) is skipped with a note, since
  one bad cell should not quarantine a whole country; ``options: {categorical:
  dummies}`` stores it instead as one 0/1 indicator per category
  (``fatf_style_regional_bodies_fsrb_moneyval``). A file with nothing but such columns
  is an error that says so.

Missing values are not rows: empty cells, ``NA``, ``N/A``, ``..``, ``-`` and whatever
``options: {missing: ["0.0"]}`` adds (compared as text, after trimming). ``options:
{exclude: [col, ...]}`` leaves columns out. Country names in any spelling become ISO3;
a name or code no current country has (``Yugoslavia``, ``Serbia and Montenegro``) falls
back to its ISO 3166-3 code (``YUG``, ``SCG``). ``source`` is the file's ``source``
column if it has one, else the ``--dataset`` name, else the file name without extension.

Counting stays per CSV data row: a row is loaded if at least one value from it was
stored, and quarantined (with the reason) if its country or year cannot be read or it
holds no value at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pycountry

from greymap.errors import InputError, MissingColumnsError
from greymap.reference.countries import normalise_key, to_iso3
from greymap.sources import checks as c
from greymap.sources.base import Reader
from greymap.sources.context import IngestContext
from greymap.sources.tabular import ColumnSpec, Staged, header_key, stage_csv

SPEC = ColumnSpec(
    required=(),
    optional=("country", "country_code", "indicator", "year", "value", "source"),
    aliases={
        "country": ("country_name", "jurisdiction", "economy"),
        "country_code": (
            *("iso3", "iso_3", "country_iso3", "alpha_3", "iso2", "iso_2", "alpha_2"),
            *("iso_code", "iso", "code"),
        ),
        "indicator": ("indicator_name", "variable", "series"),
        "year": ("yr",),
    },
)

OUTPUT = ("country", "indicator", "year", "value", "source")
MISSING = ("", "NA", "N/A", "..", "-", "--", "NAN", "NULL", "#N/A")
FLAGS = {"yes": 1.0, "y": 1.0, "true": 1.0, "no": 0.0, "n": 0.0, "false": 0.0}
#: A column is numeric if at least this share of its non-missing cells are numbers; the
#: others are then ignored (with a note) rather than turning the column into text.
NUMERIC_SHARE = 0.9
NAME_YEAR = re.compile(r"^(.*?)[\s_\-]*\b((?:18|19|20)[0-9]{2})$")


def slug(name: str) -> str:
    """snake_case of a column name, accents dropped.

    >>> slug("Logistics Quality & Competence"), slug("FATF-Style Regional Bodies (FSRB)")
    ('logistics_quality_competence', 'fatf_style_regional_bodies_fsrb')
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


@cache
def _historic_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for h in pycountry.historic_countries:
        for attr in ("alpha_3", "name", "official_name", "common_name"):
            value = getattr(h, attr, None)
            if value:
                keys.setdefault(normalise_key(value), h.alpha_3)
                keys.setdefault(normalise_key(value.split(",")[0]), h.alpha_3)
    return keys


def historic_iso3(raw: str) -> str | None:
    """The ISO 3166-3 alpha-3 of a country that no longer exists ("Yugoslavia" -> YUG)."""
    return _historic_keys().get(normalise_key(raw.replace("&", " and ")))


@dataclass(frozen=True)
class IndicatorOptions:
    """The reader's ``options`` from a mapping file, checked once."""

    missing: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    categorical: str = "skip"
    year_in_names: bool = True

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> IndicatorOptions:
        unknown = set(raw) - set(cls.__dataclass_fields__)
        if unknown:
            raise InputError(
                f"unknown indicators option(s) {', '.join(sorted(unknown))}; expected "
                + ", ".join(cls.__dataclass_fields__)
            )
        values = dict(raw)
        for key in ("missing", "exclude"):
            if key in values:
                items = values[key] if isinstance(values[key], list) else [values[key]]
                values[key] = tuple(str(i) for i in items)
        if values.get("categorical", "skip") not in ("skip", "dummies"):
            raise InputError(
                f"options.categorical {values['categorical']!r}; expected skip or dummies"
            )
        return cls(**values)


class IndicatorsReader(Reader):
    NAME = "indicators"
    TABLES = ("indicators",)
    DESCRIPTION = "country indicators, long (country, indicator, year, value) or wide (CSV)"

    def read(self, ctx: IngestContext, paths: list[Path]) -> None:
        options = IndicatorOptions.from_dict(dict(ctx.mapping.options) if ctx.mapping else {})
        for path in paths:
            staged = stage_csv(ctx, path, SPEC)
            if not {"country", "country_code"} & staged.present:
                raise MissingColumnsError(
                    str(path),
                    ["country"],
                    ["country (a name or an ISO code column)"],
                    staged.header,
                )
            table = _Indicators(ctx, staged, options)
            if {"indicator", "value"} <= staged.present:
                table.load_long()
            else:
                table.load_wide()


class _Indicators:
    """One staged file: countries, years and values, checked in SQL."""

    def __init__(self, ctx: IngestContext, staged: Staged, options: IndicatorOptions) -> None:
        self.ctx, self.staged, self.options = ctx, staged, options
        self.source = ctx.dataset or staged.path.stem
        replacements = _replacements(ctx)
        cols = ("country_code", "country")
        self.current = ctx.lookup(staged.view, cols, _convert(replacements, to_iso3))
        self.historic = ctx.lookup(staged.view, cols, _convert(replacements, historic_iso3))

    # -- shared pieces -----------------------------------------------------------------
    def _country(self, v: str = "v") -> str:
        cur, hist = self.current, self.historic
        return (
            f"coalesce({cur}({v}.country_code), {cur}({v}.country), "
            f"{hist}({v}.country_code), {hist}({v}.country))"
        )

    def _row_checks(self) -> list[tuple[str, str]]:
        shown = "coalesce(v.country, v.country_code)"
        return [
            ("v.country IS NULL AND v.country_code IS NULL", c.text("missing country")),
            (
                f"{shown} IS NOT NULL AND {self._country()} IS NULL",
                f"'unrecognised country ' || chr(39) || left({shown}, 80) || chr(39) "
                "|| '; expected a country name or ISO code'",
            ),
            (
                f"v.year IS NOT NULL AND {c.integer('year')} IS NULL",
                c.bad_value("bad year", "year", "a year such as 2017"),
            ),
        ]

    def _load(self, rows_query: str, values_query: str) -> None:
        staged = self.staged
        args = (rows_query, values_query, OUTPUT, staged.raw_query)
        self.ctx.load_unpivoted(staged.path, "indicators", *args)

    # -- long --------------------------------------------------------------------------
    def load_long(self) -> None:
        name = self.ctx.lookup(self.staged.view, ("indicator",), lambda raw: slug(raw) or None)
        value = c.number("value")
        missing = _missing_sql("v.value", self.options.missing)
        checks = [
            *self._row_checks(),
            (f"{name}(v.indicator) IS NULL", c.text("missing indicator")),
            (missing, c.text("missing value")),
            (f"NOT {missing} AND {value} IS NULL", c.bad_value("bad value", "value", "a number")),
        ]
        rows_query = f"SELECT v._row, {c.reasons(*checks)} AS _reason FROM {self.staged.view} v"
        values_query = f"""
            SELECT v._row, {self._country()} AS country, {name}(v.indicator) AS indicator,
                   {c.integer("year")} AS year, {value} AS value,
                   coalesce(v.source, {c.text(self.source)}) AS source
            FROM {self.staged.view} v
        """
        self._load(rows_query, values_query)

    # -- wide --------------------------------------------------------------------------
    def load_wide(self) -> None:
        cells = self._cells()
        kinds = self._classify(cells)
        values = self.ctx.temp_name("values")
        self.ctx.con.execute(f"CREATE TEMP TABLE {values} AS {_values_sql(cells, kinds)}")
        checks = [*self._row_checks(), ("n.n IS NULL", c.text("no indicator values"))]
        rows_query = f"""
            SELECT v._row, {c.reasons(*checks)} AS _reason FROM {self.staged.view} v
            LEFT JOIN (SELECT _row, count(*) AS n FROM {values} GROUP BY _row) n
                ON n._row = v._row
        """
        values_query = f"""
            SELECT v._row, {self._country()} AS country, x.indicator,
                   coalesce(x.name_year, {c.integer("year")}) AS year, x.value,
                   coalesce(v.source, {c.text(self.source)}) AS source
            FROM {self.staged.view} v JOIN {values} x ON x._row = v._row
        """
        self._load(rows_query, values_query)
        self._note_repeats(values_query)

    def _indicator_columns(self) -> list[str]:
        taken = set(self.staged.columns.values()) | {"_row"}
        excluded = {header_key(e) for e in self.options.exclude}
        return [h for h in self.staged.header if h not in taken and header_key(h) not in excluded]

    def _column_table(self, columns: list[str]) -> str:
        """``name, indicator, name_year`` for each indicator column of the file."""
        bare = (self.ctx.mapping.constants.get("indicator") if self.ctx.mapping else None) or (
            self.source
        )
        rows = [_name_and_year(h, self.options.year_in_names, slug(bare)) for h in columns]
        table = self.ctx.temp_name("columns")
        arrow = pa.table(
            {
                "name": columns,
                "indicator": [r[0] for r in rows],
                "name_year": pa.array([r[1] for r in rows], pa.int32()),
            }
        )
        self.ctx.con.register(table + "_a", arrow)
        try:
            self.ctx.con.execute(f"CREATE TEMP TABLE {table} AS SELECT * FROM {table}_a")
        finally:
            self.ctx.con.unregister(table + "_a")
        return table

    def _cells(self) -> str:
        """``_row, name, indicator, name_year, raw, missing, num`` for every cell."""
        columns = self._indicator_columns()
        if not columns:
            raise InputError(
                f"{self.staged.path}: no indicator columns besides the country; expected a "
                "wide file (a country column and one column per indicator) or a long file "
                "(country, indicator, year, value)"
            )
        info = self._column_table(columns)
        quoted = ", ".join(f'"{h}"' for h in columns)
        cells = self.ctx.temp_name("cells")
        text = "regexp_replace(raw, '^\\s+|\\s+$', '', 'g')"
        self.ctx.con.execute(
            f"""CREATE TEMP TABLE {cells} AS
            SELECT u._row, u.name, i.indicator, i.name_year, u.t AS raw,
                   {_missing_sql("u.t", self.options.missing)} AS missing,
                   TRY_CAST(replace(u.t, ',', '') AS DOUBLE) AS num
            FROM (SELECT _row, name, {text} AS t FROM {self.staged.table}
                  UNPIVOT INCLUDE NULLS (raw FOR name IN ({quoted}))) u
            JOIN {info} i ON i.name = u.name"""
        )
        return cells

    def _classify(self, cells: str) -> dict[str, str]:
        """Each column's kind: numeric, flag, categorical, dummies or empty; with notes."""
        flags = ", ".join(c.text(f) for f in FLAGS)
        stats = self.ctx.con.execute(
            f"""SELECT name, count(*) FILTER (NOT missing) AS n,
                       count(*) FILTER (NOT missing AND num IS NOT NULL) AS n_num,
                       count(*) FILTER (NOT missing AND lower(raw) IN ({flags})) AS n_flag,
                       list(DISTINCT raw) FILTER (NOT missing AND num IS NULL) AS odd
                FROM {cells} GROUP BY name"""
        ).fetchall()
        kinds = {
            name: self._kind(name, n, n_num, n_flag, odd) for name, n, n_num, n_flag, odd in stats
        }
        if not {"numeric", "flag", "dummies"} & set(kinds.values()):
            raise InputError(
                f"{self.staged.path}: no numeric or yes/no column; the text columns "
                f"{', '.join(repr(n) for n, k in kinds.items() if k == 'categorical')} would be "
                "skipped. Set options.categorical: dummies in a --mapping file to store "
                "each category as a 0/1 indicator"
            )
        return kinds

    def _kind(self, name: str, n: int, n_num: int, n_flag: int, odd: list[str] | None) -> str:
        path = self.staged.path
        if n == 0:
            self.ctx.note(path, f"column {name!r} is empty: skipped")
            return "empty"
        if n_flag == n:
            return "flag"
        if n_num >= NUMERIC_SHARE * n:
            if n_num < n:
                shown = ", ".join(repr(o) for o in sorted(odd or [])[:5])
                self.ctx.note(
                    path, f"column {name!r}: {n - n_num} non-numeric cell(s) ignored ({shown})"
                )
            return "numeric"
        if self.options.categorical == "dummies":
            return "dummies"
        self.ctx.note(path, f"column {name!r} holds text, not numbers: skipped")
        return "categorical"

    def _note_repeats(self, values_query: str) -> None:
        row = self.ctx.con.execute(
            f"""SELECT count(*), list(DISTINCT country) FROM (
                    SELECT country, indicator, year FROM ({values_query}) WHERE country IS NOT NULL
                    GROUP BY ALL HAVING count(*) > 1)"""
        ).fetchone()
        if row and row[0]:
            shown = ", ".join(sorted(row[1])[:8])
            self.ctx.note(
                self.staged.path,
                f"{row[0]} (country, indicator, year) value(s) are given by more than one row, "
                f"e.g. a country spelled two ways ({shown})",
            )


def _name_and_year(header: str, year_in_names: bool, bare: str) -> tuple[str, int | None]:
    found = NAME_YEAR.match(header.strip()) if year_in_names else None
    if not found:
        return slug(header) or bare, None
    return slug(found.group(1)) or bare, int(found.group(2))


def _missing_sql(expr: str, extra: tuple[str, ...]) -> str:
    upper = ", ".join(c.text(m) for m in MISSING)
    exact = f" OR {expr} IN ({', '.join(c.text(m.strip()) for m in extra)})" if extra else ""
    return f"({expr} IS NULL OR upper({expr}) IN ({upper}){exact})"


def _values_sql(cells: str, kinds: dict[str, str]) -> str:
    """One ``_row, indicator, name_year, value`` per stored value, by column kind."""
    kind_rows = " UNION ALL ".join(
        f"SELECT {c.text(n)} AS name, {c.text(k)} AS kind" for n, k in kinds.items()
    )
    yes = ", ".join(c.text(f) for f, v in FLAGS.items() if v)
    return f"""
        WITH k AS ({kind_rows}),
        x AS (SELECT x.*, k.kind FROM {cells} x JOIN k ON k.name = x.name)
        SELECT _row, indicator, name_year, num AS value FROM x
            WHERE kind = 'numeric' AND NOT missing AND num IS NOT NULL
        UNION ALL
        SELECT _row, indicator, name_year,
               CASE WHEN NOT missing AND lower(raw) IN ({yes}) THEN 1.0 ELSE 0.0 END FROM x
            WHERE kind = 'flag'
        UNION ALL
        SELECT x._row, x.indicator || '_' || d.category, x.name_year,
               CASE WHEN d.raw = x.raw THEN 1.0 ELSE 0.0 END
        FROM x JOIN (SELECT DISTINCT name, raw,
                            trim(regexp_replace(strip_accents(lower(raw)), '[^a-z0-9]+', '_', 'g'), '_')
                                AS category
                     FROM x WHERE kind = 'dummies' AND NOT missing) d ON d.name = x.name
        WHERE x.kind = 'dummies' AND NOT x.missing
    """


def _replacements(ctx: IngestContext) -> dict[str, str]:
    if not ctx.mapping:
        return {}
    merged = dict(ctx.mapping.values.get("country_code", {}))
    merged.update(ctx.mapping.values.get("country", {}))
    return merged


def _convert(
    replacements: dict[str, str], convert: Callable[[str], str | None]
) -> Callable[[str], str | None]:
    """Trim, apply the mapping's ``values`` (staged cells may carry stray whitespace the
    view's exact match missed), then convert."""

    def run(raw: str) -> str | None:
        text = raw.strip()
        return convert(replacements.get(text, text))

    return run
