"""Reference data: countries, HS nomenclature, ports, free trade zones and sectors.

Readers normalise against these, in Python for single values and in SQL through
:func:`register` for whole tables.
"""

from greymap.reference.countries import to_iso3
from greymap.reference.hs import hs_exists, normalise_hs
from greymap.reference.register import register

__all__ = ["hs_exists", "normalise_hs", "register", "to_iso3"]
