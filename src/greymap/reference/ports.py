"""Ports keyed by UN/LOCODE, with coordinates, from two bundled public lists.

``sea_ports_unlocode.json`` (MIT) is preferred for coordinates where both have a port;
the NGA World Port Index (public domain) adds the ports the first list lacks.
Each port is marked with the free trade zone it sits in or next to, where known.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from greymap.reference.countries import iso2_to_iso3, to_iso3


@dataclass(frozen=True, slots=True)
class Port:
    locode: str
    name: str
    country: str | None
    latitude: float | None
    longitude: float | None
    free_trade_zone: str | None = None


def normalise_locode(raw: str | None) -> str | None:
    """``"US BAL"``, ``"us-bal"`` and ``"USBAL"`` are all ``USBAL``."""
    if raw is None:
        return None
    code = "".join(ch for ch in raw.upper() if ch.isalnum())
    return code if len(code) == 5 and code[:2].isalpha() else None


@cache
def ports() -> dict[str, Port]:
    """Every port by LOCODE, marked with the free trade zone it is in or next to
    (see :mod:`greymap.reference.free_trade_zones` for how zones are matched)."""
    from greymap.reference.free_trade_zones import port_zone_names  # it reads base_ports()

    zones = port_zone_names()
    return {
        code: replace(port, free_trade_zone=zones[code]) if code in zones else port
        for code, port in base_ports().items()
    }


@cache
def base_ports() -> dict[str, Port]:
    """The ports of both lists, before free trade zones are marked."""
    found: dict[str, Port] = {}
    data = resources.files("greymap.reference") / "data"
    with (data / "sea_ports_unlocode.json").open(encoding="utf-8") as handle:
        for key, item in json.load(handle).items():
            for code in [key, *item.get("unlocs", [])]:
                locode = normalise_locode(code)
                if locode is None or locode in found:
                    continue
                lon, lat = (item.get("coordinates") or [None, None])[:2]
                found[locode] = Port(
                    locode, item.get("name", locode), iso2_to_iso3(locode[:2]), lat, lon
                )
    with (data / "world_port_index.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            locode = normalise_locode(row.get("UN/LOCODE"))
            if locode is None or locode in found:
                continue
            country = iso2_to_iso3(locode[:2]) or to_iso3(row.get("Country Code"))
            found[locode] = Port(
                locode,
                row["Main Port Name"],
                country,
                _float(row.get("Latitude")),
                _float(row.get("Longitude")),
            )
    return found


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None
