"""The 13 illicit-trade sectors: their HS codes and their links to the UN SDGs.

The mapping is declared in ``data/sectors.yaml`` (sectors, HS codes with a note on why,
sources) and ``data/sector_sdg.csv`` (sector x SDG goal, targets, impact, sources); this
module loads and checks them. Every HS code must exist in the bundled nomenclature at its
own level, so a typo fails loudly instead of silently matching nothing.

A traded code belongs to a sector when one of the sector's codes is a prefix of it, and
sectors overlap (fish is fisheries and forced labour), so :func:`sectors_for_hs` returns a
list. Analyses join on ``ref_sector_hs(sector, hs_prefix)`` (see :mod:`.register`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from greymap.errors import InputError
from greymap.reference.hs import describe, nomenclature, normalise_hs

# The slugs, in display order; the YAML must define exactly these. Other modules (the
# incidents reader, ``--sector`` options) import this instead of keeping their own list.
SECTOR_SLUGS: tuple[str, ...] = (
    "agri-food",
    "alcohol",
    "counterfeiting-and-piracy",
    "cultural-property",
    "fisheries",
    "forced-labour",
    "forestry",
    "pesticides",
    "petroleum",
    "pharmaceuticals",
    "precious-metals-and-gemstones",
    "tobacco",
    "wildlife",
)

SECTORS_FILE = "sectors.yaml"
SDG_FILE = "sector_sdg.csv"


@dataclass(frozen=True, slots=True)
class Reference:
    """A cited document: a short key, a one-line citation and where to read it."""

    key: str
    citation: str
    url: str


@dataclass(frozen=True, slots=True)
class HsLink:
    """One HS code of a sector, with why it is there; ``approximate`` when the code is
    wider than the illicit good (HS does not name species, brands or origins)."""

    code: str
    note: str
    approximate: bool

    @property
    def level(self) -> int:
        return len(self.code)

    @property
    def description(self) -> str | None:
        return describe(self.code)


@dataclass(frozen=True, slots=True)
class SdgLink:
    """How the sector's illicit trade bears on one UN Sustainable Development Goal."""

    goal: int
    targets: tuple[str, ...]
    impact: str
    sources: tuple[Reference, ...]


@dataclass(frozen=True, slots=True)
class Sector:
    slug: str
    name: str
    description: str
    aliases: tuple[str, ...]
    hs: tuple[HsLink, ...]
    sdgs: tuple[SdgLink, ...]
    sources: tuple[Reference, ...]

    @property
    def hs_codes(self) -> tuple[str, ...]:
        return tuple(link.code for link in self.hs)

    @property
    def hs_prefixes(self) -> tuple[str, ...]:
        """The codes not already covered by a shorter code of the sector ("0306" under
        "03" is a note, not a second prefix), so a join matches a traded code once."""
        codes = self.hs_codes
        return tuple(sorted(c for c in codes if not any(o != c and c.startswith(o) for o in codes)))

    @property
    def sdg_goals(self) -> tuple[int, ...]:
        return tuple(link.goal for link in self.sdgs)

    def as_record(self) -> dict[str, Any]:
        """One flat record: lists become ``;``-joined strings in JSON and CSV output."""
        return {
            "sector": self.slug,
            "name": self.name,
            "hs_codes": sorted(self.hs_codes),
            "sdgs": list(self.sdg_goals),
            "sdg_targets": [t for link in self.sdgs for t in link.targets],
            "approximate_hs_codes": sorted(link.code for link in self.hs if link.approximate),
            "description": self.description,
            "sources": [ref.citation for ref in self.sources],
            "source_urls": [ref.url for ref in self.sources],
        }


def sectors() -> list[Sector]:
    """The 13 sectors in :data:`SECTOR_SLUGS` order."""
    return list(_bundled())


