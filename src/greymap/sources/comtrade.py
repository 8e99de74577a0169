"""UN Comtrade trade statistics (CSV): Comtrade+ columns, their snake_case spelling, and the
legacy bulk-download columns, monthly or annual.

Every row is one reporter's statement about one flow, so both sides of a trade are kept
(the exporter's ``X`` and the importer's ``M``): mirror analysis compares them.

Countries. Comtrade numbers its areas in its own code list, which is M49 for most
countries but not all (842 USA, 251 France, 699 India, 757 Switzerland, 579 Norway, ...)
and adds areas that are no country (0 World, 899 Areas n.e.s., 837 Bunkers, ...). Codes are
resolved through ``reference/data/comtrade_areas.csv`` (Comtrade's own codes), then
ISO 3166-1 numeric, then ISO 3166-3 (dissolved states such as the USSR) via pycountry. 490
"Other Asia, nes" is Taiwan (TWN) by the usual convention. A special partner keeps
``partner`` NULL and names itself in ``partner_special`` (``world``, ``areas-nes``,
``bunkers``, ``free-zones``, ``special-categories``, ...); a reporter must be a country.
``reporter_code``/``partner_code`` keep the raw code, so every decision can be undone.

Flows. ``flow`` is one of import, export, re-import, re-export; ``flow_detail`` keeps the
finer kind Comtrade+ reports beside the totals (domestic export ``DX``, foreign import
``FM``, goods for or after processing ``XIP/MIP/XOP/MOP``). A reporter may publish both
``X`` and ``DX`` for the same goods, so totals are the rows where ``flow_detail = flow``;
summing every export row double counts.

Values. ``value_usd`` is ``primaryValue`` (imports CIF, exports FOB as reported). In
Comtrade+ a ``cifvalue`` or ``fobvalue`` of 0 means "not available", so 0 is stored as NULL.
Rows broken down by customs procedure, mode of transport or second partner are refused
(quarantined with the reason): greymap keeps totals, and loading both would double count.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import pycountry

from greymap.errors import MissingColumnsError
from greymap.reference.countries import iso3_codes
from greymap.reference.hs import hs_exists, normalise_hs
from greymap.sources import checks as c
from greymap.sources.base import Reader
from greymap.sources.context import IngestContext
from greymap.sources.tabular import ColumnSpec, Staged, header_key, stage_csv


@dataclass(frozen=True, slots=True)
class Area:
    """One Comtrade area code: a country (``iso3``) or a special area (``special``)."""

    code: str
    name: str
    iso3: str | None
    special: str | None


#: Comtrade+ flow codes and the legacy numeric ones -> (flow, flow_detail).
FLOWS: dict[str, tuple[str, str]] = {
    "M": ("import", "import"),
    "X": ("export", "export"),
    "RM": ("re-import", "re-import"),
    "RX": ("re-export", "re-export"),
    "DX": ("export", "domestic-export"),
    "FM": ("import", "foreign-import"),
    "MIP": ("import", "import-for-inward-processing"),
    "XIP": ("export", "export-after-inward-processing"),
    "MOP": ("import", "import-after-outward-processing"),
    "XOP": ("export", "export-for-outward-processing"),
    "1": ("import", "import"),
    "2": ("export", "export"),
    "3": ("re-export", "re-export"),
    "4": ("re-import", "re-import"),
}

#: Legacy bulk "Qty Unit Code" -> WCO abbreviation (UN Comtrade Reference Tables,
#: "WCO/UN Comtrade Supplementary Quantity Units"); 1 means no quantity.
LEGACY_UNITS: dict[str, str] = {
    "2": "m2",
    "3": "1000 kWh",
    "4": "m",
    "5": "u",
    "6": "2u",
    "7": "l",
    "8": "kg",
    "9": "1000u",
    "10": "U (jeu/pack)",
    "11": "12u",
    "12": "m3",
    "13": "carat",
}

#: Breakdown columns and the value that means "total" (anything else is a breakdown row).
TOTALS = {"partner2_code": "0", "customs_code": "C00", "mot_code": "0", "mos_code": "0"}

SPEC = ColumnSpec(
    required=("reporter_code", "partner_code", "flow_code", "cmd_code", "primary_value"),
    optional=(
        "reporter_iso",
        "partner_iso",
        "period",
        "ref_year",
        "ref_month",
        "freq_code",
        "classification",
        "qty_unit_abbr",
        "qty_unit_code",
        "qty_unit_desc",
        "qty",
        "net_wgt",
        "cifvalue",
        "fobvalue",
        *TOTALS,
    ),
    aliases={
        "flow_code": ("Trade Flow Code",),
        "cmd_code": ("Commodity Code",),
        "primary_value": ("primary_value_usd", "Trade Value (US$)", "TradeValue"),
        "ref_year": ("Year",),
        "classification": ("classificationCode",),
        "qty_unit_desc": ("Qty Unit",),
        "net_wgt": ("net_wgt_kg", "Netweight (kg)", "NetWeight"),
        "cifvalue": ("cifvalue_usd", "CIF Trade Value (US$)"),
        "fobvalue": ("fobvalue_usd", "FOB Trade Value (US$)"),
    },
)

OUTPUT = (
    "source", "reporter", "reporter_code", "partner", "partner_code", "partner_special", "flow",
    "flow_detail", "hs_code", "classification", "year", "month", "value_usd", "cif_value_usd",
    "fob_value_usd", "quantity", "quantity_unit", "net_weight_kg",
)  # fmt: skip

#: SQL type of an area lookup: the macro returns NULL for a code that is no area.
AREA_TYPE = "STRUCT(iso3 VARCHAR, special VARCHAR, name VARCHAR)"

AREA_CODE = "a UN Comtrade country or area code"

_NUMERIC = re.compile(r"\d+(\.0*)?")


# -- area codes --------------------------------------------------------------------------
@cache
def _area_rows() -> tuple[dict[str, str], ...]:
    path = resources.files("greymap.reference") / "data" / "comtrade_areas.csv"
    with path.open(encoding="utf-8") as handle:
        return tuple(csv.DictReader(handle))


@cache
def comtrade_areas() -> dict[str, Area]:
    """Comtrade's own area codes (non-M49 countries and special areas), by code."""
    return {
        r["code"]: Area(r["code"], r["name"], r["iso3"] or None, r["special"] or None)
        for r in _area_rows()
    }


