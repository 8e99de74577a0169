"""On simulated worlds (seeds not used for tuning), planted flows rank at the top."""

from __future__ import annotations

from pathlib import Path

import pytest

from greymap import Workspace, ingest_files
from greymap.flows import MirrorParams, PriceParams, run_mirror, run_prices
from greymap.flows.evaluate import load_truth, precision_at_k
from greymap.simulate import simulate


@pytest.mark.slow
@pytest.mark.parametrize("seed", [11, 12])
def test_planted_flows_rank_high(tmp_path: Path, seed: int) -> None:
    world = tmp_path / "world"
    simulate(world, seed=seed, scale=1.0)
    with Workspace(tmp_path / "ws") as ws:
        ingest_files(ws, "comtrade", [world / "comtrade.csv"])
        ingest_files(ws, "shipments", [world / "shipments.csv"])
        run_mirror(ws, MirrorParams())
        run_prices(ws, PriceParams())
        result = precision_at_k(ws, load_truth(world), k=50)
    assert result.mirror >= 0.8, result
    # Within the gaps whose declared weights agree, the misinvoiced flows alone rank high.
    assert result.mirror_misinvoiced_in_value >= 0.8, result
    assert result.prices_under >= 0.8, result
