"""CITES Trade Database exports (trade.cites.org), in the three layouts it publishes.

The layout is told from the header, so users need no option:

* **comparative tabulation** (``Year, App., Taxon, Class, Order, Family, Genus, Importer,
  Exporter, Origin, Importer reported quantity, Exporter reported quantity, Term, Unit,
  Purpose, Source``): one row per trade, both sides' quantities kept apart as published.
* **shipments** (``id, year, appendix, taxon, class, ord, family, genus, term, quantity,
  unit, importer, exporter, origin, purpose, source, reporter_type, ...permit ids``): one
  row per reported shipment; ``quantity`` goes to ``importer_reported_quantity`` when
  ``reporter_type`` is ``I`` and to ``exporter_reported_quantity`` when it is ``E``, so
  mirror comparisons treat both layouts alike. ``id`` is kept as ``record_id``.
* **gross/net trade tables** (``App., Taxon, Term, Unit, Country`` then one column per
  year): each non-empty year cell becomes a row with the country as exporter (exports
  tables) or importer (imports tables), and the quantity in that side's column. Whether a
  table lists exports or imports is not in its header, so it comes from the file name
  (``cites_gross_exports_*.csv``) or from ``options: {tabulation: net_imports}`` in a
  ``--mapping`` file. These figures are derived by the database, not reported by that
  side, and have no partner country.

Every row says which of these it came from in ``tabulation`` (``comparative``,
``shipments``, ``gross_exports``, ``net_imports``...). Mirror comparisons should pick one
reported layout: a comparative tabulation and a shipments export of the same query hold
the same trade, and gross/net figures are aggregates of it.

Countries are ISO 3166-1 alpha-2 in CITES and become alpha-3. Codes ISO 3166 leaves to
its users (``XX`` unknown, ``ZZ`` introduction from the sea / high seas, CITES' other
``X*`` region codes) are no error: the country is NULL. Historic codes (``SU``, ``YU``,
``DD``, ``AN``, ``CS``) become the alpha-3 code the country had (ISO 3166-3, from
pycountry: ``SUN``, ``YUG``...; a code used twice, like ``CS``, is read by the year).
The raw codes are kept in ``importer_code``, ``exporter_code`` and ``origin_code``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pycountry

from greymap.errors import InputError, MissingColumnsError
from greymap.reference.countries import to_iso3
from greymap.sources import checks as c
from greymap.sources.base import Reader
from greymap.sources.context import IngestContext
from greymap.sources.tabular import ColumnSpec, Staged, stage_csv

PARTIES = ("importer", "exporter", "origin")
TAXONOMY = ("appendix", "taxon", "taxon_class", "taxon_order", "family", "genus")
TRADE = ("term", "unit", "purpose", "trade_source")

SPEC = ColumnSpec(
    required=(),
    optional=(
        "year",
        *TAXONOMY,
        *PARTIES,
        "importer_reported_quantity",
        "exporter_reported_quantity",
        "quantity",
        "reporter_type",
        "record_id",
        "country",
        *TRADE,
    ),
    aliases={
        "appendix": ("app",),
        "taxon_class": ("class",),
        "taxon_order": ("order", "ord"),
        "trade_source": ("source",),
        "record_id": ("id",),
    },
)

#: Columns each layout needs, beyond those that tell it apart.
NEEDED = {
    "comparative": ("year", "taxon", "importer", "exporter", "term"),
    "shipments": ("year", "taxon", "importer", "exporter", "term", "quantity", "reporter_type"),
    "gross_net": ("taxon", "term", "country"),
}
TABULATIONS = ("gross_exports", "gross_imports", "net_exports", "net_imports")
LAYOUTS = (
    "expected a CITES Trade Database export: a comparative tabulation (Year, App., Taxon, "
    "..., Importer, Exporter, Origin, Importer reported quantity, Exporter reported "
    "quantity, Term, Unit, Purpose, Source), a shipments file (id, year, appendix, taxon, "
    "..., quantity, unit, importer, exporter, origin, purpose, source, reporter_type) or a "
    "gross/net trade table (App., Taxon, Term, Unit, Country, then one column per year)"
)

OUTPUT = (
    "year",
    *TAXONOMY,
    *PARTIES,
    "importer_reported_quantity",
    "exporter_reported_quantity",
    *TRADE,
    "reporter_type",
    "record_id",
    "importer_code",
    "exporter_code",
    "origin_code",
    "tabulation",
)

#: ISO 3166-1 reserves these alpha-2 codes for users; CITES uses XX (unknown), ZZ (high
#: seas) and X* for regions. XK is Kosovo, a real country, and is resolved before this.
USER_ASSIGNED = "AA|Q[M-Z]|X[A-Z]|ZZ"


def country_iso3(raw: str) -> str | None:
    """A current country (ISO2, ISO3 or a name) as ISO3; historic codes are left to SQL."""
    return to_iso3(raw.strip())


def historic_table() -> pa.Table:
    """ISO 3166-3 withdrawn codes: alpha-2, the alpha-3 of the time, the year withdrawn."""
    rows = [
        (h.alpha_2, h.alpha_3, int(str(getattr(h, "withdrawal_date", "9999"))[:4]))
        for h in pycountry.historic_countries
        if getattr(h, "alpha_2", None)
    ]
    return pa.table(
        {
            "alpha_2": [r[0] for r in rows],
            "alpha_3": [r[1] for r in rows],
            "until": pa.array([r[2] for r in rows], pa.int32()),
        }
    )


def register_historic(ctx: IngestContext) -> str:
    """A macro ``name(code, year)``: the historic alpha-3 of ``code`` in ``year``, choosing
    among reused codes the first one withdrawn in or after that year."""
    name = ctx.temp_name("historic")
    ctx.con.register(name + "_a", historic_table())
    try:
        ctx.con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_a")
    finally:
        ctx.con.unregister(name + "_a")
    ctx.con.execute(
        f"CREATE TEMP MACRO {name}(code, yr) AS (SELECT alpha_3 FROM {name} "
        "WHERE alpha_2 = upper(trim(code)) "
        "ORDER BY (until < coalesce(yr, 9999)), abs(until - coalesce(yr, 9999)) LIMIT 1)"
    )
    return name


def detect_layout(path: Path, staged: Staged) -> str:
    present = staged.present
    if {"importer_reported_quantity", "exporter_reported_quantity"} & present:
        layout = "comparative"
    elif "reporter_type" in present:
        layout = "shipments"
    elif "country" in present and year_columns(staged):
        layout = "gross_net"
    else:
        raise InputError(f"{path}: not a CITES layout; {LAYOUTS}; found {', '.join(staged.header)}")
    missing = [col for col in NEEDED[layout] if col not in present]
    if missing:
        raise MissingColumnsError(str(path), missing, NEEDED[layout], list(staged.header))
    return layout


def year_columns(staged: Staged) -> list[str]:
    return [h for h in staged.header if re.fullmatch(r"\s*(1[89]|20)[0-9]{2}\s*", h)]


def tabulation_of(ctx: IngestContext, path: Path) -> str:
    option = ctx.mapping.options.get("tabulation") if ctx.mapping else None
    if option is not None:
        if option not in TABULATIONS:
            raise InputError(
                f"options.tabulation {option!r} is not known; expected one of "
                + ", ".join(TABULATIONS)
            )
        return str(option)
    found = re.search(r"(gross|net)[^a-z]*(export|import)", path.stem.lower())
    if not found:
        raise InputError(
            f"{path}: a CITES gross/net trade table, but its header does not say whether it "
            "lists exports or imports; name the file like cites_gross_exports_*.csv or set "
            "options.tabulation to one of " + ", ".join(TABULATIONS) + " in a --mapping file"
        )
    return f"{found.group(1)}_{found.group(2)}s"


class CitesReader(Reader):
    NAME = "cites"
    TABLES = ("cites_trade",)
    DESCRIPTION = "CITES Trade Database comparative tabulations, shipments, gross/net tables (CSV)"

    def read(self, ctx: IngestContext, paths: list[Path]) -> None:
        for path in paths:
            staged = stage_csv(ctx, path, SPEC)
            layout = detect_layout(path, staged)
            countries = _Countries(ctx, staged.view)
            if layout == "gross_net":
                _read_gross_net(ctx, staged, countries, tabulation_of(ctx, path))
            else:
                _read_records(ctx, staged, countries, layout)


class _Countries:
    """SQL for the country columns: ISO3, and the check that flags unknown codes."""

    def __init__(self, ctx: IngestContext, view: str) -> None:
        self.iso = ctx.lookup(view, (*PARTIES, "country"), country_iso3)
        self.hist = register_historic(ctx)

    def iso3(self, col: str, year: str) -> str:
        return f"coalesce({self.iso}({col}), {self.hist}({col}, {year}))"

    def check(self, col: str, iso3: str) -> tuple[str, str]:
        """``iso3`` is the column's converted value (computed once, in a subquery)."""
        bad = (
            f"{col} IS NOT NULL AND {iso3} IS NULL "
            f"AND NOT regexp_full_match(upper(trim({col})), '{USER_ASSIGNED}')"
        )
        return bad, c.bad_value(f"bad {col}", col, "an ISO 3166 alpha-2 country code")