def get_sector(slug_or_name: str) -> Sector:
    """A sector by slug, name or alias, forgiving case, spaces, underscores and ``&``.

    >>> get_sector("Counterfeiting & Piracy").slug, get_sector("forced_labor").slug
    ('counterfeiting-and-piracy', 'forced-labour')
    """
    found = _lookup().get(_slugify(slug_or_name))
    if found is None:
        raise InputError(
            f"unknown sector {slug_or_name!r}; expected one of {', '.join(SECTOR_SLUGS)}"
        )
    return found


def sectors_for_hs(code: str | None) -> list[str]:
    """Slugs of every sector whose codes are a prefix of ``code`` (2, 4 or 6 digits;
    national 8-10 digit lines are judged by their first six). ``[]`` for no sector or
    no HS code.

    >>> sectors_for_hs("0306.17")
    ['fisheries', 'forced-labour']
    """
    normal = normalise_hs(code)
    if normal is None or not normal.isdigit():
        return []
    index = _prefix_index()
    hits = {
        slug for size in (2, 4, 6) if len(normal) >= size for slug in index.get(normal[:size], ())
    }
    return [slug for slug in SECTOR_SLUGS if slug in hits]


def sector_hs_prefixes(slug_or_name: str) -> list[str]:
    """The sector's HS prefixes, sorted: a traded code is in the sector when it starts
    with one, and starts with at most one.

    >>> sector_hs_prefixes("tobacco")
    ['24', '854340']
    """
    return list(get_sector(slug_or_name).hs_prefixes)


def sector_hs_pairs() -> list[tuple[str, str]]:
    """Every (sector, hs_prefix) pair: the rows of ``ref_sector_hs``."""
    return [(s.slug, code) for s in _bundled() for code in s.hs_prefixes]


def hs_records() -> list[dict[str, Any]]:
    """One record per sector and HS code, with the code's description and why it is there."""
    return [
        {
            "sector": s.slug,
            "hs_code": link.code,
            "level": link.level,
            "description": link.description,
            "note": link.note,
            "approximate": link.approximate,
        }
        for s in _bundled()
        for link in s.hs
    ]


def sdg_records() -> list[dict[str, Any]]:
    """The sector x SDG table: one record per sector and goal."""
    return [
        {
            "sector": s.slug,
            "sdg": link.goal,
            "targets": list(link.targets),
            "impact": link.impact,
            "sources": [ref.citation for ref in link.sources],
        }
        for s in _bundled()
        for link in s.sdgs
    ]


@cache
def _bundled() -> tuple[Sector, ...]:
    data = resources.files("greymap.reference") / "data"
    loaded = load_sectors(Path(str(data / SECTORS_FILE)), Path(str(data / SDG_FILE)))
    if tuple(s.slug for s in loaded) != SECTOR_SLUGS:
        raise InputError(f"{SECTORS_FILE}: sectors must be exactly {', '.join(SECTOR_SLUGS)}")
    return loaded


@cache
def _lookup() -> dict[str, Sector]:
    table: dict[str, Sector] = {}
    for sector in _bundled():
        for key in (sector.slug, sector.name, *sector.aliases):
            table.setdefault(_slugify(key), sector)
    return table


@cache
def _prefix_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for slug, code in sector_hs_pairs():
        index.setdefault(code, []).append(slug)
    return {code: tuple(slugs) for code, slugs in index.items()}


def _slugify(text: str) -> str:
    text = text.strip().lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def load_sectors(path: Path, sdg_path: Path) -> tuple[Sector, ...]:
    """Load and check a sector file and its SDG table; every problem is reported at once
    in one :class:`InputError` naming the file."""
    raw = _read_yaml(path)
    problems: list[str] = []
    refs = _references(raw.get("references"), problems)
    sdgs = _sdg_links(sdg_path, refs, problems)
    loaded = tuple(_sector(item, refs, sdgs, problems) for item in raw.get("sectors") or [])
    slugs = [s.slug for s in loaded]
    problems += [f"sector {s!r} is defined twice" for s in sorted(set(slugs)) if slugs.count(s) > 1]
    problems += [
        f"{sdg_path.name}: sector {s!r} is not defined" for s in sorted(set(sdgs) - set(slugs))
    ]
    if problems or not loaded:
        detail = "; ".join(problems) or "no sectors defined"
        raise InputError(
            f"{path}: {detail}; expected sectors with existing HS codes and cited sources"
        )
    return loaded


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the sector file: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping with 'references' and 'sectors'")
    return data


