"""Choke points against a simulated world's ground truth (the pattern of
:mod:`greymap.flows.evaluate`).

Planted sets come from ``ground_truth.json``: ``planted_hub_ports`` (the illicit hubs,
judged on the port layer), ``transit_countries`` (their countries, on the country layer)
and ``clean_hub_ports`` (busy hubs no illicit consignment touches, which must stay out of
the top). ``k`` is the number of planted hubs (at most 10), as the issue defines it.
Used by the tests (two seeds) and ``bench/chokepoints_quality.py`` (the figures in
docs/chokepoints.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from greymap.network.common import CommonParams, common_scores
from greymap.network.layers import build_layer, load_journeys
from greymap.workspace import Workspace


@dataclass(frozen=True)
class ChokepointPrecision:
    seed: int | None
    k_ports: int
    ports: float
    k_countries: int
    countries: float
    best_clean_rank: int  # best rank of a busy clean hub on the port layer (0: none ranked)
    clean_in_top_k: int
    top_ports: list[str]
    top_countries: list[str]


def _precision(ranking: pd.DataFrame, planted: set[str], k: int) -> float:
    top = list(ranking["node"][:k])
    return sum(n in planted for n in top) / k if k else 0.0


def precision_at_k(
    workspace: Workspace, truth: dict[str, object], params: CommonParams | None = None
) -> ChokepointPrecision:
    """Precision at k of the port and country rankings (``shipment_suspicion`` must exist)."""
    journeys = load_journeys(workspace)
    ports = common_scores(build_layer(journeys, "port"), params)
    countries = common_scores(build_layer(journeys, "country"), params)
    hubs = set(_strings(truth["planted_hub_ports"]))
    transit = set(_strings(truth["transit_countries"]))
    clean = set(_strings(truth["clean_hub_ports"]))
    k_ports, k_countries = min(len(hubs), 10), min(len(transit), 10)
    clean_ranks = [int(r) for n, r in zip(ports["node"], ports["rank"], strict=True) if n in clean]
    meta = truth.get("meta", {})
    return ChokepointPrecision(
        seed=meta.get("seed") if isinstance(meta, dict) else None,
        k_ports=k_ports,
        ports=_precision(ports, hubs, k_ports),
        k_countries=k_countries,
        countries=_precision(countries, transit, k_countries),
        best_clean_rank=min(clean_ranks) if clean_ranks else 0,
        clean_in_top_k=sum(r <= k_ports for r in clean_ranks),
        top_ports=list(ports["node"][:k_ports]),
        top_countries=list(countries["node"][:k_countries]),
    )


def _strings(items: object) -> list[str]:
    assert isinstance(items, list)
    return [str(i) for i in items]
