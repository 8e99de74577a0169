"""Entity resolution and the middlemen ranking on simulated worlds, seed by seed.

For each seed: simulate a world, ingest it, run the price and route analyses (the
suspicion signals), resolve, rank middlemen, and score both against the ground truth:
pairwise precision, recall and F1 of resolution (all records, and firms, people and
vessels apart) and precision at k of the middlemen (k = the number planted, at most 20).
Seeds 1 and 2 are the tuning seeds; report the others.

    python bench/entities_quality.py [--seeds 3,4,5,6,7,8] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from greymap import Workspace
from greymap.entities.evaluate import load_truth, middlemen_precision, resolution_scores
from greymap.entities.middlemen import run_middlemen
from greymap.entities.resolve import resolve
from greymap.flows import PriceParams, run_prices
from greymap.flows.routes import RouteParams
from greymap.flows.run import run_routes
from greymap.simulate import simulate


def evaluate(seed: int, scale: float, folder: Path) -> dict[str, object]:
    world = folder / f"world-{seed}"
    written = simulate(world, seed=seed, scale=scale)
    truth = load_truth(world)
    with Workspace(folder / f"ws-{seed}") as ws:
        written.ingest_into(ws)
        run_prices(ws, PriceParams())
        run_routes(ws, RouteParams())
        started = time.perf_counter()
        result = resolve(ws)
        seconds = time.perf_counter() - started
        scores = resolution_scores(ws, truth)
        run_middlemen(ws)
        precision, k, _ = middlemen_precision(ws, truth)
    out: dict[str, object] = {"seed": seed, "scale": scale, "records": result.records}
    out["resolve_seconds"] = round(seconds, 1)
    for kind, s in scores.items():
        out[f"{kind}_precision"] = round(s.precision, 4)
        out[f"{kind}_recall"] = round(s.recall, 4)
        out[f"{kind}_f1"] = round(s.f1, 4)
    out["middlemen_k"] = k
    out["middlemen_precision_at_k"] = round(precision, 3)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="3,4,5,6,7,8")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in (int(s) for s in args.seeds.split(",")):
            print(json.dumps(evaluate(seed, args.scale, Path(tmp))), flush=True)


if __name__ == "__main__":
    main()
