"""``greymap middlemen``: the brokers, fronts and shells between illicit supply and demand.

Measures per firm (an ``org`` entity), each in 0-1:

* **brokerage** (:mod:`~greymap.entities.brokerage`): Gould-Fernandez roles between
  countries on notify-party and re-consignment triads, weighted by suspicion and by role
  (liaison and itinerant brokers bridge borders), saturating; times the *suspicious share
  of everything the firm does* (its brokered triads and its own shipments), so volume alone
  earns nothing and a big forwarder with clean trade stays near zero;
* **betweenness** on the suspicious trading graph (trade and notify links whose
  suspicious share is at least ``flagged_share``), over the largest value;
* **shell signs** (:mod:`~greymap.entities.indicators`): of the firm itself (shared
  address, shared director, recent, no trade: ``shell_likeness``) and of its owners
  (``owner_shell_likeness``), plus jurisdiction risk and flagged goods of several sectors;
* **closeness** to flagged parties (sanctioned, or named in or party to a seizure):
  personalised PageRank from them over ownership, directorship, shared addresses and
  officers and suspicious trade, and the hops to the nearest one.

The score ranks *middlemen*: firms that trade and broker suspicious flows, owned through
shells::

    score = brokerage * (owner_floor + owner_shell_likeness)
                      * (1 - own_shell_penalty * shell_likeness)
                      * (closeness_floor + (1 - closeness_floor) * closeness)
                      * (paper_factor if the firm ships and receives nothing else 1)
            + betweenness_weight * betweenness

A firm's own shell signs *lower* its middleman score: a paper company at a formation
agent's address with a nominee director is the shell behind a middleman, and is named as
such in its reasons and its ``role``. Parameters were tuned on the worlds of seeds 1 and 2
(docs/middlemen.md). The result is the table ``middlemen(entity_id, name, country, score,
reasons, role, ...)`` with ``reasons`` separated by ``;``.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Any

import pyarrow as pa

from greymap.entities.brokerage import ROLE_WEIGHTS, brokerage_roles
from greymap.entities.graph import build_graph
from greymap.entities.indicators import BUSY_OFFICER, MASS_ADDRESS, shell_indicators
from greymap.errors import InputError
from greymap.workspace import Workspace

#: A trade link counts as suspicious when this share of its value is.
FLAGGED_SHARE = 0.3

#: Closeness by hops to the nearest flagged party (0: flagged itself).
HOP_CLOSENESS = (1.0, 0.6, 0.4, 0.25)

#: Weights of the shell signs: the firm's own, and those of its owners.
SHELL_SIGNS: dict[str, float] = {
    "shell_likeness": 0.25,
    "owner_shell": 0.45,
    "jurisdiction": 0.15,
    "sectors": 0.15,
}


@dataclass(frozen=True)
class MiddlemenParams:
    """The score's parameters (see the module docstring), published in ``analysis_runs``."""

    #: role-weighted suspicious triads at which brokerage reaches 1 - 1/e
    saturation: float = 1.5
    owner_floor: float = 0.2
    own_shell_penalty: float = 0.3
    closeness_floor: float = 0.75
    #: a firm named on no bill as shipper or consignee moves no goods itself
    paper_factor: float = 0.5
    betweenness_weight: float = 0.05
    flagged_share: float = FLAGGED_SHARE
    pagerank_alpha: float = 0.85

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def run_middlemen(workspace: Workspace, params: MiddlemenParams | None = None) -> int:
    """Build the graph and score every firm into ``middlemen``; returns its rows."""
    params = params or MiddlemenParams()
    if "resolved_entities" not in workspace.table_names() or not workspace.scalar(
        "SELECT count(*) FROM resolved_entities"
    ):
        raise InputError("no resolved entities yet: run `greymap resolve` first")
    started = time.perf_counter()
    build_graph(workspace)
    brokerage_roles(workspace)
    shell_indicators(workspace)
    measures = graph_measures(workspace, params)
    _write(workspace, measures, params)
    rows = int(workspace.scalar("SELECT count(*) FROM middlemen") or 0)
    _record_run(workspace, params, rows, time.perf_counter() - started)
    return rows


