"""Data for bench/screening.py: the labelled sets, the real lists, a synthetic list of any
size, and the same records as FtM entities for nomenklatura's matchers."""

from __future__ import annotations

import csv
import hashlib
import json
import random
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pycountry

from greymap.screening.calibrate import entity_from_payload, query_from_payload
from greymap.screening.lists import load_list
from greymap.screening.records import ListEntity, Query
from greymap.workspace import Workspace, ingest_files

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
NAME_MATCHING = SHARED / "name-matching"
PAIRS = ROOT / "eval" / "screening" / "pairs.jsonl"

Pair = dict[str, Any]


def nk_split(name1: str, name2: str) -> str:
    """OpenSanctions' 826 pairs split in halves by a hash of the pair: train / test."""
    h = int(hashlib.sha256(f"{name1}\x1f{name2}".encode()).hexdigest()[:8], 16)
    return "train" if h % 2 == 0 else "test"


def nk_pairs() -> list[Pair]:
    """The 826 labelled name pairs as query/entity pairs (name1 is the query)."""
    out = []
    with (NAME_MATCHING / "nomenklatura_name_bench_cases.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            schema = row["schema"]
            out.append(
                {
                    "label": row["is_match"] == "true",
                    "category": row["case_group"],
                    "slice": "nk",
                    "split": nk_split(row["name1"], row["name2"]),
                    "query": {"name": row["name1"], "schema": schema},
                    "entity": {"id": "c", "schema": schema, "names": [[row["name2"], "name"]]},
                }
            )
    return out


def ar2en_pairs(seed: int = 7) -> list[Pair]:
    """Arabic query vs English list name from Google's ar2en *test* file: each true pair and
    one false pair (the Arabic name against another row's English name of similar length)."""
    rows = list(
        csv.DictReader(
            (NAME_MATCHING / "google_ar2en_names_test.tsv").open(encoding="utf-8"), delimiter="\t"
        )
    )
    rng = random.Random(seed)
    out = []
    for row in rows:
        other = rng.choice([r for r in rng.sample(rows, 30) if r["english"] != row["english"]])
        for english, label in ((row["english"], True), (other["english"], False)):
            out.append(
                {
                    "label": label,
                    "category": "ar2en",
                    "slice": "arabic",
                    "split": "test",
                    "query": {"name": row["arabic"], "schema": "Person"},
                    "entity": {"id": "c", "schema": "Person", "names": [[english, "name"]]},
                }
            )
    return out


def generated_pairs() -> list[Pair]:
    with PAIRS.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def norwegian_companies() -> list[Query]:
    path = NAME_MATCHING / "negative_queries_norwegian_companies.csv"
    with path.open(encoding="utf-8") as fh:
        return [
            Query.make(r["business_name"], "Company", "NOR", None, r["registration_id"])
            for r in csv.DictReader(fh, delimiter=";")
        ]


def ofac_scores() -> list[dict[str, str]]:
    with (NAME_MATCHING / "ofac_search_scores.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def real_lists() -> list[ListEntity]:
    """OFAC SDN 2022-01 (with its alias and address files) and the UN consolidated list,
    through greymap's readers: the lists the labelled pairs were drawn from."""
    sdn = SHARED / "ofac-sdn"
    with tempfile.TemporaryDirectory() as tmp, Workspace(Path(tmp) / "ws") as ws:
        ingest_files(
            ws, "ofac", [sdn / "sdn_2022-01.csv", sdn / "alt_2022-01.csv", sdn / "add_2022-01.csv"]
        )
        ingest_files(
            ws, "un-sc", [SHARED / "un-consolidated" / "un_sc_consolidated_2018-10-29.xml"]
        )
        return load_list(ws)


# -- a synthetic list of realistic names ---------------------------------------------------


class NamePools:
    """Given names, family names and firm words taken from the real lists and the ar2en
    English names, drawn with a Zipf-like skew so common names are common."""

    def __init__(self, entities: list[ListEntity]) -> None:
        given: dict[str, int] = {}
        family: dict[str, int] = {}
        firm: dict[str, int] = {}
        for e in entities:
            name = e.names[0][0]
            if e.schema == "Person" and "," in name:
                last, first = name.split(",", 1)
                for t in first.split():
                    given[t.title()] = given.get(t.title(), 0) + 1
                family[last.strip().title()] = family.get(last.strip().title(), 0) + 1
            elif e.schema in ("Company", "Organization"):
                for t in name.replace(",", " ").split():
                    if t.isalpha() and len(t) > 2:
                        firm[t.upper()] = firm.get(t.upper(), 0) + 1
        with (NAME_MATCHING / "google_ar2en_names_train.tsv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                family.setdefault(row["english"].title(), 1)
        self.given = sorted(given, key=lambda k: (-given[k], k))
        self.family = sorted(family, key=lambda k: (-family[k], k))
        self.firm = sorted(firm, key=lambda k: (-firm[k], k))
        self.countries = sorted(c.alpha_3 for c in pycountry.countries)

    @staticmethod
    def pick(rng: random.Random, pool: list[str]) -> str:
        return pool[
            min(len(pool) - 1, int(rng.paretovariate(1.1)) - 1 + rng.randrange(len(pool)) // 8)
        ]


LEGAL = ["LLC", "LTD", "JSC", "S.A.", "GMBH", "CO., LTD.", "FZE", "LIMITED", "INC", "OOO"]


def synthetic_entities(
    pools: NamePools, n: int, seed: int, prefix: str = "syn"
) -> Iterator[ListEntity]:
    """``n`` synthetic list entries: 60% people, 35% firms, 5% vessels; deterministic."""
    rng = random.Random(seed)
    for i in range(n):
        kind = rng.random()
        country = rng.choice(pools.countries)
        if kind < 0.6:
            first = " ".join(pools.pick(rng, pools.given) for _ in range(rng.choice((1, 1, 2))))
            last = pools.pick(rng, pools.family)
            names = [(f"{last.upper()}, {first}", "name")]
            if rng.random() < 0.3:
                names.append((f"{first} {pools.pick(rng, pools.family)}", "alias"))
            year = rng.randint(1940, 2000)
            yield ListEntity(
                f"{prefix}-{i}",
                "Person",
                names[0][0],
                tuple(names),
                birth_dates=(f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",),
                countries=frozenset({country}),
                programs=("SYNTHETIC",),
            )
        elif kind < 0.95:
            words = " ".join(pools.pick(rng, pools.firm) for _ in range(rng.choice((1, 2, 2, 3))))
            name = f"{words} {rng.choice(LEGAL)}"
            yield ListEntity(
                f"{prefix}-{i}",
                "Company",
                name,
                ((name, "name"),),
                countries=frozenset({country}),
                programs=("SYNTHETIC",),
            )
        else:
            name = f"{pools.pick(rng, pools.firm)} {pools.pick(rng, pools.firm)}"
            imo = str(rng.randint(7_000_000, 9_999_999))
            yield ListEntity(
                f"{prefix}-{i}",
                "Vessel",
                name,
                ((name, "name"),),
                identifiers=frozenset({imo}),
                programs=("SYNTHETIC",),
            )


def synthetic_queries(pools: NamePools, n: int, seed: int) -> list[Query]:
    """Counterparties that are (almost surely) on no list: the bulk of real screening."""
    out = []
    for e in synthetic_entities(pools, n, seed, prefix="q"):
        name = e.names[-1][0]
        out.append(Query.make(name, e.schema if e.schema != "Vessel" else "Vessel"))
    return out


# -- FtM entities for nomenklatura ---------------------------------------------------------


def iso2(code: str) -> str | None:
    country = pycountry.countries.get(alpha_3=code)
    return country.alpha_2.lower() if country else None


def ftm_query(data: dict[str, Any], ident: str = "query") -> dict[str, Any]:
    """The query as an FtM entity. Ids must differ between pairs: logic-v2 caches its name
    analysis by entity id."""
    q = query_from_payload(data)
    props: dict[str, list[str]] = {"name": [q.name]}
    if q.birth_date:
        props["birthDate"] = [q.birth_date]
    if q.country and iso2(q.country):
        props["country"] = [iso2(q.country) or ""]
    if q.identifier:
        props["imoNumber" if q.schema == "Vessel" else "idNumber"] = [q.identifier]
    return {"id": ident, "schema": q.schema or "LegalEntity", "properties": props}


def ftm_entity(data: dict[str, Any] | ListEntity, ident: str | None = None) -> dict[str, Any]:
    e = data if isinstance(data, ListEntity) else entity_from_payload(data)
    props: dict[str, list[str]] = {}
    for name, kind in e.names:
        props.setdefault(
            kind if kind in ("alias", "weakAlias", "previousName") else "name", []
        ).append(name)
    if e.birth_dates and e.schema == "Person":
        props["birthDate"] = list(e.birth_dates)
    countries = [c for c in (iso2(x) for x in sorted(e.countries)) if c]
    if countries:
        props["country"] = countries
    if e.identifiers:
        key = "imoNumber" if e.schema == "Vessel" else "idNumber"
        props[key] = [
            f"IMO{i}" if key == "imoNumber" and i.isdigit() else i for i in sorted(e.identifiers)
        ]
    return {"id": ident or e.id or "candidate", "schema": e.schema, "properties": props}
