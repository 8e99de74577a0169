"""CEPII BACI: world trade reconciled from UN Comtrade's mirror reports (CSV).

A BACI data file (``BACI_HS92_Y1995_V202401.csv``) has six columns: ``t`` year, ``i``
exporter, ``j`` importer, ``k`` HS6 product, ``v`` value in **thousands** of USD, ``q``
quantity in **metric tons** (``NA`` when unknown). Each row is one reconciled flow, the same
number seen from both sides, so it is stored once as the exporter's export:
``reporter = exporter``, ``partner = importer``, ``flow = 'export'``, ``source = 'baci'``,
``value_usd = v * 1000`` (BACI values are FOB, so ``fob_value_usd`` holds it too),
``quantity = q`` in ``'t'`` and ``net_weight_kg = q * 1000``.

Country codes are BACI's numeric codes (UN Comtrade's own: 251 France, 842 USA, 490 Other
Asia n.e.s. = Taiwan...). BACI ships a table of them beside the data
(``country_codes_V202401.csv``: ``country_code, country_name, country_iso2,
country_iso3``; older releases ``iso_3digit_alpha``); the reader uses the one in the data
file's folder (the same release if there are several) and, for codes it lacks or gives
no ISO code, the Comtrade code list (:mod:`greymap.sources.comtrade`). The HS revision
comes from the file name (``HS92`` ... ``HS22``) and is stored as Comtrade's ``H0`` ...
``H6``; a ``product_codes_HSxx_*.csv`` beside the data widens the accepted HS6 codes to
that revision's own list.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

from greymap.errors import InputError
from greymap.reference.countries import iso3_codes
from greymap.reference.hs import hs_exists, normalise_hs
from greymap.sources import checks as c
from greymap.sources.base import Reader
from greymap.sources.comtrade import (
    AREA_TYPE,
    Area,
    area_by_code,
    area_checks,
    area_record,
    normalise_code,
)
from greymap.sources.context import IngestContext
from greymap.sources.tabular import ColumnSpec, detect_encoding, header_key, stage_csv

SPEC = ColumnSpec(
    required=("t", "i", "j", "k", "v"),
    optional=("q",),
    aliases={
        "t": ("year",),
        "i": ("exporter",),
        "j": ("importer",),
        "k": ("product", "hs6"),
        "v": ("value",),
        "q": ("quantity",),
    },
    null_values=("NA",),
)

#: BACI's HS revision (in its file names) -> UN Comtrade's classification code.
REVISIONS = {"92": "H0", "96": "H1", "02": "H2", "07": "H3", "12": "H4", "17": "H5", "22": "H6"}

OUTPUT = (
    "source",
    "reporter",
    "reporter_code",
    "partner",
    "partner_code",
    "partner_special",
    "flow",
    "flow_detail",
    "hs_code",
    "classification",
    "year",
    "value_usd",
    "fob_value_usd",
    "quantity",
    "quantity_unit",
    "net_weight_kg",
)

EXPECTED_CODE = "a BACI (UN Comtrade) country code"
_REFERENCE = re.compile(r"^(country_codes|product_codes)", re.IGNORECASE)


class BaciReader(Reader):
    NAME = "baci"
    TABLES = ("trade_flows",)
    DESCRIPTION = "CEPII BACI reconciled trade (CSV t,i,j,k,v,q)"

    def read(self, ctx: IngestContext, paths: list[Path]) -> None:
        for path in paths:
            if _REFERENCE.match(path.name):
                raise InputError(
                    f"{path}: is a BACI reference table, read automatically from the data "
                    "file's folder; expected a BACI data file (columns t,i,j,k,v,q)"
                )
            self._read_one(ctx, path)

    def _read_one(self, ctx: IngestContext, path: Path) -> None:
        staged = stage_csv(ctx, path, SPEC)
        v = staged.view
        areas = country_table(ctx, path)
        area = ctx.lookup(v, ("i", "j"), lambda raw: area_record(_area(areas, raw)), AREA_TYPE)
        hs = ctx.lookup(v, ("k",), hs_check(product_codes(path)))
        revision = classification(path)
        if revision is None:
            ctx.note(
                path, "no HS revision (HS92...HS22) in the file name: classification left empty"
            )
        query = f"""
            SELECT _row, {c.reasons(*_checks())} AS _reason, 'baci' AS source,
                _exp.iso3 AS reporter, i AS reporter_code, _imp.iso3 AS partner,
                j AS partner_code, _imp.special AS partner_special, 'export' AS flow,
                'export' AS flow_detail, _hs AS hs_code,
                {c.text(revision) if revision else "NULL"} AS classification, _t AS year,
                {_thousand("v")} AS value_usd, {_thousand("v")} AS fob_value_usd,
                _q AS quantity, CASE WHEN _q IS NOT NULL THEN 't' END AS quantity_unit,
                {_thousand("q")} AS net_weight_kg
            FROM (SELECT *, {area}(i) AS _exp, {area}(j) AS _imp, {hs}(k) AS _hs,
                         {c.integer("t")} AS _t, {c.number("v")} AS _v, {c.number("q")} AS _q
                  FROM {v})
        """
        ctx.load_checked(path, "trade_flows", query, OUTPUT, staged.raw_query)


def _checks() -> list[tuple[str, str]]:
    return [
        *area_checks("exporter", "i", "_exp", country_only=True, expected=EXPECTED_CODE),
        *area_checks("importer", "j", "_imp", country_only=False, expected=EXPECTED_CODE),
        ("_hs IS NULL", c.bad_value("bad product code", "k", "an HS6 code")),
        (
            "NOT coalesce(_t BETWEEN 1900 AND 2100, false)",
            c.bad_value("bad year", "t", "a year between 1900 and 2100"),
        ),
        ("v IS NULL", c.text("missing value v")),
        *[
            (
                f"({col} IS NOT NULL AND _{col} IS NULL) OR _{col} < 0",
                c.bad_value(f"bad {label}", col, "a non-negative number"),
            )
            for col, label in (("v", "value v"), ("q", "quantity q"))
        ],
    ]


def _thousand(column: str) -> str:
    """BACI writes thousands of USD and tons with 3 decimals: rounding the product keeps
    0.185 thousand USD exactly 185 USD (a bare double would give 185.00000000000003)."""
    return f"round({c.number(column)} * 1000, 6)"


# -- file names and reference tables ------------------------------------------------------
def classification(path: Path) -> str | None:
    """``BACI_HS17_Y2020_V202401.csv`` -> ``'H5'``."""
    found = re.search(r"HS(\d{2})", path.name, re.IGNORECASE)
    return REVISIONS.get(found.group(1)) if found else None


def _version(path: Path) -> str | None:
    found = re.search(r"_V(\d{6}[a-z]?)", path.name)
    return found.group(1) if found else None


def _beside(path: Path, pattern: str) -> Path | None:
    """The reference file for ``path``'s release in its folder, or the newest one."""
    candidates = sorted(path.parent.glob(pattern))
    version = _version(path)
    same = [p for p in candidates if version and _version(p) == version]
    if same:
        return same[0]
    return candidates[-1] if candidates else None


