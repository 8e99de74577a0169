"""The world a simulation runs in: countries, their ports, products and transshipment hubs.

Countries are real (pycountry) and sit where their main ports are (bundled UN/LOCODE
ports). Their economic size is *invented*: it grows with the number of ports the World
Port Index lists for them (a maritime-trade proxy) times random noise, and big hubs get a
boost. Governance (a latent 0-1 capability to police trade) is random, mildly correlated
with size. Products are real HS6 codes: every sector's codes plus a random sample of the
nomenclature, each with an invented price per kg.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np
import pycountry

from greymap.reference.hs import nomenclature
from greymap.reference.ports import ports
from greymap.simulate import vocab
from greymap.simulate.hubs import CLEAN_HUB_POOL, ILLICIT_HUB_POOL, Hub, choose_hubs
from greymap.simulate.params import Params, rng_for, top_k

#: UN Comtrade's own codes where they differ from ISO 3166 numeric (Comtrade reference
#: table ``partnerAreas``): code, Comtrade+ ISO column, description.
COMTRADE_AREAS = {
    "USA": ("842", "USA", "USA"),
    "FRA": ("251", "FRA", "France"),
    "IND": ("699", "IND", "India"),
    "CHE": ("757", "CHE", "Switzerland"),
    "NOR": ("579", "NOR", "Norway"),
    "ITA": ("381", "ITA", "Italy"),
    "TWN": ("490", "S19", "Other Asia, nes"),
}

#: Typical price per kg (USD) of goods in a few HS chapters far from the median.
CHAPTER_PRICES = {
    "71": 15000.0,
    "97": 3000.0,
    "05": 200.0,
    "30": 60.0,
    "91": 250.0,
    "27": 0.6,
    "44": 0.5,
    "24": 12.0,
    "22": 4.0,
    "33": 25.0,
}

_HARBOR_RANK = {"Large": 3, "Medium": 2, "Small": 1, "Very Small": 0}


@dataclass(slots=True)
class Country:
    index: int
    iso3: str
    iso2: str
    name: str
    comtrade_code: str
    comtrade_iso: str
    comtrade_name: str
    culture: str
    forms: tuple[str, ...]
    ports: tuple[str, ...]
    lat: float
    lon: float
    mass: float = 1.0
    governance: float = 0.5
    reporter: bool = True
    fob_imports: bool = False
    confidential_share: float = 0.0


@dataclass(slots=True)
class Product:
    index: int
    hs: str
    description: str
    section: str
    sector: str | None
    cover_for: str | None
    price: float
    popularity: float


@dataclass
class World:
    params: Params
    countries: list[Country]
    products: list[Product]
    hubs: list[Hub]
    dist: np.ndarray
    cif: np.ndarray
    by_iso3: dict[str, Country] = field(default_factory=dict)
    by_hs: dict[str, Product] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_iso3 = {c.iso3: c for c in self.countries}
        self.by_hs = {p.hs: p for p in self.products}

    @property
    def illicit_hubs(self) -> list[Hub]:
        return [h for h in self.hubs if h.role == "illicit"]

    @property
    def clean_hubs(self) -> list[Hub]:
        return [h for h in self.hubs if h.role == "clean"]

    def port_country(self, locode: str) -> Country:
        iso3 = ports()[locode].country
        assert iso3 is not None
        return self.by_iso3[iso3]


def build_world(params: Params) -> World:
    rng = rng_for(params.seed, "world")
    countries = _countries(params, rng)
    products = _products(params, rng)
    lat = np.radians([c.lat for c in countries])
    lon = np.radians([c.lon for c in countries])
    dist = _haversine(lat[:, None], lon[:, None], lat[None, :], lon[None, :])
    cif = 0.02 + 0.10 * np.minimum(1.0, dist / 20000.0)
    hubs = choose_hubs(params, countries, dist, rng)
    return World(params, countries, products, hubs, dist, cif)


def _haversine(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    a = (
        np.sin((np.asarray(lat2) - np.asarray(lat1)) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((np.asarray(lon2) - np.asarray(lon1)) / 2) ** 2
    )
    return np.asarray(2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


# -- countries -----------------------------------------------------------------------------
def _countries(params: Params, rng: np.random.Generator) -> list[Country]:
    by_country = country_ports()
    forced = {ports()[code].country for code in (*ILLICIT_HUB_POOL, *CLEAN_HUB_POOL)}
    pool = sorted(iso3 for iso3 in by_country if iso3 not in forced)
    n_more = max(0, min(len(pool), params.n_countries - len(forced)))
    weights = np.array([len(by_country[c]) ** 0.7 for c in pool])
    chosen = sorted({*(c for c in forced if c), *top_k(rng, pool, weights, n_more)})
    countries = [
        _country(i, iso3, by_country[iso3], facts_of(iso3).region) for i, iso3 in enumerate(chosen)
    ]
    _size_and_governance(countries, forced, rng)
    _reporting(params, countries, forced, rng)
    return countries


def _country(index: int, iso3: str, port_list: list[str], region: str) -> Country:
    record = pycountry.countries.get(alpha_3=iso3)
    assert record is not None
    name = getattr(record, "common_name", None) or record.name
    code, ciso, cname = COMTRADE_AREAS.get(iso3, (str(int(record.numeric)), iso3, name))
    culture = vocab.COUNTRY_CULTURE.get(iso3) or vocab.REGION_CULTURE.get(region, "anglo")
    forms = vocab.COUNTRY_FORMS.get(iso3) or vocab.CULTURE_FORMS[culture]
    main = ports()[port_list[0]]
    assert main.latitude is not None and main.longitude is not None
    return Country(
        index,
        iso3,
        record.alpha_2,
        name,
        code,
        ciso,
        cname,
        culture,
        forms,
        tuple(port_list[:3]),
        main.latitude,
        main.longitude,
    )


def _size_and_governance(
    countries: list[Country], hubs: set[str | None], rng: np.random.Generator
) -> None:
    """Size: ports listed (a maritime proxy), G20 and hub boosts, noise. Governance: a
    latent score raised by early OECD membership, EU membership and size, plus noise."""
    facts = {c.iso3: facts_of(c.iso3) for c in countries}
    n_ports = np.array([len(country_ports()[c.iso3]) for c in countries], dtype=float)
    boost = np.array(
        [_size_boost(facts[c.iso3]) * (2.5 if c.iso3 in hubs else 1.0) for c in countries]
    )
    mass = n_ports**0.5 * boost * rng.lognormal(0.0, 0.5, size=len(countries))
    z = (np.log(mass) - np.log(mass).mean()) / np.log(mass).std()
    prior = np.array([_governance_prior(facts[c.iso3]) for c in countries])
    latent = prior + 0.3 * z + rng.normal(0.0, 0.7, len(countries))
    governance = 1.0 / (1.0 + np.exp(-latent))
    for c, m, g in zip(countries, mass / mass.sum(), governance, strict=True):
        c.mass, c.governance = float(m), float(g)


def _size_boost(facts: Facts) -> float:
    """G20 economies trade most (country_converter counts EU members as G20: less so)."""
    return 1.5 if facts.eu else 3.0 if facts.g20 else 1.0


def _governance_prior(facts: Facts) -> float:
    oecd = 1.8 if 0 < facts.oecd_since <= 2000 else 0.9 if facts.oecd_since else 0.0
    return -0.6 + oecd + (0.3 if facts.eu else 0.0)


def _reporting(
    params: Params, countries: list[Country], hubs: set[str | None], rng: np.random.Generator
) -> None:
    """Some small, weakly governed countries publish no trade statistics; a few reporters
    state imports FOB; some hide part of their imports' partners as "Areas, nes"."""
    candidates = [c for c in countries if c.iso3 not in hubs]
    weights = np.array([(1.05 - c.governance) / c.mass**0.3 for c in candidates])
    n_silent = round(params.non_reporter_share * len(countries))
    silent = set(top_k(rng, [c.iso3 for c in candidates], weights, n_silent))
    for c in countries:
        c.reporter = c.iso3 not in silent
        c.fob_imports = c.reporter and rng.random() < params.fob_import_share
        c.confidential_share = float(rng.uniform(0.05, 0.25)) if rng.random() < 0.12 else 0.0


