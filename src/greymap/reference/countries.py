"""Country normalisation to ISO 3166-1 alpha-3.

Known spellings come from ``pycountry`` (codes, names, official and common names);
anything else (``"Viet Nam"``, ``"DR Congo"``, ``"Côte D'Ivoire"``) goes through
``country_converter``'s maintained regular expressions. Lookups are cached, and readers
normalise each *distinct* value once, so millions of rows cost a few thousand lookups.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

import pycountry

# Codes outside ISO 3166-1 that the real files use for real places. Kosovo has no ISO
# code; XK/XKX are the user-assigned codes the EU, the World Bank and FtM use.
_EXTRA_CODES = {"xk": "XKX", "xkx": "XKX", "kosovo": "XKX"}


def normalise_key(value: str) -> str:
    """Lower-case, accent-free, punctuation-free form used as the lookup key."""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return text.strip()


@cache
def alias_map() -> dict[str, str]:
    """Every spelling pycountry knows, as a normalised key -> ISO3 map."""
    aliases: dict[str, str] = dict(_EXTRA_CODES)
    for country in pycountry.countries:
        iso3 = country.alpha_3
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                aliases.setdefault(normalise_key(value), iso3)
    return aliases


@cache
def iso3_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.countries) | {"XKX"}


@cache
def _converter() -> object:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import country_converter

        return country_converter.CountryConverter()


@cache
def to_iso3(value: str | None) -> str | None:
    """ISO3 for a code or name in any common spelling, or ``None`` if it is no country.

    >>> to_iso3("viet nam"), to_iso3("FR"), to_iso3("Côte d'Ivoire"), to_iso3("Atlantis")
    ('VNM', 'FRA', 'CIV', None)
    """
    if value is None:
        return None
    key = normalise_key(value)
    if not key:
        return None
    if key in alias_map():
        return alias_map()[key]
    if key.isdigit():
        found = pycountry.countries.get(numeric=key.zfill(3))
        return found.alpha_3 if found else None
    if len(key) <= 3:
        return None  # an unknown code: regexes on names would only guess
    # The regexes expect commas ("Congo, Republic of"); files also write "Congo. Republic".
    return _convert_name(value) or (_convert_name(key) if key != value.lower() else None)


def _convert_name(value: str) -> str | None:
    import logging

    logging.getLogger("country_converter").setLevel(logging.CRITICAL)
    converter = _converter()
    result = converter.convert(value, src="regex", to="ISO3", not_found=None)  # type: ignore[attr-defined]
    if isinstance(result, list):  # a name matching several countries is ambiguous
        return None
    return result if isinstance(result, str) and result in iso3_codes() else None


def to_iso3_many(values: Iterable[str | None]) -> dict[str, str | None]:
    """Map each distinct value once; the result keys are the raw values."""
    return {v: to_iso3(v) for v in set(values) if v is not None}


def iso2_to_iso3(code: str) -> str | None:
    """FtM and CITES write ISO2 (FtM in lower case)."""
    return alias_map().get(code.strip().lower()) if len(code.strip()) == 2 else None


def iso3_to_iso2(code: str) -> str | None:
    if code == "XKX":
        return "xk"
    found = pycountry.countries.get(alpha_3=code)
    return found.alpha_2.lower() if found else None
