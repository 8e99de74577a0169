"""Seizure and incident records (CSV): who seized what, where, when, and along which route.

Columns (canonical names; a ``--mapping`` file maps a compiler's own names onto them):
incident_id, date, country (the seizing country) are required; sector, hs_code,
commodity, quantity, unit, value_usd, origin_country, transit_countries (";"-separated),
destination_country, shipment_id, shipper_name, consignee_name, source are optional.
Countries may be written in any spelling and become ISO3; ``sector`` is one of the 13
sector slugs (free text is accepted case-blind, with spaces or underscores for hyphens).

Real compilations are rarely that tidy, so a mapping's ``options`` may say:

``list_separator`` (regex, default ``;``)
    how ``transit_countries`` (and place text, below) is split, e.g.
    ``'\\s*(?:[,;]|\\band\\b)\\s*'`` for "Nigeria, Singapore" or "Lagos and Istanbul".
``place_text`` (list of country columns)
    these columns hold free place text ("Penang, Malaysia", "via Kunming, China"), not
    country names: each is split with ``list_separator`` and the parts naming a country
    are kept (the first for one-country columns, all of them in order for
    ``transit_countries``). Text naming no country (a city, a province) leaves the
    column empty rather than rejecting the incident; a note counts such texts. Without
    this option, a value that is no country quarantines the row.
``date_formats`` (list of strptime formats)
    tried after ISO 8601 dates and timestamps; default day-first ``%d/%m/%Y`` etc.
``date_from_year`` (bool)
    when ``date`` is empty, unreadable or absent, build it from the ``year`` column (the
    first year in it, so "SPLIT 2015-2016" gives 2015) and optional ``month`` and ``day``
    columns, each defaulting to 1.
``incident_id_template`` (e.g. ``"eia-{row}"``)
    for files without an id column: the id is made from the data row number.
``sum_quantities`` (bool)
    a quantity cell listing several numbers ("4; 41", one per line) holds their sum.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from greymap.errors import InputError, MissingColumnsError
from greymap.reference.countries import to_iso3
from greymap.reference.hs import hs_exists, normalise_hs
from greymap.sources import checks as c
from greymap.sources.base import Reader
from greymap.sources.context import IngestContext
from greymap.sources.mapping import ColumnMapping
from greymap.sources.tabular import ColumnSpec, stage_csv

#: The 13 sectors of illicit trade greymap charts (DESIGN.md); kept here until
#: greymap.reference.sectors is the one place for them.
SECTORS = (
    *("agri-food", "alcohol", "counterfeiting-and-piracy", "cultural-property", "fisheries"),
    *("forced-labour", "forestry", "pesticides", "petroleum", "pharmaceuticals"),
    *("precious-metals-and-gemstones", "tobacco", "wildlife"),
)

COUNTRY_COLUMNS = ("country", "origin_country", "destination_country")
TRANSIT = "transit_countries"

SPEC = ColumnSpec(
    required=("incident_id", "date", "country"),
    optional=(
        *("sector", "hs_code", "commodity", "quantity", "unit", "value_usd", "origin_country"),
        *(TRANSIT, "destination_country", "shipment_id", "shipper_name", "consignee_name"),
        "source",
        # Not stored: the parts a date is built from under ``date_from_year``.
        *("year", "month", "day"),
    ),
    aliases={
        "incident_id": ("id", "seizure_id", "case_id"),
        "date": ("seizure_date", "incident_date"),
        "country": ("seizing_country", "country_of_seizure"),
        TRANSIT: ("transit", "transit_country", "via"),
        "origin_country": ("origin",),
        "destination_country": ("destination",),
        "value_usd": ("value", "usd_value"),
    },
)

OUTPUT = (
    *("incident_id", "date", "country", "sector", "hs_code", "commodity", "quantity", "unit"),
    *("value_usd", "origin_country", TRANSIT, "destination_country", "shipment_id"),
    *("shipper_name", "consignee_name", "source"),
)

DATE_FORMATS = ("%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y")
PLACE_COLUMNS = (*COUNTRY_COLUMNS, TRANSIT)


def normalise_sector(raw: str) -> str | None:
    """The sector slug for free text ("Forced labour", "precious_metals & gemstones").

    >>> normalise_sector("Counterfeiting and Piracy"), normalise_sector("guns")
    ('counterfeiting-and-piracy', None)
    """
    slug = re.sub(r"[\s_]+", "-", raw.strip().lower().replace("&", "and"))
    slug = re.sub(r"-+", "-", slug).strip("-")
    return slug if slug in SECTORS else None


def _hs(raw: str) -> str | None:
    code = normalise_hs(raw)
    return code if hs_exists(code) else None


@dataclass(frozen=True)
class IncidentOptions:
    """The reader's ``options`` from a mapping file, checked once (see module docstring)."""

    list_separator: str = ";"
    place_text: tuple[str, ...] = ()
    date_formats: tuple[str, ...] = DATE_FORMATS
    date_from_year: bool = False
    incident_id_template: str | None = None
    sum_quantities: bool = False

    @classmethod
    def from_mapping(cls, mapping: ColumnMapping | None) -> IncidentOptions:
        raw: dict[str, Any] = dict(mapping.options) if mapping else {}
        unknown = set(raw) - set(cls.__dataclass_fields__)
        if unknown:
            raise InputError(
                f"unknown incidents option(s) {', '.join(sorted(unknown))}; expected "
                + ", ".join(cls.__dataclass_fields__)
            )
        for key in ("place_text", "date_formats"):
            if key in raw:
                raw[key] = tuple(_str_list(key, raw[key]))
        options = cls(**raw)
        options.validate()
        return options

    def validate(self) -> None:
        try:
            re.compile(self.list_separator)
        except re.error as exc:
            raise InputError(f"options.list_separator is not a valid regex: {exc}") from None
        bad = [col for col in self.place_text if col not in PLACE_COLUMNS]
        if bad:
            raise InputError(
                f"options.place_text names {', '.join(bad)}; expected country columns "
                + ", ".join(PLACE_COLUMNS)
            )
        if self.incident_id_template is not None and "{row}" not in self.incident_id_template:
            raise InputError("options.incident_id_template must contain {row}, e.g. 'eia-{row}'")

    def spec(self) -> ColumnSpec:
        """Columns an option supplies are no longer required of the file."""
        required = tuple(
            col
            for col in SPEC.required
            if not (col == "incident_id" and self.incident_id_template)
            and not (col == "date" and self.date_from_year)
        )
        optional = tuple(col for col in SPEC.all if col not in required)
        return replace(SPEC, required=required, optional=optional)


