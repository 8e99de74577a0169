"""Reference data: countries, HS nomenclature, ports, free trade zones and sectors.

Readers normalise against these, in Python for single values and in SQL through
:func:`register` for whole tables. The list functions ``sectors()``, ``ports()`` and
``free_trade_zones()`` live in their modules and are not re-exported here, because a
package attribute named like a submodule would hide it.
"""

from greymap.reference.countries import to_iso3
from greymap.reference.free_trade_zones import FreeTradeZone, zones_for_port
from greymap.reference.hs import hs_exists, normalise_hs
from greymap.reference.ports import Port
from greymap.reference.register import register, register_sector_hs
from greymap.reference.sectors import (
    SECTOR_SLUGS,
    Sector,
    get_sector,
    sector_hs_prefixes,
    sectors_for_hs,
)

__all__ = [
    "SECTOR_SLUGS",
    "FreeTradeZone",
    "Port",
    "Sector",
    "get_sector",
    "hs_exists",
    "normalise_hs",
    "register",
    "register_sector_hs",
    "sector_hs_prefixes",
    "sectors_for_hs",
    "to_iso3",
    "zones_for_port",
]
