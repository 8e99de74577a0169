"""Tiny factories for screening tests: list entries and queries in one line."""

from __future__ import annotations

from greymap.screening import ListEntity, Query


def person(eid: str, *names: str, weak: tuple[str, ...] = (), **kw: object) -> ListEntity:
    return _entity(eid, "Person", names, weak, **kw)


def company(eid: str, *names: str, **kw: object) -> ListEntity:
    return _entity(eid, "Company", names, (), **kw)


def vessel(eid: str, *names: str, **kw: object) -> ListEntity:
    return _entity(eid, "Vessel", names, (), **kw)


def _entity(
    eid: str, schema: str, names: tuple[str, ...], weak: tuple[str, ...], **kw: object
) -> ListEntity:
    named = [(n, "name" if i == 0 else "alias") for i, n in enumerate(names)]
    named += [(n, "weakAlias") for n in weak]
    return ListEntity(
        id=eid,
        schema=schema,
        caption=names[0],
        names=tuple(named),
        birth_dates=tuple(kw.get("birth_dates", ())),  # type: ignore[arg-type]
        countries=frozenset(kw.get("countries", ())),  # type: ignore[arg-type]
        identifiers=frozenset(kw.get("identifiers", ())),  # type: ignore[arg-type]
        programs=tuple(kw.get("programs", ("TEST",))),  # type: ignore[arg-type]
    )


def query(name: str, schema: str | None = None, **kw: str) -> Query:
    return Query.make(name, schema, kw.get("country"), kw.get("birth_date"), kw.get("id"))


PUTIN = person(
    "p-putin",
    "PUTIN, Vladimir Vladimirovich",
    "Vladimir Putin",
    birth_dates=("1952-10-07",),
    countries=("RUS",),
)
ROMASHKA = company("c-romashka", "Romashka LLC", countries=("RUS",), identifiers=("1027700132195",))
SHAMI = person(
    "p-shami", "AL-HASSAN, Khalid Yusuf", weak=("Abu Yusuf al-Shami",), birth_dates=("1975",)
)
STAR = vessel("v-star", "OCEAN STAR", identifiers=("9074729",))
