"""The layer graphs for other tools: GraphML (yEd, networkx, igraph, Cytoscape), GEXF
(Gephi) and a JSON form the dashboard reads.

Nodes carry the choke-point measures of the ranking (score, suspicious value and share,
sectors, rank); edges carry total and suspicious value and the number of journeys. The
virtual ``src:``/``dst:`` country nodes are left out: they are a modelling device of
rerouting, not places. Files are written with the standard library's XML writer, so the
output is plain, valid XML in the namespaces the formats define.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pandas as pd

from greymap.errors import InputError
from greymap.network.layers import Layer, edges

FORMATS = ("graphml", "gexf", "json")
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"

NODE_ATTRS = {
    "label": "string",
    "layer": "string",
    "score": "double",
    "suspicious_value_usd": "double",
    "suspicious_share": "double",
    "total_value_usd": "double",
    "sectors": "string",
    "rank": "int",
}
EDGE_ATTRS = {"total_value": "double", "suspicious_value": "double", "journeys": "int"}


def graph_tables(
    layer: Layer, ranking: pd.DataFrame
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(nodes, edges) as records, virtual nodes left out."""
    table = edges(layer)
    real = ~(
        table["u"].str.startswith(("src:", "dst:")) | table["v"].str.startswith(("src:", "dst:"))
    )
    table = table[real]
    known = ranking.set_index("node")
    ids = sorted(set(table["u"]) | set(table["v"]))
    nodes = []
    for n in ids:
        row = known.loc[n] if n in known.index else None
        nodes.append(
            {
                "id": n,
                "label": layer.labels.get(n, n),
                "layer": layer.name,
                "score": float(row["score"]) if row is not None else 0.0,
                "suspicious_value_usd": float(row["suspicious_value_usd"])
                if row is not None
                else 0.0,
                "suspicious_share": float(row["suspicious_share"]) if row is not None else 0.0,
                "total_value_usd": float(row["total_value_usd"]) if row is not None else 0.0,
                "sectors": ";".join(row["sectors"]) if row is not None else "",
                "rank": int(row["rank"]) if row is not None else 0,
            }
        )
    links = [
        {
            "source": u,
            "target": v,
            "total_value": float(tv),
            "suspicious_value": float(sv),
            "journeys": int(j),
        }
        for u, v, tv, sv, j in table[
            ["u", "v", "total_value", "suspicious_value", "journeys"]
        ].itertuples(index=False)
    ]
    return nodes, links


def export_graph(layer: Layer, ranking: pd.DataFrame, fmt: str, out: Path) -> dict[str, Any]:
    """Write the layer to ``out`` in ``fmt``; returns what was written."""
    if fmt not in FORMATS:
        raise InputError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    nodes, links = graph_tables(layer, ranking)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        payload = {"layer": layer.name, "nodes": nodes, "edges": links}
        out.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    else:
        tree = _graphml(nodes, links) if fmt == "graphml" else _gexf(nodes, links)
        ET.indent(tree)
        tree.write(out, encoding="utf-8", xml_declaration=True)
    return {
        "path": str(out),
        "format": fmt,
        "layer": layer.name,
        "nodes": len(nodes),
        "edges": len(links),
    }


def _graphml(nodes: list[dict[str, Any]], links: list[dict[str, Any]]) -> ET.ElementTree:
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    for scope, attrs in (("node", NODE_ATTRS), ("edge", EDGE_ATTRS)):
        for name, kind in attrs.items():
            ET.SubElement(
                root,
                f"{{{GRAPHML_NS}}}key",
                id=f"{scope[0]}_{name}",
                attrib={"for": scope, "attr.name": name, "attr.type": kind},
            )
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", id="G", edgedefault="directed")
    for node in nodes:
        el = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", id=node["id"])
        for name in NODE_ATTRS:
            ET.SubElement(el, f"{{{GRAPHML_NS}}}data", key=f"n_{name}").text = str(node[name])
    for i, link in enumerate(links):
        el = ET.SubElement(
            graph, f"{{{GRAPHML_NS}}}edge", id=f"e{i}", source=link["source"], target=link["target"]
        )
        for name in EDGE_ATTRS:
            ET.SubElement(el, f"{{{GRAPHML_NS}}}data", key=f"e_{name}").text = str(link[name])
    return ET.ElementTree(root)


def q(tag: str) -> str:
    """A GEXF tag in its namespace."""
    return f"{{{GEXF_NS}}}{tag}"


def _gexf(nodes: list[dict[str, Any]], links: list[dict[str, Any]]) -> ET.ElementTree:
    ET.register_namespace("", GEXF_NS)
    root = ET.Element(q("gexf"), version="1.3")
    ET.SubElement(ET.SubElement(root, q("meta")), q("creator")).text = "greymap"
    graph = ET.SubElement(root, q("graph"), defaultedgetype="directed", mode="static")
    gexf_type = {"string": "string", "double": "double", "int": "integer"}
    for scope, attrs in (("node", NODE_ATTRS), ("edge", EDGE_ATTRS)):
        block = ET.SubElement(graph, q("attributes"), attrib={"class": scope})
        for i, (name, kind) in enumerate(attrs.items()):
            ET.SubElement(block, q("attribute"), id=str(i), title=name, type=gexf_type[kind])
    node_block = ET.SubElement(graph, q("nodes"))
    for node in nodes:
        el = ET.SubElement(node_block, q("node"), id=node["id"], label=node["label"])
        values = ET.SubElement(el, q("attvalues"))
        for i, name in enumerate(NODE_ATTRS):
            ET.SubElement(values, q("attvalue"), attrib={"for": str(i), "value": str(node[name])})
    edge_block = ET.SubElement(graph, q("edges"))
    for i, link in enumerate(links):
        el = ET.SubElement(
            edge_block,
            q("edge"),
            id=str(i),
            source=link["source"],
            target=link["target"],
            weight=str(link["suspicious_value"]),
        )
        values = ET.SubElement(el, q("attvalues"))
        for j, name in enumerate(EDGE_ATTRS):
            ET.SubElement(values, q("attvalue"), attrib={"for": str(j), "value": str(link[name])})
    return ET.ElementTree(root)