@cache
def comtrade_iso_codes() -> dict[str, Area]:
    """Comtrade+'s ISO-like codes for areas with no ISO code (``W00``, ``_X``, ``S19``)."""
    areas = comtrade_areas()
    return {r["comtrade_iso3"]: areas[r["code"]] for r in _area_rows() if r["comtrade_iso3"]}


def normalise_code(raw: str) -> str | None:
    """``'0842'``, ``'842.0'`` and ``' 842'`` are all code ``842``."""
    text = raw.strip()
    return str(int(float(text))) if _NUMERIC.fullmatch(text) else None


def area_by_code(raw: str) -> Area | None:
    """A Comtrade (or BACI) numeric area code: Comtrade's own list, then ISO 3166-1
    numeric, then ISO 3166-3 numeric for dissolved states."""
    code = normalise_code(raw)
    if code is None:
        return None
    own = comtrade_areas().get(code)
    if own is not None:
        return own
    country = pycountry.countries.get(numeric=code.zfill(3))
    if country is not None:
        return Area(code, country.name, country.alpha_3, None)
    former = [
        h for h in pycountry.historic_countries if getattr(h, "numeric", None) == code.zfill(3)
    ]
    if len(former) == 1:
        return Area(code, former[0].name, former[0].alpha_3, None)
    return None


def area_by_iso(raw: str) -> Area | None:
    """Comtrade+'s ISO column: an ISO3 code, or one of its codes for special areas."""
    code = raw.strip().upper()
    special = comtrade_iso_codes().get(code)
    if special is not None:
        return special
    return Area(code, code, code, None) if code in iso3_codes() else None


def area_record(area: Area | None) -> dict[str, str | None] | None:
    """The value of an area lookup macro (see :data:`AREA_TYPE`)."""
    if area is None:
        return None
    return {"iso3": area.iso3, "special": area.special, "name": area.name}


