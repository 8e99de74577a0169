"""Sanctions list entries as FollowTheMoney entities, the way OpenSanctions shapes them.

Every list entry becomes a *target* (Person, Company, Organization, Vessel or Airplane)
with ``topics=sanction`` and the list's programmes, plus one ``Sanction`` entity naming
the target and carrying the authority, programmes, provisions and listing date. Names
a list uses to point at other entries ("Linked To:", a vessel's owner) are resolved
against the other entries' names once the whole list is read, so relations become
``UnknownLink`` entities or entity references, and the unresolved ones stay as notes.

Which entities are companies: an entry that is neither a person, vessel nor aircraft
is a ``Company`` when its name carries a business legal form (LTD, S.A., GmbH, OOO...;
rigour's org-type database, NGO forms excepted) or the list gives it a business
identifier (registration, tax, VAT, SWIFT/BIC, D-U-N-S, LEI...), or its name has one
of a few business words (company, corporation, trading, bank, shipping...); otherwise
it is an ``Organization`` (armed groups, parties, ministries, cartels).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from followthemoney import EntityProxy, model
from rigour.names.org_types import extract_org_types

from greymap.reference.countries import iso3_to_iso2, to_iso3
from greymap.sources import remarks as r
from greymap.sources.context import IngestContext
from greymap.sources.entities import EntityBatch
from greymap.sources.remarks import Fact

#: Identifiers that only businesses have; one of them makes an entity a Company.
BUSINESS_PROPS = frozenset(
    {
        "registrationNumber",
        "taxNumber",
        "vatCode",
        "swiftBic",
        "dunsCode",
        "leiCode",
        "bikCode",
        "uscCode",
    }
)
#: Words of business names that rigour leaves out of its legal forms as too generic.
BUSINESS_WORDS = frozenset(
    {
        "company",
        "corporation",
        "trading",
        "holding",
        "holdings",
        "enterprises",
        "industries",
        "bank",
        "banco",
        "banque",
        "shipping",
        "airlines",
        "airways",
    }
)
#: Where a schema lacks a property, the value goes to the next one that fits.
FALLBACK = {
    "flag": "country",
    "bikCode": "registrationNumber",
    "uscCode": "registrationNumber",
    "socialSecurityNumber": "idNumber",
}
COUNTRY_PROPS = frozenset({"nationality", "citizenship", "country", "flag", "pastFlags"})
_REFS = {r.OWNER: ("owner", "Vessel owner"), r.OPERATOR: ("operator", "Aircraft operator")}


def org_schema(name: str, facts: Iterable[Fact] = ()) -> str:
    """``Company`` or ``Organization`` by the rule in the module docstring."""
    if any(f.prop in BUSINESS_PROPS for f in facts):
        return "Company"
    folded = name.casefold()
    if BUSINESS_WORDS.intersection(re.findall(r"[a-z]+", folded)):
        return "Company"
    forms = extract_org_types(folded, generic=True)
    return "Company" if any(target != "ngo" for _, target in forms) else "Organization"


def name_key(name: str) -> str:
    """Names compared blind to case and punctuation (``KPD S.A`` is ``KPD S.A.``)."""
    return re.sub(r"[\W_]+", "", name.casefold())


@dataclass
class Target:
    """One list entry while it is being built: the target, its Sanction, its pointers."""

    proxy: EntityProxy
    sanction: EntityProxy
    #: (pseudo-property, name) pairs to resolve once every entry's name is known.
    refs: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def create(cls, schema: str, entity_id: str, authority: str, country: str | None) -> Target:
        proxy = model.make_entity(schema)
        proxy.id = entity_id
        proxy.add("topics", "sanction")
        sanction = model.make_entity("Sanction")
        sanction.id = f"{entity_id}-sanction"
        sanction.add("entity", entity_id)
        sanction.add("authority", authority)
        sanction.add("country", country)
        return cls(proxy, sanction)

    def add_program(self, program: str | None) -> None:
        if program and program.strip():
            self.proxy.add("program", program.strip())
            self.sanction.add("program", program.strip())

    def apply(self, facts: Iterable[Fact]) -> None:
        for fact in facts:
            self.apply_one(fact)

    def apply_one(self, fact: Fact) -> None:
        if fact.prop == r.NOTE:
            self.proxy.add("notes", fact.text)
        elif fact.prop == r.PROVISION:
            self.sanction.add("provisions", fact.text)
        elif fact.prop in (r.LINK, r.OWNER, r.OPERATOR):
            self.refs.append((fact.prop, fact.value))
        else:
            put(self.proxy, fact.prop, fact.value, fact.text)


def put(proxy: EntityProxy, prop: str | None, value: str | None, text: str | None = None) -> bool:
    """Add a value FtM accepts for ``prop`` (or its fallback); else keep ``text`` as a note.

    A birth country that is no country is not noted: the birth place holds the text.
    """
    if not value:
        return False
    wanted = prop
    while prop is not None and proxy.schema.get(prop) is None:
        prop = FALLBACK.get(prop)
    if prop is not None:
        if proxy.unsafe_add(proxy.schema.properties[prop], value) is not None:
            return True
        if prop in COUNTRY_PROPS and _add_country(proxy, prop, value):
            return True
    if text and wanted != "birthCountry":
        proxy.add("notes", text)
    return False


def _add_country(proxy: EntityProxy, prop: str, value: str) -> bool:
    """Names FtM does not know may still be countries to greymap's wider converter."""
    iso3 = to_iso3(value)
    iso2 = iso3_to_iso2(iso3) if iso3 else None
    return iso2 is not None and proxy.unsafe_add(proxy.schema.properties[prop], iso2) is not None


