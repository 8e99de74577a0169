"""``greymap explain ENTITY``: what an entity is made of and why it scores as it does.

The explanation is a list of flat records, each with a ``section``:

* ``entity``: the resolved entity (name, country, kind, score if ranked);
* ``record``: every record it merged (source, key, name as written, country);
* ``link``: its links in the entity graph (trade, notify, ownership, directorship, shared
  address or officer), strongest suspicious value first;
* ``path``: shortest paths to the nearest flagged parties (sanctioned, or seized);
* ``evidence``: what stands behind each reason of its middlemen score (the consignments
  it brokered, the address it shares, its busiest director, its owners, its flags).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from greymap.entities.graph import build_graph
from greymap.errors import InputError
from greymap.workspace import Workspace

MAX_RECORDS = 200
MAX_LINKS = 50
MAX_PATHS = 3

#: The columns a table shows; JSON and CSV carry every field.
TABLE_COLUMNS = ("section", "id", "name", "country", "detail")


def _rows(workspace: Workspace, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cur = workspace.con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _entity_id(workspace: Workspace, ident: str) -> str:
    """An entity id, or the entity of a record id, FtM id or exact name."""
    for sql in (
        "SELECT cluster_id FROM resolved_entities WHERE cluster_id = ?",
        "SELECT cluster_id FROM entity_records WHERE record_id = ? OR entity_id = ?",
        "SELECT cluster_id FROM resolved_entities WHERE lower(name) = lower(?) "
        "ORDER BY records DESC",
    ):
        params = [ident, ident] if sql.count("?") == 2 else [ident]
        row = workspace.con.execute(sql, params).fetchone()
        if row:
            return str(row[0])
    raise InputError(
        f"no entity, record or name {ident!r} in the last resolution; "
        "take an entity_id from `greymap middlemen` or run `greymap resolve` first"
    )


def explain(workspace: Workspace, ident: str) -> list[dict[str, Any]]:
    """The explanation of one entity (see the module docstring). Every record has
    ``section``, ``id``, ``name`` and a readable ``detail``, plus the section's own fields."""
    tables = set(workspace.table_names())
    if "entity_records" not in tables or not workspace.scalar(
        "SELECT count(*) FROM entity_records"
    ):
        raise InputError("no resolved entities yet: run `greymap resolve` first")
    entity = _entity_id(workspace, ident)
    if "entity_links" not in tables:
        build_graph(workspace)
        tables = set(workspace.table_names())
    out: list[dict[str, Any]] = []
    out += _header(workspace, entity, "middlemen" in tables)
    out += _records(workspace, entity)
    out += _links(workspace, entity)
    out += _paths(workspace, entity)
    if "middlemen" in tables:
        out += _evidence(workspace, entity)
    return out


def _header(workspace: Workspace, entity: str, ranked: bool) -> list[dict[str, Any]]:
    score = "m.score, m.reasons" if ranked else "NULL AS score, NULL AS reasons"
    join = "LEFT JOIN middlemen m ON m.entity_id = r.cluster_id" if ranked else ""
    rows = _rows(
        workspace,
        f"SELECT r.cluster_id AS id, r.name, r.country, r.kind, r.records, {score} "
        f"FROM resolved_entities r {join} WHERE r.cluster_id = ?",
        [entity],
    )
    return [
        {
            "section": "entity",
            **r,
            "detail": f"{r['kind']}, {r['records']} records; {r['reasons'] or ''}",
        }
        for r in rows
    ]


def _records(workspace: Workspace, entity: str) -> list[dict[str, Any]]:
    rows = _rows(
        workspace,
        "SELECT record_id AS id, name, country, source, role, dataset "
        f"FROM entity_records WHERE cluster_id = ? ORDER BY source, record_id LIMIT {MAX_RECORDS}",
        [entity],
    )
    return [
        {
            "section": "record",
            **r,
            "detail": f"{r['source']} {r['role']} {r['dataset'] or ''}".strip(),
        }
        for r in rows
    ]


def _links(workspace: Workspace, entity: str) -> list[dict[str, Any]]:
    rows = _rows(
        workspace,
        f"""SELECT l.link, CASE WHEN l.source = ? THEN 'out' ELSE 'in' END AS direction,
            CASE WHEN l.source = ? THEN l.target ELSE l.source END AS id, r.name, r.country,
            l.shipments, round(l.value_usd, 2) AS value_usd,
            round(l.suspicious_usd, 2) AS suspicious_usd, l.weight
        FROM entity_links l
        JOIN resolved_entities r ON r.cluster_id = CASE WHEN l.source = ? THEN l.target ELSE l.source END
        WHERE (l.source = ? OR l.target = ?)
        ORDER BY l.suspicious_usd DESC, l.link, id LIMIT {MAX_LINKS}""",
        [entity] * 5,
    )
    return [
        {
            "section": "link",
            **r,
            "detail": f"{r['link']} {r['direction']}: {r['shipments']} shipments, "
            f"${r['value_usd']:,.0f} (${r['suspicious_usd']:,.0f} suspicious)"
            if r["shipments"]
            else f"{r['link']} {r['direction']} (weight {r['weight']:g})",
        }
        for r in rows
    ]


