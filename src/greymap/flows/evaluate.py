"""Precision of the flows analyses on a simulated world, against its ground truth.

Used by the tests (a couple of seeds) and by ``bench/flows_quality.py`` (many seeds, the
figures in docs/benchmarks.md). The planted sets are read from ``ground_truth.json``:

* mirror: planted mis-reported flows, i.e. ``misinvoiced_flows`` (the importer's value
  scaled) and ``network_flows`` (smuggled imports a destination barely records, transit a
  free zone barely records), each keyed by exporter, importer, HS code and year; the
  misinvoiced subset alone is reported too; and, since the ``pattern`` column tells
  the two apart by declared weight, the misinvoiced flows among the top ``k`` gaps of
  pattern ``value`` and the network flows among the top ``k`` of patterns ``quantity``
  and ``one-sided``;
* prices: the under-invoiced ranking against shipments planted with an under-declared
  value or declared under a cover code (both show as a price far below the declared
  product's); the under-declared subset alone is reported too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from greymap.workspace import Workspace


@dataclass(frozen=True)
class FlowsPrecision:
    seed: int | None
    k: int
    mirror: float
    mirror_misinvoiced_only: float
    mirror_misinvoiced_in_value: float
    mirror_network_in_quantity: float
    prices_under: float
    prices_under_value_only: float


def load_truth(world: Path) -> dict[str, object]:
    return dict(json.loads((world / "ground_truth.json").read_text(encoding="utf-8")))


def _flow_keys(items: object) -> set[tuple[str, str, str, int]]:
    assert isinstance(items, list)
    return {(f["exporter"], f["importer"], f["hs_code"], int(f["year"])) for f in items}


def precision_at_k(workspace: Workspace, truth: dict[str, object], k: int = 50) -> FlowsPrecision:
    """Precision at ``k`` of ``mirror_gaps`` and ``price_anomalies`` already computed."""
    misinvoiced = _flow_keys(truth["misinvoiced_flows"])
    network = _flow_keys(truth["network_flows"])
    planted = misinvoiced | network
    top = _top_gaps(workspace, "TRUE", k)
    top_value = _top_gaps(workspace, "pattern = 'value'", k)
    top_quantity = _top_gaps(workspace, "pattern IN ('quantity', 'one-sided')", k)
    shipments = truth["shipments"]
    assert isinstance(shipments, dict)
    under = set(shipments["underpriced_ids"])
    cover = {m["shipment_id"] for m in shipments["misdeclared"]}
    top_under = [
        r[0]
        for r in workspace.con.execute(
            "SELECT shipment_id FROM price_anomalies WHERE source = 'shipment' "
            f"AND direction = 'under-invoiced' ORDER BY score DESC LIMIT {k}"
        ).fetchall()
    ]
    meta = truth.get("meta", {})
    seed = meta.get("seed") if isinstance(meta, dict) else None
    return FlowsPrecision(
        seed=seed,
        k=k,
        mirror=sum(tuple(r) in planted for r in top) / k,
        mirror_misinvoiced_only=sum(tuple(r) in misinvoiced for r in top) / k,
        mirror_misinvoiced_in_value=sum(tuple(r) in misinvoiced for r in top_value) / k,
        mirror_network_in_quantity=sum(tuple(r) in network for r in top_quantity) / k,
        prices_under=sum(s in under | cover for s in top_under) / k,
        prices_under_value_only=sum(s in under for s in top_under) / k,
    )


def _top_gaps(workspace: Workspace, where: str, k: int) -> list[tuple[object, ...]]:
    """The ``k`` highest-scored mirror gaps matching ``where`` (fewer count as misses)."""
    return workspace.con.execute(
        "SELECT exporter, importer, hs_code, year FROM mirror_gaps "
        f"WHERE {where} ORDER BY score DESC LIMIT {k}"
    ).fetchall()
