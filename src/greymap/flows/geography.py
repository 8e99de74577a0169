"""Where countries are, for the distance that drives CIF/FOB margins and route detours.

A country's location is the mean of its seaports' coordinates in the bundled port lists
(trade moves through ports, so this is closer to where goods leave than a capital is);
a country without seaports has no location and falls back to its region. Regions and
continents come from ``country_converter``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import cache

import duckdb
import pyarrow as pa

from greymap.reference.countries import _converter
from greymap.reference.ports import ports


@cache
def country_locations() -> dict[str, tuple[float, float]]:
    """ISO3 -> (latitude, longitude), the mean of the country's ports."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for port in ports().values():
        if port.country and port.latitude is not None and port.longitude is not None:
            acc = sums[port.country]
            acc[0] += port.latitude
            acc[1] += port.longitude
            acc[2] += 1
    return {iso3: (lat / n, lon / n) for iso3, (lat, lon, n) in sums.items()}


@cache
def country_regions() -> dict[str, tuple[str, str]]:
    """ISO3 -> (UN region, continent)."""
    data = _converter().data  # type: ignore[attr-defined]
    return {
        str(row.ISO3): (str(row.UNregion), str(row.continent))
        for row in data[["ISO3", "UNregion", "continent"]].itertuples()
    }


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether this connection already registered ``name`` (reference tables are built
    once per connection)."""
    rows = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchall()
    return bool(rows[0][0])


def register_geography(con: duckdb.DuckDBPyConnection) -> None:
    """``ref_country_geo(iso3, latitude, longitude, region, continent)`` as a temp table."""
    if _has_table(con, "ref_country_geo"):
        return
    locations = country_locations()
    regions = country_regions()
    codes = sorted(set(locations) | set(regions))
    table = pa.table(
        {
            "iso3": codes,
            "latitude": [locations.get(c, (None, None))[0] for c in codes],
            "longitude": [locations.get(c, (None, None))[1] for c in codes],
            "region": [regions.get(c, (None, None))[0] for c in codes],
            "continent": [regions.get(c, (None, None))[1] for c in codes],
        }
    )
    con.register("_geo_arrow", table)
    try:
        con.execute("CREATE TEMP TABLE ref_country_geo AS SELECT * FROM _geo_arrow")
    finally:
        con.unregister("_geo_arrow")


def register_locations(con: duckdb.DuckDBPyConnection) -> None:
    """``ref_country_location(iso3, latitude, longitude)``: what the mirror analysis needs
    for distances. ``ref_country_geo`` adds regions, whose country_converter tables (and
    the Arrow registration) cost about 0.3 s a run, for columns the analysis never reads."""
    if _has_table(con, "ref_country_location"):
        return
    locations = country_locations()
    codes = sorted(locations)
    # Three lists unnested in one statement: faster than registering an Arrow table.
    con.execute(
        "CREATE TEMP TABLE ref_country_location AS "
        "SELECT unnest(?::VARCHAR[]) AS iso3, unnest(?::DOUBLE[]) AS latitude, "
        "unnest(?::DOUBLE[]) AS longitude",
        [codes, [locations[c][0] for c in codes], [locations[c][1] for c in codes]],
    )