def area_checks(
    role: str, code_col: str, area: str, *, country_only: bool, expected: str
) -> list[tuple[str, str]]:
    """Quarantine reasons for one side of a flow: an unknown code, and, where the side
    must be a country (the reporter), an area that is none: mirror analysis compares
    countries' own reports."""
    checks = [
        (
            f"{area} IS NULL",
            f"CASE WHEN {code_col} IS NULL THEN {c.text(f'missing {role} code')} ELSE "
            + c.bad_value(f"bad {role} code", code_col, expected)
            + " END",
        )
    ]
    if country_only:
        checks.append(
            (
                f"{area}.special IS NOT NULL",
                f"{c.text(role + ' ')} || {code_col} || ' (' || {area}.name || ') is not a "
                f"country; expected a country as {role}'",
            )
        )
    return checks


# -- reader ------------------------------------------------------------------------------
class ComtradeReader(Reader):
    NAME = "comtrade"
    TABLES = ("trade_flows",)
    DESCRIPTION = "UN Comtrade trade statistics (Comtrade+ or legacy bulk CSV)"

    def read(self, ctx: IngestContext, paths: list[Path]) -> None:
        for path in paths:
            self._read_one(ctx, path)

    def _read_one(self, ctx: IngestContext, path: Path) -> None:
        staged = stage_csv(ctx, path, SPEC)
        if not {"period", "ref_year"} & staged.present:
            raise MissingColumnsError(
                str(path), ["period or refYear/Year"], SPEC.required, list(staged.header)
            )
        query = checked_query(ctx, staged)
        ctx.load_checked(path, "trade_flows", query, OUTPUT, staged.raw_query)


def checked_query(ctx: IngestContext, staged: Staged) -> str:
    """One SQL query over the staged view: ``_row``, ``_reason`` and the output columns.

    The inner query converts every field once (lookups, numbers, period); the outer one
    states the checks and the output over those converted values.
    """
    v = staged.view
    keyed = ctx.temp_name("keyed")
    ctx.con.execute(
        f"CREATE TEMP VIEW {keyed} AS SELECT *, {_area_key('reporter')} AS _rep_key, "
        f"{_area_key('partner')} AS _par_key FROM {v}"
    )
    area = ctx.lookup(keyed, ("_rep_key", "_par_key"), _area_record, AREA_TYPE)
    hs = ctx.lookup(v, ("cmd_code",), _hs)
    legacy = bool({"tradeflowcode", "tradevalueus"} & {header_key(h) for h in staged.header})
    numbers = ", ".join(f"{c.number(col)} AS _{col}" for col in NUMBERS)
    converted = f"""SELECT *,
            {area}(_rep_key) AS _rep, {area}(_par_key) AS _par,
            {hs}(cmd_code) AS _hs, {_flow_case(0)} AS _flow, {_flow_case(1)} AS _detail,
            {numbers}, {c.integer("ref_year")} AS _ry, {c.integer("ref_month")} AS _rm,
            CASE WHEN length(period) IN (4, 6) THEN TRY_CAST(period AS INTEGER) END AS _p,
            {_no_quantity(legacy)} AS _no_qty, {_unit(legacy)} AS _unit
        FROM {keyed}"""
    return f"""
        SELECT _row, {c.reasons(*_checks())} AS _reason,
            'comtrade' AS source, _rep.iso3 AS reporter, reporter_code,
            _par.iso3 AS partner, partner_code, _par.special AS partner_special,
            _flow AS flow, _detail AS flow_detail, _hs AS hs_code,
            upper(classification) AS classification, coalesce(_ry, {PERIOD_YEAR}) AS year,
            {_month()} AS month, _primary_value AS value_usd,
            NULLIF(_cifvalue, 0) AS cif_value_usd, NULLIF(_fobvalue, 0) AS fob_value_usd,
            CASE WHEN NOT _no_qty THEN _qty END AS quantity,
            CASE WHEN NOT _no_qty THEN _unit END AS quantity_unit, _net_wgt AS net_weight_kg
        FROM ({converted})
    """


#: Numeric columns, converted once as ``_<name>``.
NUMBERS = ("primary_value", "cifvalue", "fobvalue", "qty", "net_wgt")
#: Year and month of a ``period`` (YYYY or YYYYMM) already cast to ``_p``.
PERIOD_YEAR = "CASE length(period) WHEN 4 THEN _p WHEN 6 THEN _p // 100 END"
PERIOD_MONTH = "CASE WHEN length(period) = 6 THEN _p % 100 END"