class NameIndex:
    """Entries by primary name (then by alias when the primary name does not resolve)."""

    def __init__(self, targets: Iterable[Target]) -> None:
        self.primary: dict[str, set[str]] = {}
        self.aliases: dict[str, set[str]] = {}
        for target in targets:
            assert target.proxy.id is not None
            for name in target.proxy.get("name"):
                self.primary.setdefault(name_key(name), set()).add(target.proxy.id)
            for name in target.proxy.get("alias"):
                self.aliases.setdefault(name_key(name), set()).add(target.proxy.id)

    def find(self, name: str) -> str | None:
        """The one entry with this name, or None if there is none or several."""
        key = name_key(name)
        if not key:
            return None
        for index in (self.primary, self.aliases):
            ids = index.get(key, set())
            if ids:
                return next(iter(ids)) if len(ids) == 1 else None
        return None


def resolve_refs(targets: dict[str, Target], link_id: LinkId) -> Iterator[tuple[str, EntityProxy]]:
    """Turn names into relations; yields (owning target id, UnknownLink) pairs."""
    index = NameIndex(targets.values())
    for target in targets.values():
        subject = target.proxy.id
        assert subject is not None
        for kind, name in target.refs:
            found = index.find(name)
            if found is None or found == subject:
                label = "Linked To" if kind == r.LINK else _REFS[kind][1]
                target.proxy.add("notes", f"{label}: {name}")
            elif kind == r.LINK:
                yield subject, unknown_link(subject, found, link_id)
            else:
                target.proxy.add(_REFS[kind][0], found)


class LinkId:
    """Ids of links between two entries, the same whichever side names the other."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self, a: str, b: str) -> str:
        first, second = sorted((a, b))
        return f"{self.prefix}-link-{first.split('-', 1)[-1]}-{second.split('-', 1)[-1]}"


def unknown_link(a: str, b: str, link_id: LinkId) -> EntityProxy:
    link = model.make_entity("UnknownLink")
    link.id = link_id(a, b)
    first, second = sorted((a, b))
    link.add("subject", first)
    link.add("object", second)
    link.add("role", "Linked To")
    return link


@dataclass(frozen=True)
class Placed:
    """A built entry and where it came from."""

    path: Path
    row: int
    target: Target


def write_dataset(
    ctx: IngestContext, path: Path, dataset: str, entries: list[Placed], link_id: LinkId
) -> dict[str, int]:
    """Resolve pointers between entries and write them all as a new version of ``dataset``.

    Each entry counts as one loaded row; its Sanction and links ride along uncounted.
    A file that yields no entry at all leaves the dataset as it was rather than empty it.
    Returns the change counts of :meth:`EntityBatch.commit`; the note on ``path`` says them.
    """
    if not entries:
        ctx.note(path, f"no entry could be loaded; dataset {dataset} was left as it was")
        return {"added": 0, "changed": 0, "removed": 0}
    by_id = {e.target.proxy.id: e for e in entries if e.target.proxy.id}
    links = list(resolve_refs({k: e.target for k, e in by_id.items()}, link_id))
    batch = EntityBatch(ctx, dataset)
    for entry in entries:
        batch.add(entry.path, entry.row, entry.target.proxy)
        batch.add(entry.path, entry.row, entry.target.sanction, count=False)
    for owner, link in links:
        batch.add(by_id[owner].path, by_id[owner].row, link, count=False)
    changes = batch.commit()
    ctx.note(path, change_note(dataset, len(entries), len({li.id for _, li in links}), changes))
    return changes


def change_note(dataset: str, entries: int, links: int, changes: dict[str, int]) -> str:
    text = f"dataset {dataset}: {entries} entries, {links} links"
    if any(changes.values()):
        text += (
            f"; against the previous version {changes['added']} entities added, "
            f"{changes['changed']} changed, {changes['removed']} removed"
        )
    return text