def _paths(workspace: Workspace, entity: str) -> list[dict[str, Any]]:
    """Shortest paths over ownership, directorship, shared addresses and officers and
    suspicious trade to the nearest flagged entities."""
    import rustworkx as rx

    con = workspace.con
    if "entity_flags" not in workspace.table_names():
        return []
    flags = dict(
        con.execute(
            "SELECT cluster_id, string_agg(flag, ',') FROM entity_flags GROUP BY 1"
        ).fetchall()
    )
    links = con.execute(
        "SELECT source, target, link FROM entity_links WHERE link NOT IN ('trade', 'notify') "
        "OR suspicious_usd >= 0.3 * value_usd"
    ).fetchall()
    graph = rx.PyGraph()
    index: dict[str, int] = {}
    for source, target, link in links:
        for node in (source, target):
            if node not in index:
                index[node] = graph.add_node(node)
        graph.add_edge(index[source], index[target], link)
    if entity not in index:
        return []
    start = index[entity]
    paths = rx.dijkstra_shortest_paths(graph, start, default_weight=1.0)
    found = sorted((len(p), graph[p[-1]]) for p in paths.values() if graph[p[-1]] in flags)[
        :MAX_PATHS
    ]
    names = dict(con.execute("SELECT cluster_id, name FROM resolved_entities").fetchall())
    out = []
    for hops, target in found:
        nodes = list(paths[index[target]])
        steps = [names.get(graph[n], graph[n]) for n in nodes]
        kinds = [graph.get_edge_data(a, b) for a, b in pairwise(nodes)]
        route = steps[0] + "".join(f" -({k})- {s}" for k, s in zip(kinds, steps[1:], strict=True))
        out.append(
            {
                "section": "path",
                "id": target,
                "name": names.get(target),
                "hops": hops - 1,
                "flag": flags[target],
                "detail": f"{flags[target]}, {hops - 1} hop(s): {route}",
            }
        )
    if entity in flags:
        out.insert(
            0,
            {
                "section": "path",
                "id": entity,
                "name": names.get(entity),
                "hops": 0,
                "flag": flags[entity],
                "detail": "flagged itself",
            },
        )
    return out


def _evidence(workspace: Workspace, entity: str) -> list[dict[str, Any]]:
    rows = _rows(workspace, "SELECT * FROM middlemen WHERE entity_id = ?", [entity])
    if not rows:
        return []
    m = rows[0]
    out: list[dict[str, Any]] = []

    def add(reason: str, detail: Any) -> None:
        out.append({"section": "evidence", "id": entity, "name": reason, "detail": str(detail)})

    if m["triads"]:
        add(
            "brokerage",
            f"{m['triads']} triads, {m['flagged_triads']:.1f} flagged (liaison {m['liaison']:.1f}, "
            f"itinerant {m['itinerant']:.1f}, representative {m['representative']:.1f}, "
            f"gatekeeper {m['gatekeeper']:.1f}, coordinator {m['coordinator']:.1f}); "
            f"top consignments: {', '.join(m['brokerage_evidence'] or [])}",
        )
    if m["mass_address"] and m["mass_address"] >= 2:
        add("shared address", _shared(workspace, entity, "shared_address"))
    if m["busy_officer"]:
        add("officers", _shared(workspace, entity, "shared_officer"))
    if m["shell_owners"]:
        add("owned by shell-like firms", ", ".join(m["shell_owners"]))
    for flag, evidence in workspace.con.execute(
        "SELECT flag, evidence FROM entity_flags WHERE cluster_id = ?", [entity]
    ).fetchall():
        add(flag, ", ".join(evidence))
    if m["incorporated"]:
        add("incorporated", m["incorporated"])
    return out


def _shared(workspace: Workspace, entity: str, link: str) -> str:
    rows = workspace.con.execute(
        "SELECT r.name FROM entity_links l JOIN resolved_entities r ON r.cluster_id = l.target "
        "WHERE l.source = ? AND l.link = ? ORDER BY r.name LIMIT 20",
        [entity, link],
    ).fetchall()
    return f"with {len(rows)} firms: " + ", ".join(r[0] for r in rows) if rows else "none"
