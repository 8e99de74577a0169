"""Resolution and the middlemen ranking on simulated worlds, judged by their ground truth.

The score's parameters and the match thresholds were tuned on the worlds of seeds 1 and 2
at scale 1 (docs/entity-resolution.md, docs/middlemen.md); these tests use other seeds, at
scale 0.5 to keep each under half a minute.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from greymap import Workspace
from greymap.entities.evaluate import load_truth, middlemen_precision, resolution_scores
from greymap.entities.middlemen import run_middlemen
from greymap.entities.resolve import resolve
from greymap.flows import PriceParams, run_prices
from greymap.flows.routes import RouteParams
from greymap.flows.run import run_routes
from greymap.simulate import simulate
from greymap.workspace import ingest_files


@pytest.mark.slow
@pytest.mark.parametrize("seed", [3, 4])
def test_resolution_and_middlemen_on_a_simulated_world(tmp_path: Path, seed: int) -> None:
    world = tmp_path / "world"
    written = simulate(world, seed=seed, scale=0.5)
    truth = load_truth(world)
    with Workspace(tmp_path / "ws") as ws:
        written.ingest_into(ws)
        run_prices(ws, PriceParams())
        run_routes(ws, RouteParams())
        resolve(ws)
        scores = resolution_scores(ws, truth)
        run_middlemen(ws)
        precision, k, parties = middlemen_precision(ws, truth)
        # large legitimate forwarders never reach the top
        kinds = {f: v["kind"] for f, v in truth["firms"].items()}
        top = [kinds.get(p) for p in parties]
    assert scores["all"].f1 >= 0.9, scores
    assert scores["org"].precision >= 0.95
    assert k == min(20, len(truth["middlemen"]))
    assert precision >= 0.7, (precision, top)
    assert "forwarder" not in top


@pytest.mark.slow
def test_incremental_matches_a_full_run(tmp_path: Path) -> None:
    """Bills of lading in two batches (by arrival date): the second resolved incrementally
    against the first's clusters agrees with one full run on all of them (tolerance in
    docs/entity-resolution.md: pairwise agreement F1 of at least 0.98)."""
    import csv

    from greymap.entities.evaluate import pair_scores

    world = tmp_path / "world"
    simulate(world, seed=5, scale=0.3)
    with (world / "shipments.csv").open(encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: r["arrival_date"])
    batches = [tmp_path / "first.csv", tmp_path / "second.csv"]
    for path, part in zip(batches, (rows[: len(rows) // 2], rows[len(rows) // 2 :]), strict=True):
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(part)

    def assignments(ws: Workspace) -> dict[str, str]:
        return dict(ws.con.execute("SELECT record_id, cluster_id FROM entity_records").fetchall())

    with Workspace(tmp_path / "full") as ws:
        ingest_files(ws, "shipments", batches)
        ingest_files(ws, "ftm", [world / "entities.ftm.jsonl"])
        resolve(ws)
        full = assignments(ws)
    with Workspace(tmp_path / "incremental") as ws:
        ingest_files(ws, "shipments", batches[:1])
        ingest_files(ws, "ftm", [world / "entities.ftm.jsonl"])
        resolve(ws)
        ingest_files(ws, "shipments", batches[1:])
        result = resolve(ws, incremental=True)
        incremental = assignments(ws)
    assert result.mode == "incremental"
    assert 0 < result.new_profiles < result.profiles / 2
    assert incremental.keys() == full.keys()
    agreement = pair_scores(incremental.items(), full)
    assert agreement.f1 >= 0.98, agreement
    same_id = sum(incremental[r] == full[r] for r in full) / len(full)
    assert same_id >= 0.95