def _checks() -> list[tuple[str, str]]:
    flows = ", ".join(f for f in FLOWS if not f.isdigit())
    return [
        *area_checks("reporter", "reporter_code", "_rep", country_only=True, expected=AREA_CODE),
        *area_checks("partner", "partner_code", "_par", country_only=False, expected=AREA_CODE),
        (
            "_flow IS NULL",
            c.bad_value("unknown flow code", "flow_code", f"one of {flows} or legacy 1-4"),
        ),
        (
            "_hs IS NULL",
            c.bad_value(
                "bad commodity code", "cmd_code", "an HS code in the nomenclature or TOTAL"
            ),
        ),
        (
            "NOT regexp_full_match(upper(classification), 'H[0-6]|HS')",
            c.bad_value("non-HS classification", "classification", "H0..H6 or HS"),
        ),
        *_period_checks(),
        ("primary_value IS NULL", c.text("missing trade value (primaryValue)")),
        *[
            (
                f"({col} IS NOT NULL AND _{col} IS NULL) OR _{col} < 0",
                c.bad_value(f"bad {col}", col, "a non-negative number"),
            )
            for col in NUMBERS
        ],
        *[
            (
                f"{col} <> {c.text(total)}",
                c.bad_value(f"breakdown row {col}", col, f"{total} (totals only)"),
            )
            for col, total in TOTALS.items()
        ],
    ]


def _period_checks() -> list[tuple[str, str]]:
    return [
        (
            f"period IS NOT NULL AND NOT coalesce({PERIOD_YEAR} BETWEEN 1900 AND 2100 "
            f"AND coalesce({PERIOD_MONTH} BETWEEN 1 AND 12, true), false)",
            c.bad_value("bad period", "period", "YYYY or YYYYMM"),
        ),
        (
            "ref_year IS NOT NULL AND NOT coalesce(_ry BETWEEN 1900 AND 2100, false)",
            c.bad_value("bad year", "ref_year", "a year between 1900 and 2100"),
        ),
        ("period IS NULL AND ref_year IS NULL", c.text("missing year (period or refYear)")),
        (f"_ry <> {PERIOD_YEAR}", "'period ' || period || ' disagrees with year ' || ref_year"),
        (
            "ref_month IS NOT NULL AND NOT coalesce(_rm BETWEEN 1 AND 12 OR _rm = 52, false)",
            c.bad_value("bad refMonth", "ref_month", "1-12 (or 52 for a year)"),
        ),
    ]


def _area_key(role: str) -> str:
    """One lookup key per side: the code decides; the ISO column (marked ``#``) is read
    only when the code is missing."""
    return f"coalesce({role}_code, '#' || {role}_iso)"


def _month() -> str:
    return (
        f"CASE WHEN upper(freq_code) = 'A' THEN NULL WHEN length(period) = 6 THEN {PERIOD_MONTH} "
        "WHEN _rm BETWEEN 1 AND 12 THEN _rm END"
    )


def _flow_case(part: int) -> str:
    whens = " ".join(f"WHEN {c.text(k)} THEN {c.text(v[part])}" for k, v in FLOWS.items())
    return f"CASE upper(flow_code) {whens} END"


def _no_quantity(legacy: bool) -> str:
    """Comtrade+ says "no quantity" with unit N/A (code -1); legacy with unit code 1."""
    none_code = "'1'" if legacy else "'-1'"
    return (
        f"coalesce(upper(qty_unit_abbr) = 'N/A' OR qty_unit_code = {none_code} "
        "OR lower(qty_unit_desc) = 'no quantity', false)"
    )


def _unit(legacy: bool) -> str:
    if not legacy:
        return "coalesce(qty_unit_abbr, qty_unit_desc)"
    whens = " ".join(f"WHEN {c.text(k)} THEN {c.text(u)}" for k, u in LEGACY_UNITS.items())
    return f"coalesce(qty_unit_abbr, CASE qty_unit_code {whens} END, qty_unit_desc)"


def _area_record(key: str) -> dict[str, str | None] | None:
    return area_record(area_by_iso(key[1:]) if key.startswith("#") else area_by_code(key))


def _hs(raw: str) -> str | None:
    code = normalise_hs(raw)
    return code if hs_exists(code) else None
