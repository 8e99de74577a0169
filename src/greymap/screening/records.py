"""List entries and queries as the matcher sees them.

A :class:`ListEntity` is one screenable FtM entity (Person, Company, Organization,
LegalEntity, Vessel, ...) with what the qualifiers need: its names by strength (``name``,
``alias``, ``previousName`` are strong; ``weakAlias`` is weak: the UN's "low quality
a.k.a."), birth dates, countries as ISO3, identifiers, and the programmes and topics that
put it on a list. A :class:`Query` is one counterparty to screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from greymap.errors import InputError
from greymap.reference.countries import iso2_to_iso3, to_iso3

#: Schemas screened, and which of them may describe the same thing.
SCREEN_SCHEMAS = (
    "Person",
    "Company",
    "Organization",
    "LegalEntity",
    "PublicBody",
    "Vessel",
    "Airplane",
)
_PARTY = {"Company", "Organization", "LegalEntity", "PublicBody"}
COMPATIBLE: dict[str, frozenset[str]] = {
    "Person": frozenset({"Person", "LegalEntity"}),
    "Vessel": frozenset({"Vessel"}),
    "Airplane": frozenset({"Airplane"}),
    **{s: frozenset(_PARTY) for s in _PARTY},
}
QUERY_SCHEMAS = ("Person", "Company", "Organization", "LegalEntity", "Vessel")

#: FtM properties holding names, and their strength.
NAME_PROPS = (("name", "name"), ("alias", "alias"), ("previousName", "previousName"))
WEAK_PROPS = (("weakAlias", "weakAlias"),)
#: FtM properties holding identifiers a counterparty may quote.
ID_PROPS = (
    "imoNumber",
    "registrationNumber",
    "taxNumber",
    "passportNumber",
    "idNumber",
    "vatCode",
    "innCode",
    "ogrnCode",
    "leiCode",
    "swiftBic",
    "mmsi",
    "callSign",
    "dunsCode",
    "serialNumber",
    "registrationNumber",
)
#: FtM properties holding countries (FtM writes ISO2, lower case).
COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "flag", "birthCountry")

_ID_CLEAN = re.compile(r"[^0-9A-Z]")
_ID_PREFIX = re.compile(r"^(IMO|INN|OGRN|TIN|VAT|NO|NR|NUMBER)(?=\d)")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def normalise_identifier(value: str) -> str:
    """``IMO 9123456`` -> ``9123456``; ``ab-12.345`` -> ``AB12345``: compare ids as codes."""
    text = _ID_CLEAN.sub("", value.upper())
    return _ID_PREFIX.sub("", text)


@dataclass(frozen=True, slots=True)
class ListEntity:
    """One screenable list entry."""

    id: str
    schema: str
    caption: str
    names: tuple[tuple[str, str], ...]
    birth_dates: tuple[str, ...] = ()
    countries: frozenset[str] = frozenset()
    identifiers: frozenset[str] = frozenset()
    programs: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    datasets: tuple[str, ...] = ()
    note: str = ""

    @classmethod
    def from_ftm(
        cls,
        data: Mapping[str, Any],
        *,
        programs: Iterable[str] = (),
        countries: Iterable[str] = (),
        note: str = "",
    ) -> ListEntity:
        """From an FtM entity dict (``id``, ``schema``, ``properties``)."""
        props: Mapping[str, Sequence[str]] = data.get("properties") or {}
        names = [(v, kind) for p, kind in (*NAME_PROPS, *WEAK_PROPS) for v in props.get(p, ())]
        codes = {c for c in countries if c}
        codes.update(_iso3(v) for p in COUNTRY_PROPS for v in props.get(p, ()))
        codes.discard("")
        ids = {normalise_identifier(v) for p in ID_PROPS for v in props.get(p, ())}
        ids = {i for i in ids if len(i) >= 4}
        progs = dict.fromkeys([*props.get("program", ()), *programs])
        caption = data.get("caption") or (names[0][0] if names else data["id"])
        dataset = data.get("dataset")
        datasets = tuple(data.get("datasets") or ([dataset] if dataset else []))
        return cls(
            id=str(data["id"]),
            schema=str(data["schema"]),
            caption=str(caption),
            names=tuple(dict.fromkeys(names)),
            birth_dates=tuple(sorted(set(props.get("birthDate", ())))),
            countries=frozenset(codes),
            identifiers=frozenset(ids),
            programs=tuple(p for p in progs if p),
            topics=tuple(props.get("topics", ())),
            datasets=datasets,
            note=note,
        )


def _iso3(value: str) -> str:
    code = iso2_to_iso3(value) if len(value) == 2 else to_iso3(value)
    return code or ""


@dataclass(frozen=True, slots=True)
class Query:
    """One counterparty to screen: a name and what else is known about it."""

    name: str
    schema: str | None = None
    country: str | None = None
    birth_date: str | None = None
    identifier: str | None = None
    ref: str = field(default="", compare=False)

    @classmethod
    def make(
        cls,
        name: str,
        schema: str | None = None,
        country: str | None = None,
        birth_date: str | None = None,
        identifier: str | None = None,
        ref: str = "",
    ) -> Query:
        """A checked query: schema known, country to ISO3, date ISO 8601 (year allowed).

        Raises :class:`InputError` naming the bad value and what was expected."""
        name = (name or "").strip()
        if not name:
            raise InputError(f"{ref or 'query'}: empty name; expected a name to screen")
        return cls(
            name=name,
            schema=_schema(schema, ref),
            country=_country(country, ref),
            birth_date=_birth_date(birth_date, ref),
            identifier=(identifier or "").strip() or None,
            ref=ref,
        )


def _schema(value: str | None, ref: str) -> str | None:
    if not value or not value.strip():
        return None
    for schema in QUERY_SCHEMAS:
        if schema.lower() == value.strip().lower():
            return schema
    raise InputError(
        f"{ref or 'query'}: unknown schema {value!r}; expected one of {', '.join(QUERY_SCHEMAS)}"
    )


def _country(value: str | None, ref: str) -> str | None:
    if not value or not value.strip():
        return None
    code = to_iso3(value.strip())
    if code is None:
        raise InputError(
            f"{ref or 'query'}: unknown country {value!r}; expected an ISO 3166 code or name"
        )
    return code


def _birth_date(value: str | None, ref: str) -> str | None:
    if not value or not value.strip():
        return None
    text = value.strip()
    if not _DATE.match(text):
        raise InputError(
            f"{ref or 'query'}: birth date {value!r} is not ISO 8601; expected YYYY, YYYY-MM or YYYY-MM-DD"
        )
    return text
