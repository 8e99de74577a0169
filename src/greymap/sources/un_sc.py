"""The ``un-sc`` format: the UN Security Council Consolidated List (XML).

``CONSOLIDATED_LIST`` holds ``INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY`` records:
DATAID (the stable record id, so entities are ``unsc-<DATAID>`` as in OpenSanctions),
FIRST_NAME..FOURTH_NAME, UN_LIST_TYPE (the sanctions regime), REFERENCE_NUMBER (the
UN's permanent reference, e.g. ``QDi.001``), LISTED_ON, COMMENTS1, TITLE, DESIGNATION,
NATIONALITY, and repeated ALIAS, ADDRESS, DATE_OF_BIRTH, PLACE_OF_BIRTH and DOCUMENT
blocks. Individuals become Persons; entities Companies or Organizations by the rule
in :mod:`greymap.sources.sanctions`. Each gets a Sanction entity with the regime, the
reference number (``unscId``) and the listing date.

Alias quality: the UN marks aliases ``Good`` or ``Low`` ("low-quality a.k.a."); low
ones are ``weakAlias`` (kept for screening, never matched on alone), ``f.k.a.`` are
``previousName``, the rest ``alias``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from greymap.errors import InputError
from greymap.sources.base import Reader
from greymap.sources.context import IngestContext, Rejection
from greymap.sources.remarks import parse_date
from greymap.sources.sanctions import LinkId, Placed, Target, org_schema, put, write_dataset
from greymap.sources.xmlrecords import children, is_xml, iter_records, raw, text

ROOT = "CONSOLIDATED_LIST"
RECORDS = frozenset({"INDIVIDUAL", "ENTITY"})
DESCRIBE = "the UN Security Council Consolidated List"
AUTHORITY = "United Nations Security Council"
DATASET = "un_sc_sanctions"
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
ALIAS_PROPS = {"low": "weakAlias", "f.k.a.": "previousName", "fka": "previousName"}
ADDRESS_PARTS = ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")


class UnScReader(Reader):
    NAME = "un-sc"
    TABLES = ("entities",)
    DESCRIPTION = "UN Security Council consolidated sanctions list (XML)"

    def read(self, ctx: IngestContext, paths: list[Path]) -> None:
        for path in paths:
            read_list(ctx, path)


def read_list(ctx: IngestContext, path: Path) -> None:
    if not is_xml(path):
        raise InputError(f"{path}: not an XML file; expected {DESCRIBE}, a <{ROOT}> document")
    entries: list[Placed] = []
    seen: dict[str, int] = {}
    rejected: list[Rejection] = []
    for line, element in iter_records(path, ROOT, RECORDS, DESCRIBE):
        ctx.counts[path].rows_read += 1
        problem = record_problem(element, seen)
        if problem is not None:
            rejected.append(Rejection(line, problem, raw(element)))
            continue
        seen[text(element, "DATAID") or ""] = line
        entries.append(Placed(path, line, record_target(element)))
    ctx.quarantine(path, rejected)
    write_dataset(ctx, path, ctx.dataset or DATASET, entries, LinkId("unsc"))


def record_problem(element: Any, seen: dict[str, int]) -> str | None:
    """Why a record cannot be loaded, or None."""
    dataid = text(element, "DATAID")
    if dataid is None or not dataid.isdigit():
        return f"bad DATAID {dataid!r}; expected a whole number"
    if not record_name(element):
        return "no name: FIRST_NAME to FOURTH_NAME are all empty"
    if dataid in seen:
        return f"duplicate DATAID {dataid}; first listed at line {seen[dataid]}"
    return None


def record_name(element: Any) -> str:
    return squash(" ".join(text(element, p) or "" for p in NAME_PARTS))


def squash(value: str | None) -> str:
    return re.sub(r"\s+", " ", value or "").strip()


def record_target(element: Any) -> Target:
    name = record_name(element)
    kind = "Person" if element.tag == "INDIVIDUAL" else org_schema(name)
    target = Target.create(kind, f"unsc-{text(element, 'DATAID')}", AUTHORITY, None)
    proxy = target.proxy
    proxy.add("name", name)
    put(proxy, "alias", squash(text(element, "NAME_ORIGINAL_SCRIPT")))
    target.add_program(text(element, "UN_LIST_TYPE"))
    target.sanction.add("unscId", text(element, "REFERENCE_NUMBER"))
    target.sanction.add("listingDate", iso_date(text(element, "LISTED_ON")))
    put(proxy, "notes", squash(text(element, "COMMENTS1")))
    put(proxy, "gender", text(element, "GENDER"))
    for field, prop in (("TITLE", "title"), ("DESIGNATION", "position")):
        for item in children(element, f"{field}/VALUE"):
            put(proxy, prop, squash(item.text), f"{field.title()}: {squash(item.text)}")
    for item in children(element, "NATIONALITY/VALUE"):
        put(proxy, "nationality", squash(item.text), f"Nationality: {squash(item.text)}")
    prefix = element.tag
    add_aliases(proxy, children(element, f"{prefix}_ALIAS"))
    add_addresses(proxy, children(element, f"{prefix}_ADDRESS"))
    add_birth_dates(proxy, children(element, "INDIVIDUAL_DATE_OF_BIRTH"))
    add_birth_places(proxy, children(element, "INDIVIDUAL_PLACE_OF_BIRTH"))
    add_documents(proxy, children(element, "INDIVIDUAL_DOCUMENT"))
    return target


def iso_date(value: str | None) -> str | None:
    """``2016-11-30`` and ``2016-11-30-04:00`` (a zone suffix) -> ``2016-11-30``."""
    match = re.match(r"\d{4}-\d{2}-\d{2}", value or "")
    return match.group(0) if match else None


def add_aliases(proxy: Any, aliases: list[Any]) -> None:
    for alias in aliases:
        name = squash(text(alias, "ALIAS_NAME"))
        quality = (text(alias, "QUALITY") or "").lower()
        put(proxy, ALIAS_PROPS.get(quality, "alias"), name)


def add_addresses(proxy: Any, addresses: list[Any]) -> None:
    for address in addresses:
        full = ", ".join(squash(text(address, p)) for p in ADDRESS_PARTS if text(address, p))
        country = text(address, "COUNTRY")
        put(proxy, "address", full)
        put(proxy, "country", country, f"Address country: {country}")
        put(proxy, "notes", squash(text(address, "NOTE")))


def add_birth_dates(proxy: Any, items: list[Any]) -> None:
    """EXACT/APPROXIMATELY give DATE or YEAR; BETWEEN gives FROM_YEAR and TO_YEAR."""
    for item in items:
        values = [iso_date(text(item, "DATE")) or text(item, "DATE"), text(item, "YEAR")]
        values += [text(item, "FROM_YEAR"), text(item, "TO_YEAR")]
        for value in values:
            if value:
                put(proxy, "birthDate", parse_date(value) or value, f"Date of birth: {value}")
        put(proxy, "notes", squash(text(item, "NOTE")))


def add_birth_places(proxy: Any, items: list[Any]) -> None:
    for item in items:
        parts = [squash(text(item, p)) for p in ("CITY", "STATE_PROVINCE", "COUNTRY")]
        put(proxy, "birthPlace", ", ".join(p for p in parts if p))
        put(proxy, "birthCountry", text(item, "COUNTRY"))
        put(proxy, "notes", squash(text(item, "NOTE")))


def add_documents(proxy: Any, items: list[Any]) -> None:
    """Passports (in any of the UN's three languages) -> passportNumber; else idNumber."""
    for item in items:
        kind = squash(text(item, "TYPE_OF_DOCUMENT") or text(item, "TYPE_OF_DOCUMENT2"))
        number = squash(text(item, "NUMBER"))
        passport = re.search(r"passport|pasaporte|passeport", kind, re.IGNORECASE)
        put(proxy, "passportNumber" if passport else "idNumber", number, f"{kind}: {number}")
        if note := squash(text(item, "NOTE")):
            put(proxy, "notes", f"{kind or 'Document'} {number}: {note}".replace("  ", " "))