YEAR = c.integer("year")


def _quantity_checks(cols: tuple[str, ...]) -> list[tuple[str, str]]:
    return [
        (
            f"{c.not_a_number(col)} OR {c.negative(col)}",
            c.bad_value(f"bad {col}", col, "a non-negative number"),
        )
        for col in cols
    ]


MISSING_TAXON = ("taxon IS NULL", c.text("missing taxon"))


def _read_records(ctx: IngestContext, staged: Staged, countries: _Countries, layout: str) -> None:
    """Comparative tabulations and shipments: one canonical row per data row."""
    if layout == "comparative":
        quantities = ("importer_reported_quantity", "exporter_reported_quantity")
        imp, exp = (c.number(q) for q in quantities)
        rtype = "NULL"
        own = [
            *_quantity_checks(quantities),
            (
                "importer_reported_quantity IS NULL AND exporter_reported_quantity IS NULL",
                c.text("no quantity: importer- and exporter-reported quantities are both empty"),
            ),
        ]
    else:
        rtype = "upper(reporter_type)"
        imp = f"CASE WHEN {rtype} = 'I' THEN {c.number('quantity')} END"
        exp = f"CASE WHEN {rtype} = 'E' THEN {c.number('quantity')} END"
        own = [
            *_quantity_checks(("quantity",)),
            ("quantity IS NULL", c.text("missing quantity")),
            (
                f"{rtype} IS DISTINCT FROM 'I' AND {rtype} IS DISTINCT FROM 'E'",
                c.bad_value(
                    "bad reporter_type",
                    "reporter_type",
                    "I (importer-reported) or E (exporter-reported)",
                ),
            ),
        ]
    checks = [
        (f"{YEAR} IS NULL", c.bad_value("bad year", "year", "a year such as 2016")),
        MISSING_TAXON,
        *[countries.check(p, f"_iso_{p}") for p in PARTIES],
        *own,
    ]
    converted = ", ".join(f"{countries.iso3(p, YEAR)} AS _iso_{p}" for p in PARTIES)
    query = f"""
        SELECT _row, {c.reasons(*checks)} AS _reason, {YEAR} AS year,
               {", ".join(TAXONOMY)}, {", ".join(f"_iso_{p} AS {p}" for p in PARTIES)},
               {imp} AS importer_reported_quantity, {exp} AS exporter_reported_quantity,
               {", ".join(TRADE)}, {rtype} AS reporter_type, record_id,
               upper(trim(importer)) AS importer_code, upper(trim(exporter)) AS exporter_code,
               upper(trim(origin)) AS origin_code, '{layout}' AS tabulation
        FROM (SELECT *, {converted} FROM {staged.view})
    """
    ctx.load_checked(staged.path, "cites_trade", query, OUTPUT, staged.raw_query)


