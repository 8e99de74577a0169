"""Reference tables registered on a DuckDB connection, so readers validate in SQL.

``ref_country(key, iso3)``  normalised spelling -> ISO3 (pycountry's spellings);
``ref_hs(code, level)``     the HS nomenclature;
``ref_port(locode, name, country, latitude, longitude, free_trade_zone)``;
``ref_free_trade_zone(zone, iso3, locode, latitude, longitude, source)``;
``ref_sector_hs(sector, hs_prefix)``  a traded HS code is in ``sector`` when it starts
with ``hs_prefix``; each code matches at most one prefix per sector, so::

    SELECT s.sector, sum(f.value_usd) FROM flows f
    JOIN ref_sector_hs s ON starts_with(f.hs_code, s.hs_prefix) GROUP BY s.sector

counts every flow once per sector it belongs to.

They are temporary tables: built once per connection from the bundled files, never
stored in the workspace, so a newer greymap's reference data is used at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import duckdb
import pyarrow as pa

from greymap.reference.countries import alias_map
from greymap.reference.free_trade_zones import zone_table
from greymap.reference.hs import SPECIAL_CODES, nomenclature
from greymap.reference.ports import ports
from greymap.reference.sectors import sector_hs_pairs

Columns = Mapping[str, Sequence[object]]


def register(con: duckdb.DuckDBPyConnection) -> None:
    """Create every ``ref_*`` table the connection does not have yet."""
    existing = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'ref_%'"
        ).fetchall()
    }
    for name, build in TABLES.items():
        if name not in existing:
            _create(con, name, build())


def register_sector_hs(con: duckdb.DuckDBPyConnection) -> None:
    """Only ``ref_sector_hs``, for analyses that need no other reference table."""
    existing = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_name = 'ref_sector_hs'"
    ).fetchall()
    if not existing:
        _create(con, "ref_sector_hs", _sector_hs())


def _country() -> Columns:
    aliases = alias_map()
    return {"key": list(aliases), "iso3": list(aliases.values())}


def _hs() -> Columns:
    table = nomenclature()
    codes = [*table, *SPECIAL_CODES]
    levels = [v[0] for v in table.values()] + [0] * len(SPECIAL_CODES)
    return {"code": codes, "level": levels}


def _port() -> Columns:
    items = list(ports().values())
    return {
        "locode": [p.locode for p in items],
        "name": [p.name for p in items],
        "country": [p.country for p in items],
        "latitude": [p.latitude for p in items],
        "longitude": [p.longitude for p in items],
        "free_trade_zone": pa.array([p.free_trade_zone for p in items], type=pa.string()),
    }


def _sector_hs() -> Columns:
    pairs = sector_hs_pairs()
    return {"sector": [s for s, _ in pairs], "hs_prefix": [p for _, p in pairs]}


TABLES: dict[str, Callable[[], Columns]] = {
    "ref_country": _country,
    "ref_hs": _hs,
    "ref_port": _port,
    "ref_free_trade_zone": zone_table,
    "ref_sector_hs": _sector_hs,
}


def _create(con: duckdb.DuckDBPyConnection, name: str, columns: Columns) -> None:
    table = pa.table(columns)
    con.register("_ref_arrow", table)
    try:
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM _ref_arrow")
    finally:
        con.unregister("_ref_arrow")