def _references(raw: Any, problems: list[str]) -> dict[str, Reference]:
    refs: dict[str, Reference] = {}
    for key, item in (raw or {}).items():
        citation, url = (item or {}).get("citation"), (item or {}).get("url")
        if not citation or not str(url).startswith("http") or ";" in citation:
            problems.append(f"reference {key!r} needs a citation (without ';') and an http(s) url")
            continue
        refs[key] = Reference(key, str(citation), str(url))
    return refs


def _sector(
    item: dict[str, Any],
    refs: dict[str, Reference],
    sdgs: dict[str, list[SdgLink]],
    problems: list[str],
) -> Sector:
    slug = str(item.get("slug", ""))
    where = f"sector {slug or '?'}"
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) or not item.get("name"):
        problems.append(f"{where}: needs a kebab-case slug and a name")
    links = tuple(_hs_link(entry, where, problems) for entry in item.get("hs") or [])
    if not links:
        problems.append(f"{where}: lists no HS codes")
    codes = [link.code for link in links]
    problems += [
        f"{where}: HS code {c} listed twice" for c in sorted(set(codes)) if codes.count(c) > 1
    ]
    sources = _cite(item.get("sources") or [], refs, where, problems)
    if not sources:
        problems.append(f"{where}: cites no sources")
    return Sector(
        slug=slug,
        name=str(item.get("name", "")),
        description=" ".join(str(item.get("description", "")).split()),
        aliases=tuple(str(a) for a in item.get("aliases") or []),
        hs=links,
        sdgs=tuple(sorted(sdgs.get(slug, []), key=lambda link: link.goal)),
        sources=sources,
    )


def _hs_link(entry: dict[str, Any], where: str, problems: list[str]) -> HsLink:
    code = entry.get("code")
    if not isinstance(code, str):  # YAML reads an unquoted 03 as the number 3
        problems.append(f"{where}: HS code {code!r} must be a quoted string")
        code = str(code)
    elif code not in nomenclature() or len(code) not in (2, 4, 6):
        problems.append(f"{where}: HS code {code!r} is not a chapter, heading or subheading")
    return HsLink(code, str(entry.get("note", "")), bool(entry.get("approximate", False)))


def _cite(
    keys: list[str], refs: dict[str, Reference], where: str, problems: list[str]
) -> tuple[Reference, ...]:
    problems += [f"{where}: unknown source {k!r}" for k in keys if k not in refs]
    return tuple(refs[k] for k in keys if k in refs)


def _sdg_links(
    path: Path, refs: dict[str, Reference], problems: list[str]
) -> dict[str, list[SdgLink]]:
    """Read the SDG table; a bad row is reported with the file name and row number."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the SDG table: {exc}") from exc
    links: dict[str, list[SdgLink]] = {}
    for number, row in enumerate(rows, start=2):
        link = _sdg_link(row, refs, f"{path.name} row {number}", problems)
        if link is not None:
            links.setdefault(row["sector"], []).append(link)
    return links


def _sdg_link(
    row: dict[str, str], refs: dict[str, Reference], where: str, problems: list[str]
) -> SdgLink | None:
    goal = row.get("goal", "")
    if not goal.isdigit() or not 1 <= int(goal) <= 17:
        problems.append(f"{where}: goal {goal!r} is not 1-17")
        return None
    targets = tuple(t for t in (row.get("targets") or "").split(";") if t)
    problems += [
        f"{where}: target {t!r} is not of goal {goal}" for t in targets if t.split(".")[0] != goal
    ]
    sources = _cite([k for k in (row.get("sources") or "").split(";") if k], refs, where, problems)
    return SdgLink(int(goal), targets, row.get("impact", ""), sources)
