"""Free trade zones, with their country in ISO3 and the ports in or next to them.

Zones come from ``free_trade_zones_wikipedia.csv`` (a transcription of Wikipedia's "List of
free-trade zones") plus ``free_trade_zones_curated.csv``: major zones the list lacks, each
with its source, and pins where a zone's port cannot be found by name (``Tanger`` is spelt
``Tangier`` in UN/LOCODE).

A port is in or next to a zone when the zone's name names the port or its city, compared
as normalised words within the same country only: "Jebel Ali Free Zone (Dubai)" names
AEJEA Jebel Ali (and, through its city, AEDXB Dubai). Words that describe any zone
("free", "trade", "zone", "port", "zona franca") are ignored, so "Port Klang Free Zone"
and the port "Port Klang (Pelabuhan Klang)" meet on "klang". There is no fuzzy matching
and no match across a border: a zone with no port of its name in its country gets none.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from greymap.errors import InputError
from greymap.reference.countries import iso2_to_iso3, iso3_codes, normalise_key, to_iso3
from greymap.reference.ports import Port, base_ports, normalise_locode

WIKIPEDIA_FILE = "free_trade_zones_wikipedia.csv"
CURATED_FILE = "free_trade_zones_curated.csv"
WIKIPEDIA_SOURCE = "https://en.wikipedia.org/wiki/List_of_free-trade_zones"

# Words that say what kind of place a zone or port is, not where it is.
_GENERIC_TEXT = """
free trade zone zones freezone freeport ftz fz fez fza sez epz ftwz special economic export
processing industrial public private park city area authority enterprise international
foreign logistics hub gateway centre center border ecozone eco development ceticos zona
franca franco porto puerto libre port ports harbour harbor terminal oil gas marine island
islands bay roads anchorage south north east west of the at and de del di da in no ex
"""
GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())


@dataclass(frozen=True, slots=True)
class FreeTradeZone:
    """A zone, its country, and the port that best matches it (``locode``) among all
    ports in or next to it (``port_locodes``); coordinates are that port's unless the
    curated file gives the zone's own."""

    name: str
    iso3: str
    country: str
    region: str | None
    locode: str | None
    port_locodes: tuple[str, ...]
    latitude: float | None
    longitude: float | None
    source: str
    note: str | None

    def as_record(self) -> dict[str, Any]:
        return {
            "zone": self.name,
            "iso3": self.iso3,
            "country": self.country,
            "region": self.region,
            "locode": self.locode,
            "port_locodes": list(self.port_locodes),
            "latitude": self.latitude,
            "longitude": self.longitude,
            "source": self.source,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class _ZoneRow:
    name: str
    iso3: str
    country: str
    region: str | None
    source: str
    note: str | None = None
    pin: str | None = None
    latitude: float | None = None
    longitude: float | None = None


def free_trade_zones() -> list[FreeTradeZone]:
    """Every zone, Wikipedia's first, in file order.

    >>> [z.locode for z in free_trade_zones() if z.name.startswith("Jebel Ali")]
    ['AEJEA']
    """
    return list(_built()[0])


def zones_for_port(locode: str) -> list[FreeTradeZone]:
    """All zones a port is in or next to, best match first (``ports()`` keeps the first)."""
    code = normalise_locode(locode)
    zones = _built()[0]
    return [zones[i] for i in _built()[1].get(code or "", ())]


def port_zone_names() -> dict[str, str]:
    """LOCODE -> name of the zone the port is best matched to; read by ``ports()``."""
    zones, by_port = _built()
    return {locode: zones[ranked[0]].name for locode, ranked in by_port.items()}


@cache
def _built() -> tuple[tuple[FreeTradeZone, ...], dict[str, tuple[int, ...]]]:
    rows = _rows()
    by_country: dict[str, list[Port]] = {}
    for port in base_ports().values():
        if port.country:
            by_country.setdefault(port.country, []).append(port)
    matches = [_match_zone(row, by_country.get(row.iso3, [])) for row in rows]
    zones = tuple(_zone(row, found) for row, found in zip(rows, matches, strict=True))
    return zones, _rank_per_port(matches)


def _zone(row: _ZoneRow, found: list[tuple[tuple[int, ...], Port]]) -> FreeTradeZone:
    """The zone record: its best port first (highest score, then LOCODE), coordinates
    from the curated file or else from that port."""
    ranked = sorted(found, key=lambda item: (tuple(-x for x in item[0]), item[1].locode))
    best = ranked[0][1] if ranked else None
    latitude, longitude = row.latitude, row.longitude
    if latitude is None and best is not None:
        latitude, longitude = best.latitude, best.longitude
    return FreeTradeZone(
        name=row.name,
        iso3=row.iso3,
        country=row.country,
        region=row.region,
        locode=best.locode if best else None,
        port_locodes=tuple(port.locode for _, port in ranked),
        latitude=latitude,
        longitude=longitude,
        source=row.source,
        note=row.note,
    )


def _rank_per_port(
    matches: list[list[tuple[tuple[int, ...], Port]]],
) -> dict[str, tuple[int, ...]]:
    """For each port, the indexes of its zones, best first: named in the zone's main name
    (or pinned) rather than in its qualifier, then the zone with fewest other words, then
    file order. A pin decides a zone's port, not a port's zone."""
    scored: dict[str, list[tuple[tuple[int, ...], int]]] = {}
    for index, found in enumerate(matches):
        for score, port in found:
            zone_rank = (score[1], score[3], -index)
            scored.setdefault(port.locode, []).append((zone_rank, index))
    return {
        locode: tuple(i for _, i in sorted(items, reverse=True)) for locode, items in scored.items()
    }


def _match_zone(row: _ZoneRow, ports: Iterable[Port]) -> list[tuple[tuple[int, ...], Port]]:
    """Ports of the zone's country that the zone names, with a score to rank them:
    (pinned, in main name, words shared with the zone, -words of the zone left over)."""
    main, qualifiers = _split_zone_name(row.name)
    main_raw = _tokens(main)
    qual_cores = [_core(_tokens(q)) for q in qualifiers]
    found: list[tuple[tuple[int, ...], Port]] = []
    for port in ports:
        if port.locode == row.pin:
            found.append(((1, 1, len(main_raw), 0), port))
            continue
        score = _best_alternate(port, main_raw, qual_cores)
        if score is not None:
            found.append((score, port))
    return found


def _best_alternate(
    port: Port, main_raw: list[str], qual_cores: list[list[str]]
) -> tuple[int, ...] | None:
    main_core = _core(main_raw)
    best: tuple[int, ...] | None = None
    for alternate in _port_alternates(port.name):
        raw = _tokens(alternate)
        core = _core(raw)
        if not any(len(word) >= 3 for word in core or raw):
            continue
        shared = len(set(raw) & set(main_raw))
        if core and _names(main_raw, core):
            score: tuple[int, ...] = (0, 1, shared, -(len(main_core) - len(core)))
        elif not core and _contains(main_raw, raw):
            score = (0, 1, shared, -(len(main_raw) - len(raw)))
        elif core and core in qual_cores:
            score = (0, 0, shared, -len(main_core))
        else:
            continue
        best = score if best is None or score > best else best
    return best


def _names(zone_raw: list[str], port_core: list[str]) -> bool:
    """True when the zone's words contain the port's as a whole name: generic words may
    sit between them, but no other place word may touch it ("Hulu Klang" is not Klang,
    "Colonia Suiza" is not Colonia)."""
    places = [(word, at) for at, word in enumerate(zone_raw) if _core([word])]
    words = [word for word, _ in places]
    size = len(port_core)
    for i in range(len(words) - size + 1):
        if words[i : i + size] != port_core:
            continue
        left = i == 0 or places[i - 1][1] < places[i][1] - 1
        right = i + size == len(words) or places[i + size][1] > places[i + size - 1][1] + 1
        if left and right:
            return True
    return False


def _split_zone_name(name: str) -> tuple[str, list[str]]:
    """Main name and the comma-separated parts of its parenthesised qualifiers."""
    qualifiers = [part for group in re.findall(r"\(([^)]*)\)", name) for part in group.split(",")]
    return re.sub(r"\([^)]*\)", " ", name), qualifiers


def _port_alternates(name: str) -> Iterator[str]:
    """``"Port Klang (Pelabuhan Klang)"`` -> ``"Port Klang"``, ``"Pelabuhan Klang"``;
    text after a comma is a region (``"Bitung, Sulawesi"``) and is dropped."""
    for part in re.split(r"[()/]", name):
        head = part.split(",")[0].strip(" -")
        if head:
            yield head


def _tokens(text: str) -> list[str]:
    """Normalised words; an apostrophe joins (``"St. John's"`` -> ``johns``, not ``john``)."""
    return normalise_key(re.sub(r"['’`]", "", text)).split()


def _core(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t not in GENERIC_WORDS and not t.isdigit()]


def _contains(haystack: list[str], needle: list[str]) -> bool:
    """True when ``needle`` occurs as consecutive words in ``haystack``."""
    size = len(needle)
    return size > 0 and any(
        haystack[i : i + size] == needle for i in range(len(haystack) - size + 1)
    )


@cache
def _rows() -> tuple[_ZoneRow, ...]:
    rows = list(_wikipedia_rows())
    index = {(row.iso3, row.name): i for i, row in enumerate(rows)}
    for extra in _curated_rows():
        key = (extra.iso3, extra.name)
        if key in index:  # a pin or note for a zone Wikipedia lists
            old = rows[index[key]]
            rows[index[key]] = _ZoneRow(
                old.name,
                old.iso3,
                old.country,
                old.region,
                old.source,
                extra.note,
                extra.pin,
                extra.latitude,
                extra.longitude,
            )
        else:
            rows.append(extra)
    return tuple(rows)


def _wikipedia_rows() -> Iterator[_ZoneRow]:
    problems = []
    for number, row in enumerate(_read(WIKIPEDIA_FILE), start=2):
        iso3 = iso2_to_iso3(row["iso2"]) or to_iso3(row["country"])
        if iso3 is None or to_iso3(row["country"]) not in (None, iso3):
            problems.append(f"row {number}: country {row['country']!r}/{row['iso2']!r}")
            continue
        yield _ZoneRow(row["zone_name"], iso3, row["country"], row["region"], WIKIPEDIA_SOURCE)
    _raise(WIKIPEDIA_FILE, problems, "an ISO2 code that agrees with the country name")


def _curated_rows() -> Iterator[_ZoneRow]:
    problems = []
    ports = base_ports()
    for number, row in enumerate(_read(CURATED_FILE), start=2):
        iso3, pin = row["iso3"].strip(), normalise_locode(row["locode"]) if row["locode"] else None
        if iso3 not in iso3_codes() or not row["source"].startswith("http"):
            problems.append(f"row {number}: iso3 {iso3!r} or source {row['source']!r}")
            continue
        if row["locode"] and (pin not in ports or ports[pin].country != iso3):
            problems.append(f"row {number}: locode {row['locode']!r} is no port of {iso3}")
            continue
        yield _ZoneRow(
            row["zone_name"],
            iso3,
            row["country"],
            row["region"] or None,
            row["source"],
            row["note"] or None,
            pin,
            _float(row["latitude"]),
            _float(row["longitude"]),
        )
    _raise(CURATED_FILE, problems, "an ISO3 code, an http(s) source and a LOCODE of that country")


def _read(name: str) -> list[dict[str, str]]:
    path = resources.files("greymap.reference") / "data" / name
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _raise(name: str, problems: list[str], expected: str) -> None:
    if problems:
        raise InputError(f"{name}: {'; '.join(problems)}; expected {expected}")


def _float(value: str | None) -> float | None:
    return float(value) if value not in (None, "") else None


def zone_table() -> Mapping[str, list[Any]]:
    """Columns of the ``ref_free_trade_zone`` SQL table."""
    zones = _built()[0]
    return {
        "zone": [z.name for z in zones],
        "iso3": [z.iso3 for z in zones],
        "locode": [z.locode for z in zones],
        "latitude": [z.latitude for z in zones],
        "longitude": [z.longitude for z in zones],
        "source": [z.source for z in zones],
    }
