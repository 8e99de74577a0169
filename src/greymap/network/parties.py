"""Who a shipment's party is: the one seam between raw party names and firm-layer nodes.

Until entity resolution has run (``greymap resolve`` writes ``entity_records`` and
``resolved_entities``), a party is its name normalised by :func:`party_key`: the
``fingerprints`` library's fingerprint in word order (legal forms abbreviated, accents,
case and punctuation dropped) with the spaces taken out, so ``MEDITERRÁNEA INTERNATIONAL
S A`` and ``Mediterránea International SA`` are one node. Everything else in
:mod:`greymap.network` reads party keys from the temporary table ``net_party_keys(name,
party_key)``, built here once per distinct name (never per row) from every name the
analyses compare: shipment parties, parties named in seizures, and watch-listed names.
When a resolution table is present its cluster id wins for the names it covers, so the
switch to resolved entities happens in this module alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyarrow as pa

from greymap.errors import MissingDependencyError
from greymap.workspace import Workspace

#: Tables entity resolution (``greymap resolve``) writes, with (name column, cluster
#: column), most specific first: ``entity_records`` holds every name as a record wrote it.
RESOLVED_TABLES: dict[str, tuple[str, str]] = {
    "entity_records": ("name", "cluster_id"),
    "resolved_entities": ("name", "cluster_id"),
    "entity_clusters": ("name", "cluster_id"),
}
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def party_key(name: str | None) -> str | None:
    """The node id of a party name on the firm layer (``None`` for no usable name).

    >>> party_key("MEDITERRÁNEA INTERNATIONAL S A") == party_key("Mediterránea International SA")
    True
    """
    if name is None or not name.strip():
        return None
    try:
        import fingerprints
    except ImportError as exc:  # pragma: no cover - the extra is part of dev installs
        raise MissingDependencyError("fingerprints", "match") from exc
    printed = fingerprints.generate(name, keep_order=True)
    if not printed:
        return None
    key = _SPACE.sub("", printed)
    return key or None


def _names(workspace: Workspace) -> list[str]:
    tables = set(workspace.table_names())
    parts = []
    if "shipments" in tables:
        parts += [
            f"SELECT {c} AS name FROM shipments"
            for c in ("shipper_name", "consignee_name", "notify_party_name")
        ]
    if "incidents" in tables:
        parts += [f"SELECT {c} AS name FROM incidents" for c in ("shipper_name", "consignee_name")]
    if "net_watchlist_names" in _temp_tables(workspace):
        parts.append("SELECT name FROM net_watchlist_names")
    if not parts:
        return []
    sql = f"SELECT DISTINCT name FROM ({' UNION ALL '.join(parts)}) u WHERE name IS NOT NULL"
    return [r[0] for r in workspace.con.execute(sql).fetchall()]


def _temp_tables(workspace: Workspace) -> set[str]:
    rows = workspace.con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'LOCAL TEMPORARY'"
    ).fetchall()
    return {r[0] for r in rows}


def resolution_source(workspace: Workspace) -> str | None:
    """The entity-resolution table the firm layer uses: the first of
    :data:`RESOLVED_TABLES` the workspace has, with rows (resolution has run)."""
    tables = set(workspace.table_names())
    for table, (name_col, id_col) in RESOLVED_TABLES.items():
        if table in tables:
            cols = {
                r[0]
                for r in workspace.con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                    [table],
                ).fetchall()
            }
            if {name_col, id_col} <= cols and workspace.count(table) > 0:
                return table
    return None


def register_party_keys(workspace: Workspace) -> str:
    """Create ``net_party_keys(name, party_key)``; returns how parties were keyed."""
    names = _names(workspace)
    keys = [party_key(n) for n in names]
    source = resolution_source(workspace)
    if source is not None:
        name_col, id_col = RESOLVED_TABLES[source]
        # A name two clusters share (two firms called alike) goes to its usual one.
        resolved = dict(
            workspace.con.execute(
                f"SELECT {name_col}, CAST(mode({id_col}) AS VARCHAR) FROM {source} "
                f"WHERE {name_col} IS NOT NULL AND {id_col} IS NOT NULL GROUP BY {name_col}"
            ).fetchall()
        )
        keys = [
            f"entity:{resolved[n]}" if n in resolved else k
            for n, k in zip(names, keys, strict=True)
        ]
    table = pa.table(
        {"name": pa.array(names, pa.string()), "party_key": pa.array(keys, pa.string())}
    )
    workspace.con.register("_net_party_keys_arrow", table)
    try:
        workspace.con.execute(
            "CREATE OR REPLACE TEMP TABLE net_party_keys AS SELECT * FROM _net_party_keys_arrow"
        )
    finally:
        workspace.con.unregister("_net_party_keys_arrow")
    return f"resolved entities ({source})" if source else "name fingerprints"