def _str_list(key: str, value: Any) -> list[str]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise InputError(f"options.{key} must be a list of strings")
    return items


class IncidentsReader(Reader):
    NAME = "incidents"
    TABLES = ("incidents",)
    DESCRIPTION = "seizure and incident records (CSV)"

    def read(self, ctx: IngestContext, paths: list[Path]) -> None:
        options = IncidentOptions.from_mapping(ctx.mapping)
        for path in paths:
            _Incidents(ctx, path, options).load()


class _Incidents:
    """One file: stage, normalise countries and routes, check, load."""

    def __init__(self, ctx: IngestContext, path: Path, options: IncidentOptions) -> None:
        self.ctx, self.path, self.options = ctx, path, options
        spec = options.spec()
        self.staged = stage_csv(ctx, path, spec)
        if options.date_from_year and not {"date", "year"} & self.staged.present:
            expected = [*spec.required, "date or year"]
            raise MissingColumnsError(str(path), ["date or year"], expected, self.staged.header)
        v = self.staged.view
        strict = [col for col in COUNTRY_COLUMNS if col not in options.place_text]
        self.iso3 = ctx.lookup(v, strict, lambda raw: to_iso3(raw.strip()))
        self.sector = ctx.lookup(v, ("sector",), normalise_sector)
        self.hs = ctx.lookup(v, ("hs_code",), _hs)
        self.places = _split_places(ctx, v, options, self._replacements())

    def _replacements(self) -> dict[str, str]:
        mapping = self.ctx.mapping
        merged: dict[str, str] = {}
        for col in PLACE_COLUMNS:
            merged.update(mapping.values.get(col, {}) if mapping else {})
        return merged

    def load(self) -> None:
        self._note_unplaced()
        query = f"""
            SELECT v._row, {c.reasons(*self._checks())} AS _reason, {self._columns()}
            FROM {self.staged.view} v {self._place_joins()}
        """
        self.ctx.load_checked(self.path, "incidents", query, OUTPUT, self.staged.raw_query)

    # -- columns -----------------------------------------------------------------------
    def _country(self, col: str) -> str:
        if col in self.options.place_text:
            return f"p_{col}.codes[1]"
        return f"{self.iso3}(v.{col})"

    def _transit(self) -> str:
        return f"coalesce(p_{TRANSIT}.codes, []::VARCHAR[])"

    def _incident_id(self) -> str:
        template = self.options.incident_id_template
        if template and "incident_id" not in self.staged.present:
            return f"replace({c.text(template)}, '{{row}}', CAST(v._row AS VARCHAR))"
        return "v.incident_id"

    def _date(self) -> str:
        parsed = (
            f"coalesce({c.date('date', self.options.date_formats)}, "
            "TRY_CAST(TRY_CAST(regexp_replace(date, '\\s+', ' ', 'g') AS TIMESTAMP) AS DATE))"
        )
        if not self.options.date_from_year:
            return parsed
        part = "coalesce(TRY_CAST(TRY_CAST(trim({0}) AS DOUBLE) AS INTEGER), 1)"
        built = (
            "TRY_CAST(try_strptime(regexp_extract(year, '(1[89][0-9]{2}|20[0-9]{2})') "
            f"|| '-' || {part.format('month')} || '-' || {part.format('day')}, '%Y-%m-%d') AS DATE)"
        )
        return f"coalesce({parsed}, {built})"

    def _quantity(self) -> str:
        if not self.options.sum_quantities:
            return _number("quantity")
        return f"list_sum({_number_list('quantity')})"

    def _columns(self) -> str:
        return f"""{self._incident_id()} AS incident_id, {self._date()} AS date,
            {self._country("country")} AS country, {self.sector}(sector) AS sector,
            {self.hs}(hs_code) AS hs_code, commodity, {self._quantity()} AS quantity, unit,
            {_number("value_usd")} AS value_usd,
            {self._country("origin_country")} AS origin_country, {self._transit()} AS {TRANSIT},
            {self._country("destination_country")} AS destination_country, shipment_id,
            shipper_name, consignee_name, source"""

    def _place_joins(self) -> str:
        cols = [*self.options.place_text, TRANSIT]
        return " ".join(
            f"LEFT JOIN {self.places} p_{col} ON p_{col}._row = v._row AND p_{col}.col = '{col}'"
            for col in dict.fromkeys(cols)
        )

    # -- checks ------------------------------------------------------------------------
    def _checks(self) -> list[tuple[str, str]]:
        return [
            (f"{self._incident_id()} IS NULL", c.text("missing incident_id")),
            *self._date_checks(),
            ("v.country IS NULL", c.text("missing country")),
            *self._country_checks(),
            (
                f"sector IS NOT NULL AND {self.sector}(sector) IS NULL",
                c.bad_value("unknown sector", "sector", "one of " + ", ".join(SECTORS)),
            ),
            (
                f"hs_code IS NOT NULL AND {self.hs}(hs_code) IS NULL",
                c.bad_value("bad hs_code", "hs_code", "an HS code in the nomenclature"),
            ),
            *self._number_checks(),
        ]

    def _date_checks(self) -> list[tuple[str, str]]:
        missing = "date IS NULL" + (" AND year IS NULL" if self.options.date_from_year else "")
        bad_date = c.bad_value("bad date", "date", "an ISO 8601 date such as 2019-03-15")
        bad_year = c.bad_value("bad year", "year", "a year such as 2019")
        return [
            (missing, c.text("missing date")),
            (
                f"NOT ({missing}) AND {self._date()} IS NULL",
                f"CASE WHEN date IS NOT NULL THEN {bad_date} ELSE {bad_year} END",
            ),
        ]

    def _country_checks(self) -> list[tuple[str, str]]:
        checks = []
        for col in COUNTRY_COLUMNS:
            if col in self.options.place_text and col != "country":
                continue  # place text naming no country is left empty, see the note
            checks.append(
                (
                    f"v.{col} IS NOT NULL AND {self._country(col)} IS NULL",
                    c.bad_value(f"bad {col}", col, "a country name or ISO code"),
                )
            )
        if TRANSIT not in self.options.place_text:
            checks.append(
                (
                    f"len(p_{TRANSIT}.bad) > 0",
                    f"'bad {TRANSIT} ' || array_to_string(p_{TRANSIT}.bad, '; ') "
                    "|| '; expected country names or ISO codes'",
                )
            )
        return checks

    def _number_checks(self) -> list[tuple[str, str]]:
        quantity_bad = (
            f"list_bool_or(list_transform({_number_list('quantity')}, lambda x: x IS NULL OR x < 0))"
            if self.options.sum_quantities
            else f"{_number('quantity')} IS NULL OR {_number('quantity')} < 0"
        )
        value_bad = f"{_number('value_usd')} IS NULL OR {_number('value_usd')} < 0"
        return [
            (
                f"quantity IS NOT NULL AND ({quantity_bad})",
                c.bad_value("bad quantity", "quantity", "a non-negative number"),
            ),
            (
                f"value_usd IS NOT NULL AND ({value_bad})",
                c.bad_value("bad value_usd", "value_usd", "a non-negative number"),
            ),
        ]

    def _note_unplaced(self) -> None:
        for col in self.options.place_text:
            if col == "country":
                continue
            row = self.ctx.con.execute(
                f"SELECT count(*), list(DISTINCT v.{col}) FROM {self.staged.view} v "
                f"LEFT JOIN {self.places} p ON p._row = v._row AND p.col = '{col}' "
                f"WHERE v.{col} IS NOT NULL AND p.codes IS NULL"
            ).fetchone()
            if row and row[0]:
                examples = ", ".join(repr(x.strip()) for x in sorted(row[1])[:5])
                self.ctx.note(
                    self.path,
                    f"{col}: {row[0]} place text(s) name no country and were left empty "
                    f"(e.g. {examples})",
                )