def country_table(ctx: IngestContext, path: Path) -> dict[str, Area]:
    """BACI's own code -> country table found beside ``path`` (empty when there is none)."""
    table = _beside(path, "country_codes*.csv")
    if table is None:
        ctx.note(path, "no country_codes*.csv beside the file: used UN Comtrade and ISO codes")
        return {}
    areas: dict[str, Area] = {}
    for row in _read_rows(table):
        keys = {header_key(k): (v or "").strip() for k, v in row.items() if k}
        code = normalise_code(keys.get("countrycode", ""))
        iso3 = (keys.get("countryiso3") or keys.get("iso3digitalpha") or "").upper()
        name = keys.get("countryname") or keys.get("countrynameabbreviation") or iso3
        if code is not None and iso3 in iso3_codes():
            areas[code] = Area(code, name, iso3, None)
    if not areas:
        raise InputError(
            f"{table}: no country codes read; expected columns country_code and "
            "country_iso3 (or iso_3digit_alpha)"
        )
    return areas


def product_codes(path: Path) -> frozenset[str]:
    """HS6 codes of the release's ``product_codes_HSxx_*.csv`` beside ``path``, if any."""
    revision = re.search(r"HS\d{2}", path.name, re.IGNORECASE)
    if revision is None:
        return frozenset()
    table = _beside(path, f"product_codes_{revision.group(0).upper()}*.csv")
    if table is None:
        return frozenset()
    codes = (normalise_hs(str(row.get("code") or "")) for row in _read_rows(table))
    return frozenset(code for code in codes if code)


def _read_rows(path: Path) -> list[dict[str, str]]:
    encoding = detect_encoding(path)
    with path.open(encoding="utf-8-sig" if encoding == "utf-8" else encoding) as handle:
        return list(csv.DictReader(handle))


def _area(table: dict[str, Area], raw: str) -> Area | None:
    code = normalise_code(raw)
    own = table.get(code) if code is not None else None
    return own if own is not None else area_by_code(raw)


def hs_check(products: frozenset[str]) -> Callable[[str], str | None]:
    """HS6 validation: the bundled nomenclature, widened by the release's own list."""

    def check(raw: str) -> str | None:
        code = normalise_hs(raw)
        return code if code is not None and (code in products or hs_exists(code)) else None

    return check
