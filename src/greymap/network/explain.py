"""Why a node is a choke point: the flows and sectors through it, their evidence, and
what controlling it would remove before and after traffickers reroute.

:func:`explain_node` returns flat records, each with a ``section``:

* ``summary``: the node's score, suspicious and total value through it, shares;
* ``sector``: per sector, suspicious and total value through it, excess and share;
* ``flow``: the most suspicious journeys through it (origin, destination, path, value,
  weight, the bills and the evidence behind their weight);
* ``evidence``: per kind of evidence, how many journeys through the node carry it and
  the suspicious value they carry;
* ``interdiction``: the share of the layer's suspicious flow that controlling this node
  alone removes, before and after rerouting;
* ``note``: evidence the suspicion weight could not consider (missing tables).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from greymap.engine.runs import last_run
from greymap.errors import InputError
from greymap.network.common import CommonParams, common_scores, sector_scores
from greymap.network.interdict import InterdictParams, flow_set
from greymap.network.layers import Layer, explode
from greymap.network.reroute import reroute
from greymap.network.suspicion import EVIDENCE
from greymap.network.suspicion import TABLE as SUSPICION_TABLE
from greymap.workspace import Workspace


def explain_node(
    workspace: Workspace,
    layer: Layer,
    node: str,
    *,
    top: int = 10,
    common: CommonParams | None = None,
    interdict: InterdictParams | None = None,
) -> list[dict[str, Any]]:
    """Records explaining ``node`` on ``layer`` (see the module docstring)."""
    common = common or CommonParams()
    ranking = common_scores(layer, common)
    if node not in set(ranking["node"]):
        raise InputError(
            f"{node!r} is not a node any journey passes through on the {layer.name} layer; "
            "expected a node id as `greymap chokepoints` lists it (e.g. a UN/LOCODE or ISO3)"
        )
    records = [_summary(ranking, node)]
    records += _sectors(layer, node, common)
    through = _journeys_through(layer, node)
    records += _flows(workspace, layer, through, top)
    records += _evidence(workspace, layer, through)
    records += _interdiction(layer, node, interdict or InterdictParams())
    records += _notes(workspace)
    return records


def _summary(ranking: pd.DataFrame, node: str) -> dict[str, Any]:
    row = ranking[ranking["node"] == node].iloc[0]
    keys = (
        "node",
        "label",
        "layer",
        "score",
        "rank",
        "suspicious_value_usd",
        "suspicious_share",
        "total_value_usd",
        "suspicious_ratio",
        "journeys",
    )
    record = {"section": "summary", **{k: _plain(row[k]) for k in keys}}
    record["sectors"] = ";".join(row["sectors"])
    return record


def _sectors(layer: Layer, node: str, common: CommonParams) -> list[dict[str, Any]]:
    per = sector_scores(layer, common)
    per = per[per["node"] == node].sort_values("share", ascending=False)
    return [
        {
            "section": "sector",
            "node": node,
            "sector": str(r["sector"]),
            "suspicious_value_usd": round(float(r["suspicious_value"]), 2),
            "total_value_usd": round(float(r["total_value"]), 2),
            "journeys": int(r["journeys"]),
            "excess_usd": round(float(r["excess"]), 2),
            "share_of_sector": round(float(r["share"]), 6),
        }
        for r in per.to_dict("records")
    ]


def _journeys_through(layer: Layer, node: str) -> pd.DataFrame:
    hops = explode(layer)
    idx = hops.loc[(hops["node"] == node) & hops["interior"], "j"].unique()
    return layer.journeys.iloc[idx].sort_values("suspicious_value_usd", ascending=False)


def _flows(
    workspace: Workspace, layer: Layer, through: pd.DataFrame, top: int
) -> list[dict[str, Any]]:
    head = through.head(top)
    evidence = _bill_evidence(workspace, list(head["journey_id"]))
    return [
        {
            "section": "flow",
            "journey_id": r["journey_id"],
            "origin": r["origin"],
            "destination": r["destination"],
            "path": ">".join(r["path"]),
            "sectors": ";".join(r["sectors"]),
            "value_usd": round(float(r["value_usd"]), 2),
            "weight": round(float(r["weight"]), 4),
            "suspicious_value_usd": round(float(r["suspicious_value_usd"]), 2),
            "shipments": evidence.get(r["journey_id"], ("", ""))[0],
            "evidence": evidence.get(r["journey_id"], ("", ""))[1],
        }
        for r in head.to_dict("records")
    ]


def _bill_evidence(workspace: Workspace, journey_ids: list[str]) -> dict[str, tuple[str, str]]:
    if not journey_ids:
        return {}
    rows = workspace.con.execute(
        f"""SELECT h.rid, concat_ws(';', h.shipment_id, n.shipment_id),
                   concat_ws(' | ', nullif(h.evidence, ''), nullif(n.evidence, ''))
            FROM {SUSPICION_TABLE} h LEFT JOIN {SUSPICION_TABLE} n ON n.rid = h.next_rid
            WHERE h.rid IN (SELECT unnest(?))""",
        [journey_ids],
    ).fetchall()
    return {r[0]: (r[1], r[2] or "") for r in rows}


def _evidence(workspace: Workspace, layer: Layer, through: pd.DataFrame) -> list[dict[str, Any]]:
    if through.empty:
        return []
    cols = ", ".join(f"max(ev_{e}) AS {e}" for e in EVIDENCE)
    frame = workspace.con.execute(
        f"""SELECT coalesce(h.rid, '') AS journey_id, {cols} FROM (
                SELECT h.rid, h.* EXCLUDE (rid) FROM {SUSPICION_TABLE} h
                UNION ALL
                SELECT h.rid, n.* EXCLUDE (rid) FROM {SUSPICION_TABLE} h
                JOIN {SUSPICION_TABLE} n ON n.rid = h.next_rid) h
            WHERE h.rid IN (SELECT unnest(?)) GROUP BY h.rid""",
        [list(through["journey_id"])],
    ).df()
    merged = frame.merge(through[["journey_id", "suspicious_value_usd"]], on="journey_id")
    out = []
    for kind in EVIDENCE:
        has = merged[merged[kind] > 0]
        out.append(
            {
                "section": "evidence",
                "evidence": kind,
                "journeys": len(has),
                "suspicious_value_usd": round(float(has["suspicious_value_usd"].sum()), 2),
                "mean_strength": round(float(has[kind].mean()), 4) if len(has) else 0.0,
            }
        )
    return out


def _interdiction(layer: Layer, node: str, params: InterdictParams) -> list[dict[str, Any]]:
    flows = flow_set(layer, params)
    if node not in flows.node_ids or not flows.total_value:
        return [
            {
                "section": "interdiction",
                "node": node,
                "share_removed": 0.0,
                "share_removed_after_rerouting": 0.0,
            }
        ]
    idx = flows.node_ids.index(node)
    outcome = reroute(flows.network, [idx], params.reroute)  # type: ignore[arg-type]
    values = flows.network.values
    return [
        {
            "section": "interdiction",
            "node": node,
            "removed_value_usd": round(outcome.removed_before(values), 2),
            "share_removed": round(outcome.removed_before(values) / flows.total_value, 6),
            "removed_after_rerouting_usd": round(outcome.removed_after(values), 2),
            "share_removed_after_rerouting": round(
                outcome.removed_after(values) / flows.total_value, 6
            ),
            "min_weight": params.min_weight,
        }
    ]


def _notes(workspace: Workspace) -> list[dict[str, Any]]:
    run = last_run(workspace, SUSPICION_TABLE)
    notes = (run or {}).get("parameters", {}).get("notes", [])
    return [{"section": "note", "note": n} for n in notes]


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value
