"""Reference tables registered on a DuckDB connection, so readers validate in SQL.

``ref_country(key, iso3)``  normalised spelling -> ISO3 (pycountry's spellings);
``ref_hs(code, level)``     the HS nomenclature;
``ref_port(locode, name, country, latitude, longitude)``.

They are temporary tables: built once per connection from the bundled files, never
stored in the workspace, so a newer greymap's reference data is used at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb
import pyarrow as pa

from greymap.reference.countries import alias_map
from greymap.reference.hs import SPECIAL_CODES, nomenclature
from greymap.reference.ports import ports


def register(con: duckdb.DuckDBPyConnection) -> None:
    existing = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'ref_%'"
        ).fetchall()
    }
    if "ref_country" not in existing:
        aliases = alias_map()
        _create(con, "ref_country", {"key": list(aliases), "iso3": list(aliases.values())})
    if "ref_hs" not in existing:
        table = nomenclature()
        codes = [*table, *SPECIAL_CODES]
        levels = [v[0] for v in table.values()] + [0] * len(SPECIAL_CODES)
        _create(con, "ref_hs", {"code": codes, "level": levels})
    if "ref_port" not in existing:
        items = list(ports().values())
        _create(
            con,
            "ref_port",
            {
                "locode": [p.locode for p in items],
                "name": [p.name for p in items],
                "country": [p.country for p in items],
                "latitude": [p.latitude for p in items],
                "longitude": [p.longitude for p in items],
            },
        )


def _create(
    con: duckdb.DuckDBPyConnection, name: str, columns: Mapping[str, Sequence[object]]
) -> None:
    table = pa.table(columns)
    con.register("_ref_arrow", table)
    try:
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM _ref_arrow")
    finally:
        con.unregister("_ref_arrow")
