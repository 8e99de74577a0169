"""The network in three layers, built from weighed shipments: country, port and firm.

A *journey* is one consignment from its first bill of lading to its last: a bill and the
onward bill the suspicion plan linked it to (``next_rid``), so goods re-consigned in a
free zone pass *through* the hub instead of ending and starting there. A journey's value
is its largest bill's, its weight the largest bill weight, its suspicious value the
product, its sectors the union of its bills'.

Each layer turns a journey into a path of nodes:

* ``port``: lading, transshipment and unlading ports of every bill in order (a port
  repeated at the junction of two bills counts once);
* ``country``: the origin, the countries of those ports, the destination, with repeats
  in a row collapsed (the origin's own lading port is not a transit);
* ``firm``: shipper, notify party, consignee of every bill (notify parties that are the
  consignee count once); the node of a party is :func:`~greymap.network.parties.party_key`.

Edges join consecutive nodes and carry ``total_value`` and ``suspicious_value`` (USD,
summed over journeys) and both per sector. For the port and firm layers two virtual
nodes per country, ``src:ISO3`` and ``dst:ISO3``, tie a path to its origin and
destination: when a port or firm is controlled, goods may leave from another port or
through another firm of the same country along edges someone has used (rerouting,
:mod:`.interdict`). Edge ``cost`` is what moving along it costs a smuggler: one unit per
hop plus great-circle thousands of km where both ends are placed.

Graphs are rustworkx ``PyDiGraph`` objects; paths and per-node sums are numpy/pandas
arrays so that nothing loops over journeys in Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from greymap.errors import InputError, MissingDependencyError
from greymap.flows.geography import country_locations
from greymap.network.suspicion import TABLE as SUSPICION_TABLE
from greymap.reference.ports import ports
from greymap.workspace import Workspace

LAYERS = ("country", "port", "firm")
UNCLASSIFIED = "unclassified"
HOP_COST = 1.0
KM_COST = 1.0 / 1000.0

_JOURNEYS = f"""
WITH s AS (SELECT * FROM {SUSPICION_TABLE}),
heads AS (SELECT * FROM s WHERE rid NOT IN (SELECT next_rid FROM s WHERE next_rid IS NOT NULL)),
j AS (
    SELECT h.rid AS journey_id, h.rid AS rid1, n.rid AS rid2,
           greatest(h.value_usd, coalesce(n.value_usd, 0.0)) AS value_usd,
           greatest(h.weight, coalesce(n.weight, 0.0)) AS weight,
           concat_ws(';', nullif(h.sectors, ''), nullif(n.sectors, '')) AS sectors,
           h.origin, coalesce(n.destination, h.destination) AS destination,
           h.hs_code, h.year,
           list_concat([h.lading], coalesce(h.transshipment_ports, []), [h.unlading],
                       CASE WHEN n.rid IS NULL THEN []
                            ELSE list_concat([n.lading], coalesce(n.transshipment_ports, []),
                                             [n.unlading]) END) AS ports,
           list_concat([h.shipper_key, CASE WHEN h.notify_key <> h.consignee_key
                                            THEN h.notify_key END, h.consignee_key],
                       CASE WHEN n.rid IS NULL THEN []
                            ELSE [n.shipper_key, CASE WHEN n.notify_key <> n.consignee_key
                                                     THEN n.notify_key END,
                                  n.consignee_key] END) AS firms,
           list_concat([h.shipper_name, h.notify_party_name, h.consignee_name],
                       CASE WHEN n.rid IS NULL THEN []
                            ELSE [n.shipper_name, n.notify_party_name, n.consignee_name] END)
             AS firm_names,
           list_concat([h.shipper_key, h.notify_key, h.consignee_key],
                       CASE WHEN n.rid IS NULL THEN []
                            ELSE [n.shipper_key, n.notify_key, n.consignee_key] END)
             AS firm_name_keys
    FROM heads h LEFT JOIN s n ON n.rid = h.next_rid
)
SELECT * FROM j ORDER BY journey_id
"""


@dataclass
class Layer:
    """One layer: journeys as node paths, node labels, and the rustworkx graph."""

    name: str
    journeys: (
        pd.DataFrame
    )  # journey_id, value_usd, weight, suspicious_value_usd, sectors, origin, destination, path
    labels: dict[str, str]
    graph: object = None  # rustworkx.PyDiGraph, built lazily by :func:`graph_of`
    index: dict[str, int] = field(default_factory=dict)

    @property
    def virtual(self) -> bool:
        """Whether paths are tied to ``src:``/``dst:`` country nodes (port, firm)."""
        return self.name != "country"


def load_journeys(workspace: Workspace) -> pd.DataFrame:
    """Journeys from ``shipment_suspicion`` (run the suspicion analysis first)."""
    if SUSPICION_TABLE not in workspace.table_names():
        raise InputError(
            "the workspace has no shipment_suspicion table; run `greymap chokepoints` "
            "(it weighs shipments first) or greymap.network.run.run_suspicion"
        )
    frame = workspace.con.execute(_JOURNEYS).df()
    frame["suspicious_value_usd"] = frame["value_usd"] * frame["weight"]
    frame["sectors"] = [_sector_list(s) for s in frame["sectors"]]
    return frame


def _sector_list(text: object) -> list[str]:
    if not isinstance(text, str) or not text:
        return [UNCLASSIFIED]
    return sorted(set(text.split(";")))


def _dedupe(seq: Iterable[Any] | None) -> list[str]:
    """Nodes in order, without missing values or repeats in a row."""
    out: list[str] = []
    for item in seq if seq is not None else ():
        if item is None or (isinstance(item, float) and np.isnan(item)) or item == "":
            continue
        if not out or out[-1] != item:
            out.append(str(item))
    return out


@cache
def _port_country() -> dict[str, str | None]:
    return {code: p.country for code, p in ports().items()}


def _paths(journeys: pd.DataFrame, layer: str) -> list[list[str]]:
    if layer == "port":
        return [_dedupe(p) for p in journeys["ports"]]
    if layer == "firm":
        return [_dedupe(p) for p in journeys["firms"]]
    country = _port_country()
    return [
        _dedupe([o, *(country.get(p) for p in (ports_ if ports_ is not None else []) if p), d])
        for o, ports_, d in zip(
            journeys["origin"], journeys["ports"], journeys["destination"], strict=True
        )
    ]


def build_layer(journeys: pd.DataFrame, layer: str) -> Layer:
    """The ``layer`` view of ``journeys`` (see the module docstring)."""
    if layer not in LAYERS:
        raise InputError(f"unknown layer {layer!r}; expected one of {', '.join(LAYERS)}")
    frame = journeys[
        [
            "journey_id",
            "value_usd",
            "weight",
            "suspicious_value_usd",
            "sectors",
            "origin",
            "destination",
            "hs_code",
            "year",
        ]
    ].copy()
    frame["path"] = _paths(journeys, layer)
    frame = frame[frame["path"].map(len) > 0].reset_index(drop=True)
    return Layer(layer, frame, _labels(journeys, frame, layer))


def _labels(journeys: pd.DataFrame, frame: pd.DataFrame, layer: str) -> dict[str, str]:
    nodes = {n for path in frame["path"] for n in path}
    if layer == "port":
        table = ports()
        return {n: f"{table[n].name} ({n})" if n in table else n for n in nodes}
    if layer == "country":
        return {n: _country_name(n) for n in nodes}
    names = pd.DataFrame(
        {
            "key": [k for ks in journeys["firm_name_keys"] for k in ks],
            "name": [n for ns in journeys["firm_names"] for n in ns],
        }
    ).dropna()
    common = names.groupby("key")["name"].agg(lambda s: s.value_counts().index[0])
    return {n: str(common.get(n, n)) for n in nodes}


@cache
def _country_name(iso3: str) -> str:
    import pycountry

    found = pycountry.countries.get(alpha_3=iso3)
    return f"{found.name} ({iso3})" if found else iso3


def explode(layer: Layer, *, virtual: bool = False) -> pd.DataFrame:
    """One row per (journey, position, node) with ``interior`` marking nodes that are
    neither the first nor the last of the path; with ``virtual`` the port and firm paths
    are framed by their ``src:``/``dst:`` country nodes."""
    paths = layer.journeys["path"]
    if virtual and layer.virtual:
        paths = pd.Series(
            [
                [f"src:{o}", *p, f"dst:{d}"]
                for o, p, d in zip(
                    layer.journeys["origin"], paths, layer.journeys["destination"], strict=True
                )
            ]
        )
    lengths = paths.map(len).to_numpy()
    rows = np.repeat(np.arange(len(paths)), lengths)
    pos = np.concatenate([np.arange(n) for n in lengths]) if len(lengths) else np.array([], int)
    out = pd.DataFrame(
        {
            "j": rows,
            "pos": pos,
            "node": [n for p in paths for n in p],
        }
    )
    out["interior"] = (out["pos"] > 0) & (out["pos"] < lengths[rows] - 1)
    return out


def edges(layer: Layer) -> pd.DataFrame:
    """Edges with value, suspicious value and cost; virtual endpoints included."""
    hops = explode(layer, virtual=True)
    nxt = hops.groupby("j")["node"].shift(-1)
    pairs = pd.DataFrame({"j": hops["j"], "u": hops["node"], "v": nxt}).dropna()
    pairs = pairs[pairs["u"] != pairs["v"]]
    j = layer.journeys
    pairs["total_value"] = j["value_usd"].to_numpy()[pairs["j"].to_numpy()]
    pairs["suspicious_value"] = j["suspicious_value_usd"].to_numpy()[pairs["j"].to_numpy()]
    grouped = (
        pairs.groupby(["u", "v"], sort=True)
        .agg(
            total_value=("total_value", "sum"),
            suspicious_value=("suspicious_value", "sum"),
            journeys=("j", "nunique"),
        )
        .reset_index()
    )
    grouped["cost"] = edge_costs(layer.name, grouped["u"], grouped["v"])
    return grouped


def edge_costs(layer: str, u: pd.Series, v: pd.Series) -> np.ndarray:
    """``HOP_COST`` plus ``KM_COST`` per great-circle km where both ends are placed."""
    where = _places(layer)
    lat1, lon1 = _coords(u, where)
    lat2, lon2 = _coords(v, where)
    km = _haversine(lat1, lon1, lat2, lon2)
    cost: np.ndarray = HOP_COST + np.nan_to_num(km, nan=0.0) * KM_COST
    return cost


def _places(layer: str) -> dict[str, tuple[float, float]]:
    if layer == "port":
        return {
            c: (p.latitude, p.longitude)
            for c, p in ports().items()
            if p.latitude is not None and p.longitude is not None
        }
    if layer == "country":
        return dict(country_locations())
    return {}


def _coords(
    nodes: pd.Series, where: dict[str, tuple[float, float]]
) -> tuple[np.ndarray, np.ndarray]:
    found = [where.get(n, (np.nan, np.nan)) for n in nodes]
    arr = np.array(found, dtype=float).reshape(-1, 2)
    return arr[:, 0], arr[:, 1]


def _haversine(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    h = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    km: np.ndarray = 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return km


def graph_of(layer: Layer) -> object:
    """The layer as a rustworkx ``PyDiGraph`` (node payload: id, label; edge payload:
    total_value, suspicious_value, journeys, cost), cached on the layer."""
    if layer.graph is not None:
        return layer.graph
    try:
        import rustworkx as rx
    except ImportError as exc:  # pragma: no cover
        raise MissingDependencyError("rustworkx", "graph") from exc
    table = edges(layer)
    nodes = sorted(set(table["u"]) | set(table["v"]) | set(layer.labels))
    graph = rx.PyDiGraph()
    ids = graph.add_nodes_from(
        [
            {"id": n, "label": layer.labels.get(n, n), "virtual": n[:4] in ("src:", "dst:")}
            for n in nodes
        ]
    )
    layer.index = dict(zip(nodes, ids, strict=True))
    graph.add_edges_from(
        [
            (
                layer.index[u],
                layer.index[v],
                {"total_value": tv, "suspicious_value": sv, "journeys": int(n), "cost": c},
            )
            for u, v, tv, sv, n, c in table[
                ["u", "v", "total_value", "suspicious_value", "journeys", "cost"]
            ].itertuples(index=False)
        ]
    )
    layer.graph = graph
    return graph


def load_layer(workspace: Workspace, layer: str) -> Layer:
    return build_layer(load_journeys(workspace), layer)