def _read_gross_net(
    ctx: IngestContext, staged: Staged, countries: _Countries, tabulation: str
) -> None:
    """Wide gross/net tables: one canonical row per non-empty (row, year) cell."""
    cells = _unpivot_years(ctx, staged)
    checks = [
        MISSING_TAXON,
        countries.check("country", countries.iso3("country", "NULL")),
        ("b.bad IS NOT NULL", "b.bad"),
        ("b.n IS NULL", c.text("no quantity in any year column")),
    ]
    rows_query = f"""
        SELECT v._row, {c.reasons(*checks)} AS _reason
        FROM {staged.view} v LEFT JOIN (
            SELECT _row, count(*) AS n,
                   string_agg('bad quantity for ' || yr || ' ' || chr(39) || left(raw, 80)
                              || chr(39) || '; expected a non-negative number', '; ')
                       FILTER (WHERE qty IS NULL OR qty < 0) AS bad
            FROM {cells} GROUP BY _row) b ON b._row = v._row
    """
    exports = tabulation.endswith("exports")
    country = countries.iso3("v.country", "q.yr")
    code = "upper(trim(v.country))"
    values_query = f"""
        SELECT v._row, q.yr AS year, {", ".join(f"v.{t}" for t in TAXONOMY)},
               {"NULL" if exports else country} AS importer,
               {country if exports else "NULL"} AS exporter, NULL AS origin,
               {"NULL" if exports else "q.qty"} AS importer_reported_quantity,
               {"q.qty" if exports else "NULL"} AS exporter_reported_quantity,
               {", ".join(f"v.{t}" for t in TRADE)}, NULL AS reporter_type, NULL AS record_id,
               {"NULL" if exports else code} AS importer_code,
               {code if exports else "NULL"} AS exporter_code,
               NULL AS origin_code, '{tabulation}' AS tabulation
        FROM {staged.view} v JOIN {cells} q ON q._row = v._row
    """
    ctx.load_unpivoted(
        staged.path, "cites_trade", rows_query, values_query, OUTPUT, staged.raw_query
    )


def _unpivot_years(ctx: IngestContext, staged: Staged) -> str:
    """A table of ``_row, yr, raw, qty`` for every non-empty year cell."""
    cells = ctx.temp_name("cells")
    years = ", ".join(f'"{h}"' for h in year_columns(staged))
    number = "TRY_CAST(replace(raw, ',', '') AS DOUBLE)"
    ctx.con.execute(
        f"""CREATE TEMP TABLE {cells} AS
        SELECT _row, CAST(trim(yr) AS INTEGER) AS yr, raw, {number} AS qty
        FROM (SELECT _row, yr, trim(raw) AS raw
              FROM (UNPIVOT (SELECT _row, {years} FROM {staged.table})
                    ON {years} INTO NAME yr VALUE raw))
        WHERE raw <> ''"""
    )
    return cells
