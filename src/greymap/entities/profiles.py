"""Profiles: the distinct ways records describe a party, with their comparison keys.

A firm named on a thousand bills of lading under its usual spelling and address is one
*profile*, not a thousand records: Splink compares profiles, and every record inherits
its profile's cluster. That keeps the pairwise work proportional to the variety of
spellings, not to the trade volume, and lets Python normalise each distinct name once.

``profile_id`` is a hash of everything compared (kind, names, address, countries,
identifiers, birth date), so the same description always gets the same id: a later
incremental run recognises profiles it has already resolved.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pyarrow as pa

from greymap.entities.normalise import address_key, identifier_key, name_keys
from greymap.workspace import Workspace

#: Above this many distinct names, normalisation runs in worker processes.
PARALLEL_NAMES = 150_000

PROFILE_HASH = """md5(concat_ws('|', kind, name, array_to_string(list_sort(aliases), '^'),
    coalesce(address, ''), array_to_string(list_sort(countries), '^'),
    array_to_string(list_sort(identifiers), '^'), coalesce(birth_date, '')))[:16]"""

NAME_COLUMNS = ("kind", "name", "norm", "core", "sorted", "squash", "phonetic", "form")


def _name_rows(pairs: Sequence[tuple[str, str]]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for kind, name in pairs:
        k = name_keys(name, kind)
        out.append((kind, name, k.norm, k.core, k.sorted, k.squash, k.phonetic, k.form or ""))
    return out


def _chunks(items: Sequence[Any], n: int) -> Iterable[Sequence[Any]]:
    size = max(1, -(-len(items) // n))
    for i in range(0, len(items), size):
        yield items[i : i + size]


def name_table(pairs: Sequence[tuple[str, str]], workers: int | None = None) -> pa.Table:
    """Keys of each distinct (kind, name), in worker processes when there are many."""
    workers = workers or min(2, os.cpu_count() or 1)
    if len(pairs) >= PARALLEL_NAMES and workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            parts = list(pool.map(_name_rows, _chunks(pairs, workers * 4)))
        rows = [r for part in parts for r in part]
    else:
        rows = _name_rows(pairs)
    cols = list(zip(*rows, strict=True)) if rows else [() for _ in NAME_COLUMNS]
    return pa.table({c: pa.array(v, pa.string()) for c, v in zip(NAME_COLUMNS, cols, strict=True)})


def _identifier_keys(values: Sequence[str]) -> list[str | None]:
    return [identifier_key(v) for v in values]


def _address_keys(values: Sequence[str]) -> list[str | None]:
    return [address_key(v) for v in values]


def _lookup_table(
    values: Sequence[str], fn: Any, column: str, workers: int | None = None
) -> pa.Table:
    """``fn`` over each distinct value (a list function), in worker processes when many."""
    workers = workers or min(2, os.cpu_count() or 1)
    if len(values) >= PARALLEL_NAMES and workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            keys = [k for part in pool.map(fn, _chunks(values, workers * 4)) for k in part]
    else:
        keys = fn(values)
    return pa.table({"value": pa.array(values, pa.string()), column: pa.array(keys, pa.string())})


def build_profiles(
    workspace: Workspace, records: str = "party_records", identifiers: bool = True
) -> int:
    """Write ``record_profiles(record_id, profile_id)`` and ``profile_input`` (one row per
    profile with its comparison keys) as temporary tables; returns the number of profiles.
    ``identifiers=False`` leaves identifiers out (to measure resolution against them)."""
    con = workspace.con
    if not identifiers:
        con.execute(f"UPDATE {records} SET identifiers = []::VARCHAR[]")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE record_profiles AS "
        f"SELECT record_id, {PROFILE_HASH} AS profile_id FROM {records}"
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE profile_raw AS
        SELECT DISTINCT ON (profile_id) {PROFILE_HASH} AS profile_id, kind, name, aliases,
            address, list_sort(countries) AS countries, identifiers, birth_date
        FROM {records} ORDER BY profile_id"""
    )
    _register_keys(workspace)
    con.execute(PROFILE_INPUT_SQL)
    for temp in ("profile_raw", "name_lookup", "address_lookup", "identifier_lookup"):
        con.execute(f"DROP TABLE IF EXISTS {temp}")
    return int(workspace.scalar("SELECT count(*) FROM profile_input") or 0)


def _register_keys(workspace: Workspace) -> None:
    con = workspace.con
    pairs = con.execute(
        "SELECT DISTINCT kind, n FROM (SELECT kind, name AS n FROM profile_raw "
        "UNION ALL SELECT kind, unnest(aliases) FROM profile_raw) ORDER BY ALL"
    ).fetchall()
    names = name_table([(k, n) for k, n in pairs])
    addresses = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT address FROM profile_raw WHERE address IS NOT NULL"
        ).fetchall()
    ]
    identifiers = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT unnest(identifiers) AS v FROM profile_raw ORDER BY v"
        ).fetchall()
    ]
    for table, data in (
        ("name_lookup", names),
        ("address_lookup", _lookup_table(addresses, _address_keys, "address_key")),
        ("identifier_lookup", _lookup_table(identifiers, _identifier_keys, "identifier_key")),
    ):
        con.register(f"{table}_arrow", data)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM {table}_arrow")
        con.unregister(f"{table}_arrow")


PROFILE_INPUT_SQL = """
CREATE OR REPLACE TEMP TABLE profile_input AS
WITH alias_keys AS (
    SELECT p.profile_id,
        list_distinct(list(n.core) FILTER (WHERE n.core <> '')
            || list(n.squash) FILTER (WHERE n.squash <> '')) AS name_keys
    FROM (SELECT profile_id, kind, unnest(list_prepend(name, aliases)) AS n FROM profile_raw) p
    JOIN name_lookup n ON n.kind = p.kind AND n.name = p.n
    GROUP BY p.profile_id
), ids AS (
    SELECT profile_id, list_distinct(list(i.identifier_key)) AS identifiers
    FROM (SELECT profile_id, unnest(identifiers) AS v FROM profile_raw) p
    JOIN identifier_lookup i ON i.value = p.v
    WHERE i.identifier_key IS NOT NULL
    GROUP BY profile_id
)
SELECT p.profile_id, p.kind, p.name,
    nullif(n.norm, '') AS name_norm, nullif(n.core, '') AS name_core,
    nullif(n.sorted, '') AS name_sorted, nullif(n.squash, '') AS name_squash,
    nullif(n.phonetic, '') AS name_phonetic, nullif(n.form, '') AS name_form,
    CASE WHEN length(n.squash) >= 6 THEN n.squash[:4] || n.squash[-4:] END AS name_ends,
    coalesce(k.name_keys, []) AS name_keys,
    a.address_key,
    nullif(regexp_extract(a.address_key, '[0-9]+ [a-z]+'), '') AS address_block,
    nullif(regexp_extract_all(a.address_key, '[0-9]+ [a-z]+'), []) AS address_blocks,
    CASE WHEN len(p.countries) > 0 THEN p.countries END AS countries,
    p.countries[1] AS country,
    CASE WHEN len(i.identifiers) > 0 THEN i.identifiers END AS identifiers,
    nullif(p.birth_date, '') AS birth_date
FROM profile_raw p
JOIN name_lookup n ON n.kind = p.kind AND n.name = p.name
LEFT JOIN alias_keys k USING (profile_id)
LEFT JOIN address_lookup a ON a.value = p.address
LEFT JOIN ids i USING (profile_id)
"""
