"""From scored pairs to entities: cluster the stored pairs, write the record and entity tables.

Clustering reads only what earlier steps stored (``resolution_profiles``,
``resolution_edges``, ``resolution_decisions``) and the current records, so it is cheap and
runs after every full or incremental resolution and after every analyst's decision.

Entity ids are ``ent-`` and 12 hex digits of the md5 of the cluster's *anchor record* (its
smallest record id): a cluster keeps its id while it keeps its anchor, whatever it gains,
and a full run and an incremental run that agree on a cluster give it the same id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from greymap.entities.cluster import NodeFacts, cluster
from greymap.entities.decisions import current_decisions
from greymap.workspace import Workspace


@dataclass(frozen=True)
class Assignment:
    entities: int
    records: int
    unresolvable_decisions: int


def _threshold_sql(thresholds: Mapping[str, float]) -> str:
    cases = " ".join(f"WHEN '{k}' THEN {float(v)}" for k, v in thresholds.items())
    return f"CASE e.kind {cases} ELSE 0.5 END"


def _index_profiles(workspace: Workspace) -> int:
    workspace.con.execute(
        "CREATE OR REPLACE TEMP TABLE profile_index AS SELECT profile_id, kind, countries, "
        "name_form, birth_date, identifiers, "
        "(row_number() OVER (ORDER BY profile_id) - 1)::BIGINT AS ix "
        "FROM resolution_profiles"
    )
    return int(workspace.scalar("SELECT count(*) FROM profile_index") or 0)


def _pairs(workspace: Workspace, thresholds: Mapping[str, float]) -> tuple[Any, Any]:
    """Pairs at or above their kind's threshold (``a, b, p, id_match`` arrays), and the
    people's pairs below it: cannot-links (complete linkage, so that namesakes a listed
    alias bridges stay apart)."""
    threshold = _threshold_sql(thresholds)
    frame = workspace.con.sql(
        f"""SELECT l.ix AS a, r.ix AS b, e.match_probability AS p,
            coalesce(e.identifier_match, FALSE) AS id_match,
            e.match_probability >= {threshold} AS keep
        FROM resolution_edges e
        JOIN profile_index l ON l.profile_id = e.profile_l
        JOIN profile_index r ON r.profile_id = e.profile_r
        WHERE e.match_probability >= {threshold} OR e.kind = 'person'"""
    ).df()
    kept = frame[frame["keep"]]
    apart = frame[~frame["keep"]]
    return kept, apart


def _decision_pairs(
    workspace: Workspace,
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], int]:
    index = dict(
        workspace.con.execute(
            "SELECT r.record_id, i.ix FROM record_profiles r JOIN profile_index i USING (profile_id) "
            "WHERE r.record_id IN (SELECT a FROM resolution_decisions UNION SELECT b FROM resolution_decisions)"
        ).fetchall()
    )
    same: list[tuple[int, int]] = []
    different: list[tuple[int, int]] = []
    unresolvable = 0
    for d in current_decisions(workspace):
        a, b = index.get(d.a), index.get(d.b)
        if a is None or b is None or (a == b and d.decision == "different"):
            unresolvable += 1
            continue
        (same if d.decision == "same" else different).append((int(a), int(b)))
    return same, different, unresolvable


def _facts(workspace: Workspace, nodes: Any) -> dict[int, NodeFacts]:
    """Facts of the given profile indices only."""
    con = workspace.con
    con.register("careful_nodes", pa.table({"ix": pa.array(nodes, pa.int64())}))
    try:
        rows = con.execute(
            "SELECT ix, kind, countries, name_form, birth_date, identifiers FROM profile_index "
            "JOIN careful_nodes USING (ix)"
        ).fetchall()
    finally:
        con.unregister("careful_nodes")
    return {
        int(ix): NodeFacts(
            frozenset(countries or ()),
            frozenset(form.split()) if form and kind == "org" else frozenset(),
            frozenset([birth]) if birth and kind == "person" else frozenset(),
            frozenset(ids or ()) if kind == "vessel" else frozenset(),
        )
        for ix, kind, countries, form, birth, ids in rows
    }


def _careful_components(workspace: Workspace, components: Any) -> set[int]:
    """Components whose profiles disagree on a fact: only these need constrained merging."""
    con = workspace.con
    table = pa.table(
        {
            "ix": pa.array(range(len(components)), pa.int64()),
            "component": pa.array(components, pa.int64()),
        }
    )
    con.register("profile_components", table)
    try:
        rows = con.execute(
            """SELECT c.component FROM profile_components c
            JOIN profile_index p USING (ix)
            GROUP BY c.component
            HAVING count(DISTINCT p.countries) FILTER (WHERE len(p.countries) > 0) > 1
                OR count(DISTINCT p.name_form) FILTER (WHERE p.kind = 'org') > 1
                OR count(DISTINCT p.birth_date) FILTER (WHERE p.kind = 'person') > 1
                OR count(DISTINCT p.identifiers) FILTER (WHERE p.kind = 'vessel') > 1"""
        ).fetchall()
    finally:
        con.unregister("profile_components")
    return {int(r[0]) for r in rows}


def cluster_profiles(workspace: Workspace, thresholds: Mapping[str, float]) -> tuple[Any, int]:
    """A cluster label (a profile index) per profile, and the decisions that could not be
    applied. Connected components first (vectorised); the constrained merging of
    :func:`greymap.entities.cluster.cluster` runs only inside components that hold a
    conflict of facts or a cannot-link."""
    import numpy as np
    from scipy.sparse import coo_matrix  # type: ignore[import-untyped]
    from scipy.sparse.csgraph import connected_components  # type: ignore[import-untyped]

    n = _index_profiles(workspace)
    kept, apart = _pairs(workspace, thresholds)
    same, different, unresolvable = _decision_pairs(workspace)
    rows = np.concatenate([kept["a"].to_numpy(), np.array([a for a, _ in same], dtype=np.int64)])
    cols = np.concatenate([kept["b"].to_numpy(), np.array([b for _, b in same], dtype=np.int64)])
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, components = connected_components(graph, directed=False)
    careful = _careful_components(workspace, components)
    cannot = [(int(a), int(b)) for a, b in zip(apart["a"], apart["b"], strict=True)] + different
    careful |= {int(components[a]) for a, b in cannot if components[a] == components[b]}
    labels = _first_index(components)
    if careful:
        _constrained(workspace, labels, components, careful, kept, same, cannot)
    return labels, unresolvable


def _first_index(components: Any) -> Any:
    """Label every node with the smallest node index of its component."""
    import numpy as np

    first = np.full(components.max() + 1 if len(components) else 0, len(components), dtype=np.int64)
    np.minimum.at(first, components, np.arange(len(components)))
    return first[components]


def _constrained(
    workspace: Workspace,
    labels: Any,
    components: Any,
    careful: set[int],
    kept: Any,
    same: list[tuple[int, int]],
    cannot: list[tuple[int, int]],
) -> None:
    import numpy as np

    nodes = np.flatnonzero(np.isin(components, list(careful)))
    local = {int(g): i for i, g in enumerate(nodes)}
    facts = _facts(workspace, nodes)
    inside = kept[np.isin(components[kept["a"].to_numpy()], list(careful))]
    edges = [
        (local[int(a)], local[int(b)], float(p), bool(m))
        for a, b, p, m in zip(
            inside["a"], inside["b"], inside["p"], inside["id_match"], strict=True
        )
    ]
    pairs = [(local[a], local[b]) for a, b in same if a in local and b in local]
    apart = [(local[a], local[b]) for a, b in cannot if a in local and b in local]
    local_labels = cluster([facts[int(g)] for g in nodes], edges, same=pairs, different=apart)
    for i, root in enumerate(local_labels):
        labels[nodes[i]] = nodes[root]


def recluster(workspace: Workspace, thresholds: Mapping[str, float]) -> Assignment:
    """Cluster again from what the last resolution stored (after an analyst's decision):
    the records are those of ``entity_records``, no record is read or normalised again."""
    con = workspace.con
    con.execute(
        "CREATE OR REPLACE TEMP TABLE party_records AS SELECT record_id, source, source_key, "
        "role, kind, name, countries, dataset, entity_id, sanctioned FROM entity_records"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE record_profiles AS SELECT record_id, profile_id "
        "FROM entity_records"
    )
    return assign(workspace, thresholds)


def assign(workspace: Workspace, thresholds: Mapping[str, float]) -> Assignment:
    """Cluster the stored pairs and (re)write ``entity_records`` and ``resolved_entities``.

    Needs the temporary tables ``party_records`` and ``record_profiles`` of this session.
    """
    labels, unresolvable = cluster_profiles(workspace, thresholds)
    table = pa.table(
        {"ix": pa.array(range(len(labels)), pa.int64()), "label": pa.array(labels, pa.int64())}
    )
    con = workspace.con
    con.register("profile_labels_arrow", table)
    try:
        con.execute(WRITE_SQL)
    finally:
        con.unregister("profile_labels_arrow")
    entities = int(workspace.scalar("SELECT count(*) FROM resolved_entities") or 0)
    records = int(workspace.scalar("SELECT count(*) FROM entity_records") or 0)
    return Assignment(entities, records, unresolvable)


WRITE_SQL = """
CREATE OR REPLACE TEMP TABLE profile_labels AS
    SELECT i.profile_id, l.label FROM profile_index i JOIN profile_labels_arrow l USING (ix);
CREATE OR REPLACE TEMP TABLE record_labels AS
    SELECT r.record_id, r.profile_id, l.label
    FROM record_profiles r JOIN profile_labels l USING (profile_id);
CREATE OR REPLACE TEMP TABLE label_ids AS
    SELECT label, 'ent-' || md5(min(record_id))[:12] AS cluster_id
    FROM record_labels GROUP BY label;
DELETE FROM entity_records;
INSERT INTO entity_records
    SELECT p.record_id, p.source, p.source_key, p.role, p.kind, p.name, p.countries[1],
        p.countries, p.dataset, p.entity_id, p.sanctioned, r.profile_id, i.cluster_id
    FROM party_records p
    JOIN record_labels r USING (record_id)
    JOIN label_ids i USING (label);
UPDATE resolution_profiles SET cluster_id = i.cluster_id
    FROM profile_labels l JOIN label_ids i USING (label)
    WHERE resolution_profiles.profile_id = l.profile_id;
DELETE FROM resolved_entities;
INSERT INTO resolved_entities
    SELECT e.cluster_id, any_value(e.kind),
        coalesce(mode(e.name) FILTER (WHERE e.source = 'entity'), mode(e.name)),
        mode(e.country),
        list_sort(list_distinct(flatten(list(e.countries)))),
        count(*), count(DISTINCT e.profile_id),
        list_sort(list_distinct(list(e.source))),
        list_sort(list_distinct(list(e.dataset) FILTER (WHERE e.dataset IS NOT NULL))),
        list_sort(list_distinct(list(e.name)))[:20],
        bool_or(e.sanctioned)
    FROM entity_records e
    GROUP BY e.cluster_id;
DROP TABLE record_labels;
DROP TABLE label_ids;
DROP TABLE profile_labels;
"""