def _number(col: str) -> str:
    """The column as a DOUBLE; blanks (newlines too) and thousands separators ignored."""
    return f"TRY_CAST(regexp_replace({c.q(col)}, '[\\s,]', '', 'g') AS DOUBLE)"


def _number_list(col: str) -> str:
    parts = f"list_filter(regexp_split_to_array({c.q(col)}, '[;\\n\\r]+'), lambda x: trim(x) <> '')"
    return f"list_transform({parts}, lambda x: TRY_CAST(regexp_replace(x, '[\\s,]', '', 'g') AS DOUBLE))"


def _split_places(
    ctx: IngestContext, view: str, options: IncidentOptions, replacements: dict[str, str]
) -> str:
    """A table ``_row, col, codes, bad``: the countries named in each list or place-text
    cell, in order and without repeats, and the parts that name none."""
    sep = c.text(options.list_separator)
    cols = list(dict.fromkeys([*options.place_text, TRANSIT]))
    clean = "regexp_replace(part, '^[\\s\"''.]+|[\\s\"''.]+$', '', 'g')"
    union = " UNION ALL ".join(
        f"SELECT _row, '{col}' AS col, unnest(s) AS part, generate_subscripts(s, 1) AS pos "
        f"FROM (SELECT _row, regexp_split_to_array({c.q(col)}, {sep}) AS s FROM {view} "
        f"WHERE {c.q(col)} IS NOT NULL)"
        for col in cols
    )
    parts = ctx.temp_name("parts")
    ctx.con.execute(
        f"CREATE TEMP TABLE {parts} AS SELECT _row, col, pos, {clean} AS part "
        f"FROM ({union}) WHERE {clean} <> ''"
    )
    iso = ctx.lookup(parts, ("part",), lambda raw: to_iso3(replacements.get(raw, raw)))
    places = ctx.temp_name("places")
    ctx.con.execute(
        f"""CREATE TEMP TABLE {places} AS
        WITH p AS (SELECT _row, col, pos, part, {iso}(part) AS iso FROM {parts}),
        first AS (SELECT _row, col, iso, min(pos) AS pos FROM p WHERE iso IS NOT NULL
                  GROUP BY ALL),
        good AS (SELECT _row, col, list(iso ORDER BY pos) AS codes FROM first GROUP BY ALL),
        bad AS (SELECT _row, col, list(part ORDER BY pos) AS bad FROM p WHERE iso IS NULL
                GROUP BY ALL)
        SELECT coalesce(g._row, b._row) AS _row, coalesce(g.col, b.col) AS col, g.codes, b.bad
        FROM good g FULL JOIN bad b ON g._row = b._row AND g.col = b.col"""
    )
    return places