@cache
def country_ports() -> dict[str, list[str]]:
    """ISO3 -> its ports with coordinates, biggest harbours first (World Port Index size)."""
    rank = _harbor_ranks()
    found: dict[str, list[str]] = {}
    for code, port in ports().items():
        located = port.latitude is not None and port.longitude is not None
        if port.country and located and pycountry.countries.get(alpha_3=port.country):
            found.setdefault(port.country, []).append(code)
    hubs = set(ILLICIT_HUB_POOL) | set(CLEAN_HUB_POOL)
    for codes in found.values():
        codes.sort(key=lambda c: (c not in hubs, -rank.get(c, 1), c))
    return found


def _harbor_ranks() -> dict[str, int]:
    path = resources.files("greymap.reference") / "data" / "world_port_index.csv"
    with path.open(encoding="utf-8") as handle:
        return {
            row["UN/LOCODE"].replace(" ", ""): _HARBOR_RANK.get(row["Harbor Size"], 1)
            for row in csv.DictReader(handle)
            if row.get("UN/LOCODE", "").strip()
        }


@dataclass(frozen=True, slots=True)
class Facts:
    """What country_converter's bundled table says of a country."""

    region: str
    oecd_since: int
    eu: bool
    g20: bool


def facts_of(iso3: str) -> Facts:
    return country_facts().get(iso3, Facts("", 0, False, False))


@cache
def country_facts() -> dict[str, Facts]:
    """ISO3 -> UN region, OECD accession year (0 if none), EU and G20 membership."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import country_converter

        data = country_converter.CountryConverter().data
    facts = {}
    for iso3, region, oecd, eu, g20 in zip(
        data["ISO3"], data["UNregion"], data["OECD"], data["EU"], data["G20"], strict=True
    ):
        since = int(oecd) if isinstance(oecd, float) and oecd == oecd else 0
        facts[str(iso3)] = Facts(str(region), since, eu == "EU", g20 == "G20")
    return facts


# -- products ------------------------------------------------------------------------------
def _products(params: Params, rng: np.random.Generator) -> list[Product]:
    table = nomenclature()
    sector_of: dict[str, str] = {}
    cover_of: dict[str, str] = {}
    for sector, (goods, covers) in vocab.SECTOR_PRODUCTS.items():
        sector_of.update({c: sector for c in goods})
        cover_of.update({c: sector for c in covers if c not in sector_of})
    pool = sorted(
        code
        for code, (level, _, _) in table.items()
        if level == 6
        and code[:2] not in ("97", "98", "99")
        and code not in sector_of
        and code not in cover_of
    )
    n_more = max(0, params.n_products - len(sector_of) - len(cover_of))
    sample = top_k(rng, pool, np.ones(len(pool)), n_more)
    codes = sorted({*sector_of, *cover_of, *sample})
    products = []
    for i, code in enumerate(codes):
        _, description, section = table[code]
        base = CHAPTER_PRICES.get(code[:2], 4.0)
        products.append(
            Product(
                i,
                code,
                description,
                section,
                sector_of.get(code),
                cover_of.get(code),
                float(base * rng.lognormal(0.0, 0.8)),
                float(rng.lognormal(0.0, 1.0)),
            )
        )
    return products
