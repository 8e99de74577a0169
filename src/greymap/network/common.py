"""Common choke points: per-sector scores combined so that breadth across sectors counts.

*Per sector.* A node's route betweenness in sector ``s`` is the scored value ``S`` and
the total value ``T`` of the sector's journeys passing through it, where a journey of value
``v`` and suspicion weight ``w`` scores ``v * w ** sharpness`` (2 by default): many slightly
suspicious journeys (``w = 0.2`` scores 4% of the value) do not add up to what a few
clearly suspicious ones do (``w = 0.9`` scores 81%), since weak evidence (a small mirror gap,
a counterparty of a flagged firm) is common in legitimate trade. Volume alone must not
decide -- a busy hub carries some suspicious-looking value simply because it carries
much of everything -- so the sector score is the *excess* suspicious value::

    excess_s(v) = max(0, S_s(v) - contrast * rho_s * T_s(v))

where ``rho_s`` is the scored share of the sector's journeys overall (scored value /
value): what the node would carry if suspicion were spread in proportion to
traffic. A hub whose traffic is as clean as the sector's average scores 0 however busy.

*Combined.* A node's share of sector ``s`` is ``excess_s(v) / sum_u excess_s(u)``; the
common score is the sum of its shares over sectors::

    score(v) = sum_s excess_s(v) / sum_u excess_s(u)

i.e. the expected share of a sector's excess suspicious flow that a control at ``v``
would meet, times the number of sectors. A hub that carries a fifth of four sectors'
flow (0.8) outranks one carrying half of a single sector's (0.5): the breadth the issue
asks for, without letting many negligible shares add up (a share of 1% in each of 13
sectors is still 0.13). Goods declared under codes of no sector (often cover codes)
form their own bucket, ``unclassified``, which counts like a sector. ``sectors`` lists
the sectors in which the node holds at least ``min_share`` of the excess.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from greymap.network.centrality import route_betweenness
from greymap.network.layers import UNCLASSIFIED, Layer


@dataclass(frozen=True)
class CommonParams:
    """How per-sector scores are made and combined; stored with every run."""

    contrast: float = 1.5
    sharpness: float = 2.0
    min_share: float = 0.05
    unclassified_weight: float = 0.5

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def sector_scores(layer: Layer, params: CommonParams) -> pd.DataFrame:
    """Per (node, sector): suspicious and total value through the node, excess, share."""
    table = route_betweenness(layer, sharpness=params.sharpness)
    rho = _sector_rho(layer, params.sharpness)
    table["rho"] = table["sector"].map(rho).fillna(0.0)
    table["excess"] = np.maximum(
        0.0, table["suspicious_value"] - params.contrast * table["rho"] * table["total_value"]
    )
    sums = table.groupby("sector")["excess"].transform("sum")
    table["share"] = np.where(sums > 0, table["excess"] / sums.where(sums > 0, 1.0), 0.0)
    return table


def _sector_rho(layer: Layer, sharpness: float) -> dict[str, float]:
    j = layer.journeys[["sectors", "value_usd", "weight"]].copy()
    j["scored"] = j["value_usd"] * j["weight"] ** sharpness
    sums = j.explode("sectors").groupby("sectors")[["scored", "value_usd"]].sum()
    ratio = sums["scored"] / sums["value_usd"].where(sums["value_usd"] > 0)
    return {str(k): float(v) for k, v in ratio.fillna(0.0).items()}


def common_scores(layer: Layer, params: CommonParams | None = None) -> pd.DataFrame:
    """One row per node that any journey passes through, best first: ``score`` (sum of
    sector shares), suspicious and total value through it, its share of the layer's
    suspicious value, the sectors where it matters."""
    params = params or CommonParams()
    per = sector_scores(layer, params)
    if per.empty:
        return _empty(layer)
    totals = _node_totals(layer)
    per["weighted_share"] = (
        np.where(per["sector"] == UNCLASSIFIED, params.unclassified_weight, 1.0) * per["share"]
    )
    score = per.groupby("node")["weighted_share"].sum()
    kept = per[per["share"] >= params.min_share].sort_values(
        ["node", "share"], ascending=[True, False]
    )
    sectors = kept.groupby("node")["sector"].agg(list)
    n_sectors = per[per["excess"] > 0].groupby("node")["sector"].nunique()
    out = totals.join(score.rename("score"), how="left")
    out["score"] = out["score"].fillna(0.0)
    out["sectors"] = [sectors.get(n, []) for n in out.index]
    out["sectors_with_excess"] = n_sectors.reindex(out.index).fillna(0).astype(int)
    out["layer"] = layer.name
    out["label"] = [layer.labels.get(n, n) for n in out.index]
    out = out.reset_index().rename(columns={"index": "node"})
    out = out.sort_values(["score", "suspicious_value_usd", "node"], ascending=[False, False, True])
    out["rank"] = np.arange(1, len(out) + 1)
    return out.reset_index(drop=True)


def _node_totals(layer: Layer) -> pd.DataFrame:
    from greymap.network.layers import explode

    hops = explode(layer)
    inner = hops[hops["interior"]].drop_duplicates(["node", "j"])
    j = layer.journeys
    idx = inner["j"].to_numpy()
    frame = pd.DataFrame(
        {
            "node": inner["node"].to_numpy(),
            "suspicious_value_usd": j["suspicious_value_usd"].to_numpy()[idx],
            "total_value_usd": j["value_usd"].to_numpy()[idx],
        }
    )
    sums = frame.groupby("node")[["suspicious_value_usd", "total_value_usd"]].sum()
    sums["journeys"] = frame.groupby("node").size()
    total = float(j["suspicious_value_usd"].sum())
    sums["suspicious_share"] = sums["suspicious_value_usd"] / total if total > 0 else 0.0
    sums["suspicious_ratio"] = sums["suspicious_value_usd"] / sums["total_value_usd"].where(
        sums["total_value_usd"] > 0
    )
    sums.index.name = "node"
    return sums


def _empty(layer: Layer) -> pd.DataFrame:
    cols = [
        "node",
        "label",
        "layer",
        "score",
        "suspicious_value_usd",
        "suspicious_share",
        "sectors",
        "total_value_usd",
        "suspicious_ratio",
        "journeys",
        "sectors_with_excess",
        "rank",
    ]
    return pd.DataFrame(columns=cols)
