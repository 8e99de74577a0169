"""OFAC's XML lists (``sdn.xml`` and the non-SDN consolidated ``consolidated.xml``).

Both use one schema: ``sdnList`` with ``publshInformation`` (sic) and ``sdnEntry``
records holding uid, firstName, lastName, title, sdnType, remarks, programList,
idList (idType, idNumber, idCountry), akaList (type a.k.a./f.k.a./n.k.a., category
strong/weak), addressList, nationalityList, citizenshipList, dateOfBirthList,
placeOfBirthList and vesselInfo. ``idType`` labels are the ones the CSV Remarks use,
so both go through :func:`greymap.sources.remarks.facts_for`.

Which list a file is cannot be read from its content (both have the same publish
information), so the file name decides: a name with ``cons`` or ``non_sdn`` in it is
the consolidated list (dataset ``us_ofac_cons``), anything else the SDN list
(``us_ofac_sdn``); ``--dataset`` overrides both.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from greymap.sources.context import IngestContext, Rejection
from greymap.sources.ofac_csv import AUTHORITY, LINK_ID, SCHEMAS, number
from greymap.sources.remarks import Fact, facts_for, parse_dates, parse_remarks
from greymap.sources.sanctions import Placed, Target, org_schema, put, write_dataset
from greymap.sources.xmlrecords import children, iter_records, raw, text

ROOT = "sdnList"
DESCRIBE = "an OFAC SDN list (sdn.xml or consolidated.xml)"
SDN_TYPES = {"individual": "Person", "entity": None, **{k: v for k, v in SCHEMAS.items()}}
AKA_PROPS = {"a.k.a.": "alias", "n.k.a.": "alias", "f.k.a.": "previousName"}


def dataset_for(path: Path) -> str:
    name = path.name.lower()
    return "us_ofac_cons" if re.search(r"cons|non[_\-]?sdn", name) else "us_ofac_sdn"


def read_xml(ctx: IngestContext, path: Path) -> None:
    entries: list[Placed] = []
    seen: dict[str, int] = {}
    rejected: list[Rejection] = []
    for line, element in iter_records(path, ROOT, frozenset({"sdnEntry"}), DESCRIBE):
        ctx.counts[path].rows_read += 1
        problem = entry_problem(element, seen)
        if problem is not None:
            rejected.append(Rejection(line, problem, raw(element)))
            continue
        uid = text(element, "uid") or ""
        seen[uid] = line
        entries.append(Placed(path, line, entry_target(element)))
    ctx.quarantine(path, rejected)
    write_dataset(ctx, path, ctx.dataset or dataset_for(path), entries, LINK_ID)


def entry_problem(element: Any, seen: dict[str, int]) -> str | None:
    """Why an sdnEntry cannot be loaded, or None."""
    uid = text(element, "uid")
    if uid is None or not uid.isdigit():
        return f"bad uid {uid!r}; expected a whole number"
    if text(element, "lastName") is None:
        return "missing lastName (the entry's name)"
    kind = (text(element, "sdnType") or "").lower()
    if kind not in SDN_TYPES:
        return f"bad sdnType {kind!r}; expected Individual, Entity, Vessel or Aircraft"
    if uid in seen:
        return f"duplicate uid {uid}; first listed at line {seen[uid]}"
    return None


def full_name(element: Any) -> str:
    """``LAST, First`` as the CSV writes it, so both formats give the same names."""
    last, first = text(element, "lastName"), text(element, "firstName")
    return f"{last}, {first}" if first and last else (last or first or "")


def entry_target(element: Any) -> Target:
    uid = text(element, "uid")
    name = full_name(element)
    facts = entry_facts(element)
    schema = SDN_TYPES[(text(element, "sdnType") or "").lower()] or org_schema(name, facts)
    target = Target.create(schema, f"ofac-{uid}", AUTHORITY, "us")
    target.proxy.add("name", name)
    target.sanction.add("authorityId", uid)
    if schema == "Person":
        target.proxy.add("firstName", text(element, "firstName"))
        target.proxy.add("lastName", text(element, "lastName"))
    for program in children(element, "programList/program"):
        target.add_program(program.text)
    put(target.proxy, "position", text(element, "title"), f"Title {text(element, 'title')}")
    add_akas(target, element)
    add_addresses(target, element)
    add_vessel(target, element)
    target.apply(facts)
    return target


def entry_facts(element: Any) -> list[Fact]:
    """Remarks, identifiers, dates and places of an entry, as facts."""
    facts = parse_remarks(text(element, "remarks"))
    for item in children(element, "idList/id"):
        facts.extend(facts_for(text(item, "idType") or "", text(item, "idNumber")))
    for item in children(element, "dateOfBirthList/dateOfBirthItem"):
        raw_date = text(item, "dateOfBirth") or ""
        dates = parse_dates(raw_date)
        facts.extend(Fact("birthDate", d, f"DOB {raw_date}") for d in dates)
        if not dates and raw_date:
            facts.append(Fact("@note", f"DOB {raw_date}", f"DOB {raw_date}"))
    for item in children(element, "placeOfBirthList/placeOfBirthItem"):
        facts.extend(facts_for("POB", text(item, "placeOfBirth")))
    for item in children(element, "nationalityList/nationality"):
        facts.extend(facts_for("nationality", text(item, "country")))
    for item in children(element, "citizenshipList/citizenship"):
        facts.extend(facts_for("citizen", text(item, "country")))
    return facts


def add_akas(target: Target, element: Any) -> None:
    """a.k.a. -> alias (weakAlias when OFAC calls it weak), f.k.a. -> previousName."""
    for aka in children(element, "akaList/aka"):
        prop = AKA_PROPS.get((text(aka, "type") or "a.k.a.").lower(), "alias")
        if prop == "alias" and (text(aka, "category") or "").lower() == "weak":
            prop = "weakAlias"
        put(target.proxy, prop, full_name(aka))


def add_addresses(target: Target, element: Any) -> None:
    parts = ("address1", "address2", "address3", "city", "stateOrProvince", "postalCode")
    for address in children(element, "addressList/address"):
        country = text(address, "country")
        full = ", ".join(p for p in (*(text(address, n) for n in parts), country) if p)
        put(target.proxy, "address", full or None)
        put(target.proxy, "country", country, f"Address country {country}")


def add_vessel(target: Target, element: Any) -> None:
    for info in children(element, "vesselInfo"):
        put(target.proxy, "callSign", text(info, "callSign"))
        put(target.proxy, "type", text(info, "vesselType"))
        put(target.proxy, "flag", text(info, "vesselFlag"), f"Flag {text(info, 'vesselFlag')}")
        put(target.proxy, "tonnage", number(text(info, "tonnage")))
        put(target.proxy, "grossRegisteredTonnage", number(text(info, "grossRegisteredTonnage")))
        if owner := text(info, "vesselOwner"):
            target.refs.append(("@owner", owner))