def graph_measures(workspace: Workspace, params: MiddlemenParams) -> pa.Table:
    """Betweenness on suspicious trade, personalised PageRank and hops from flagged parties."""
    import rustworkx as rx

    con = workspace.con
    nodes = [
        r[0] for r in con.execute("SELECT cluster_id FROM resolved_entities ORDER BY 1").fetchall()
    ]
    index = {n: i for i, n in enumerate(nodes)}
    links = con.execute(
        "SELECT source, target, link, value_usd, suspicious_usd, weight FROM entity_links"
    ).fetchall()
    trade = rx.PyDiGraph()
    trade.add_nodes_from(nodes)
    near = rx.PyDiGraph()
    near.add_nodes_from(nodes)
    for source, target, link, value, suspicious, weight in links:
        a, b = index.get(source), index.get(target)
        if a is None or b is None:
            continue
        if link in ("trade", "notify"):
            share = suspicious / value if value else (1.0 if weight >= 1 else 0.0)
            if share < params.flagged_share and weight < 1:
                continue
            trade.add_edge(a, b, None)
            w = min(1.0, weight)
        else:
            w = 1.0 if link in ("ownership", "directorship") else 0.5
        near.add_edge(a, b, w)
        near.add_edge(b, a, w)
    between = dict(rx.digraph_betweenness_centrality(trade, normalized=True).items())
    seeds = {
        index[r[0]]
        for r in con.execute("SELECT DISTINCT cluster_id FROM entity_flags").fetchall()
        if r[0] in index
    }
    ppr, hops = _closeness(near, seeds, params.pagerank_alpha)
    return pa.table(
        {
            "cluster_id": pa.array(nodes, pa.string()),
            "betweenness": pa.array([float(between.get(i, 0.0)) for i in range(len(nodes))]),
            "pagerank": pa.array([ppr.get(i, 0.0) for i in range(len(nodes))]),
            "hops": pa.array([hops.get(i) for i in range(len(nodes))], pa.int64()),
        }
    )


def _closeness(
    graph: Any, seeds: set[int], alpha: float
) -> tuple[dict[int, float], dict[int, int]]:
    import rustworkx as rx

    if not seeds or graph.num_edges() == 0:
        return {}, {i: 0 for i in seeds}
    personal = {s: 1.0 for s in seeds}
    ranks = rx.pagerank(graph, alpha=alpha, weight_fn=float, personalization=personal)
    ppr = {int(k): float(v) for k, v in ranks.items()}
    hub = graph.add_node("__flagged__")
    for s in seeds:
        graph.add_edge(hub, s, 0.0)
    lengths = rx.digraph_dijkstra_shortest_path_lengths(graph, hub, lambda _: 1.0)
    hops = {int(k): int(v) - 1 for k, v in lengths.items()}
    graph.remove_node(hub)
    return ppr, hops


def _write(workspace: Workspace, measures: pa.Table, params: MiddlemenParams) -> None:
    con = workspace.con
    con.register("graph_measures_arrow", measures)
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE graph_measures AS SELECT * FROM graph_measures_arrow"
        )
    finally:
        con.unregister("graph_measures_arrow")
    con.execute(
        SCORE_SQL.format(
            roles=" + ".join(f"{v} * coalesce(b.{k}, 0)" for k, v in ROLE_WEIGHTS.items()),
            shell=" + ".join(f"{v} * {_SIGN_SQL[k]}" for k, v in SHELL_SIGNS.items()),
            hop=_hop_sql(),
            mass=MASS_ADDRESS,
            busy=BUSY_OFFICER,
            **params.as_dict(),
        )
    )


_SIGN_SQL = {
    "shell_likeness": "s.shell_likeness",
    "owner_shell": "s.owner_shell_likeness",
    "jurisdiction": "s.jurisdiction_risk",
    "sectors": "(s.flagged_sectors >= 2)::INT",
}


def _hop_sql() -> str:
    cases = " ".join(f"WHEN {i} THEN {v}" for i, v in enumerate(HOP_CLOSENESS))
    return f"CASE g.hops {cases} ELSE 0.0 END"


SCORE_SQL = """
CREATE OR REPLACE TABLE middlemen AS
WITH traded AS (
    SELECT party AS cluster_id, count(*) AS trades, sum(suspicion) AS flagged_trades
    FROM (SELECT unnest([shipper, consignee]) AS party, suspicion FROM shipment_parties)
    WHERE party IS NOT NULL GROUP BY 1
), m AS (
    SELECT r.cluster_id AS entity_id, r.name, r.country,
        coalesce(b.triads, 0) AS triads, coalesce(b.flagged_triads, 0) AS flagged_triads,
        ({roles}) AS role_weighted,
        coalesce(b.flagged_triads / nullif(b.triads, 0), 0) AS flagged_share,
        coalesce(b.liaison, 0) AS liaison, coalesce(b.itinerant, 0) AS itinerant,
        coalesce(b.representative, 0) AS representative,
        coalesce(b.gatekeeper, 0) AS gatekeeper, coalesce(b.coordinator, 0) AS coordinator,
        coalesce(b.suspicious_usd, 0) AS brokered_suspicious_usd,
        b.sectors AS brokered_sectors, b.evidence AS brokerage_evidence,
        g.betweenness / nullif(max(g.betweenness) OVER (), 0) AS betweenness,
        g.pagerank / nullif(max(g.pagerank) FILTER (WHERE g.hops > 0) OVER (), 0) AS pagerank,
        g.hops, {hop} AS hop_closeness,
        s.mass_address, s.busy_officer, s.incorporated, s.recent, s.jurisdiction_risk,
        s.owner_shell, s.shell_owners, s.flagged_sectors, s.sectors AS flagged_sector_list,
        s.shell_likeness, s.owner_shell_likeness,
        ({shell}) AS shell,
        coalesce(t.trades, 0) AS trades, coalesce(t.flagged_trades, 0) AS flagged_trades
    FROM resolved_entities r
    LEFT JOIN traded t USING (cluster_id)
    JOIN shell_indicators s USING (cluster_id)
    LEFT JOIN brokerage b USING (cluster_id)
    LEFT JOIN graph_measures g USING (cluster_id)
    WHERE r.kind = 'org'
), scored AS (
    SELECT *,
        coalesce((flagged_triads + flagged_trades) / nullif(triads + trades, 0), 0)
            AS activity_share,
        coalesce((flagged_triads + flagged_trades) / nullif(triads + trades, 0), 0)
            * (1 - exp(-role_weighted / {saturation})) AS brokerage,
        0.5 * least(coalesce(pagerank, 0), 1.0) + 0.5 * hop_closeness AS closeness
    FROM m
)
SELECT entity_id, name, country,
    round(brokerage * ({owner_floor} + owner_shell_likeness)
          * (1 - {own_shell_penalty} * shell_likeness)
          * ({closeness_floor} + (1 - {closeness_floor}) * closeness)
          * CASE WHEN trades = 0 THEN {paper_factor} ELSE 1.0 END
          + {betweenness_weight} * coalesce(betweenness, 0), 6) AS score,
    array_to_string(list_filter([
        CASE WHEN liaison + itinerant >= 0.5 THEN
            printf('cross-border broker on %.1f flagged consignments (liaison %.1f, itinerant %.1f)',
                   flagged_triads, liaison, itinerant) END,
        CASE WHEN brokerage >= 0.2 AND liaison + itinerant < 0.5 THEN
            printf('broker on %.1f flagged consignments', flagged_triads) END,
        CASE WHEN coalesce(len(brokered_sectors), 0) >= 2 THEN
            'brokers flagged goods of ' || array_to_string(brokered_sectors, ', ') END,
        CASE WHEN betweenness >= 0.1 THEN printf('between suspicious traders (%.2f)', betweenness) END,
        CASE WHEN mass_address >= {mass} THEN printf('address shared by %d firms', mass_address) END,
        CASE WHEN busy_officer >= {busy} THEN printf('director of %d firms', busy_officer) END,
        CASE WHEN owner_shell THEN 'owned by a shell-like firm' END,
        CASE WHEN recent THEN printf('incorporated %d', incorporated) END,
        CASE WHEN jurisdiction_risk >= 0.8 THEN 'high-risk jurisdiction' END,
        CASE WHEN shell_likeness >= 0.5 THEN printf('shell signs of its own (%.1f)', shell_likeness) END,
        CASE WHEN hops = 0 THEN 'flagged itself (sanctioned or seized)'
             WHEN hops = 1 THEN '1 hop from a flagged party'
             WHEN hops BETWEEN 2 AND 3 THEN printf('%d hops from a flagged party', hops) END
    ], lambda x: x IS NOT NULL), '; ') AS reasons,
    CASE WHEN shell_likeness >= 0.5 AND trades <= 2 THEN 'shell'
         WHEN brokerage >= 0.2 THEN 'middleman'
         WHEN flagged_trades >= 1 AND flagged_trades >= 0.3 * trades THEN 'front'
         ELSE 'other' END AS role,
    brokerage, betweenness, shell, closeness, activity_share, triads, flagged_triads,
    flagged_share,
    liaison, itinerant, representative, gatekeeper, coordinator, brokered_suspicious_usd,
    brokered_sectors, brokerage_evidence, pagerank, hops, mass_address, busy_officer,
    incorporated, jurisdiction_risk, owner_shell, shell_owners, flagged_sectors, recent,
    trades, flagged_trades, shell_likeness, owner_shell_likeness
FROM scored
ORDER BY score DESC, entity_id
"""


def _record_run(workspace: Workspace, params: MiddlemenParams, rows: int, seconds: float) -> None:
    import json

    from greymap import __version__
    from greymap.workspace.store import _now

    run_id = workspace.scalar("SELECT nextval('analysis_run_id_seq')")
    workspace.con.execute(
        "INSERT INTO analysis_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            run_id,
            "middlemen",
            "middlemen",
            "duckdb",
            json.dumps(params.as_dict()),
            rows,
            seconds,
            _now(),
            __version__,
        ],
    )
