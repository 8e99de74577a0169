"""Precision at 50 of ``flows mirror`` and ``flows prices`` on simulated worlds.

Each seed makes a fresh world at ``--scale``, ingests its Comtrade and shipment files and
scores both analyses against the world's ground truth (see greymap.flows.evaluate for
what counts as planted). Seeds 1-199 were free for tuning; report final figures on seeds
from 200 up, once. Run: ``python bench/flows_quality.py --seeds 201-210``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from dataclasses import asdict
from pathlib import Path

from greymap import Workspace, ingest_files
from greymap.flows import MirrorParams, PriceParams, run_mirror, run_prices
from greymap.flows.evaluate import load_truth, precision_at_k
from greymap.simulate import simulate

OUT = Path(__file__).resolve().parent / "out"


def seeds(text: str) -> list[int]:
    if "-" in text:
        low, high = text.split("-")
        return list(range(int(low), int(high) + 1))
    return [int(s) for s in text.split(",")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", default="201-210")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--k", type=int, default=50)
    args = parser.parse_args()
    rows = []
    for seed in seeds(args.seeds):
        with tempfile.TemporaryDirectory() as tmp:
            world = Path(tmp) / "world"
            simulate(world, seed=seed, scale=args.scale)
            with Workspace(Path(tmp) / "ws") as ws:
                ingest_files(ws, "comtrade", [world / "comtrade.csv"])
                ingest_files(ws, "shipments", [world / "shipments.csv"])
                run_mirror(ws, MirrorParams())
                run_prices(ws, PriceParams())
                result = precision_at_k(ws, load_truth(world), k=args.k)
        rows.append(asdict(result))
        print(json.dumps(rows[-1]), flush=True)
    keys = (
        "mirror",
        "mirror_misinvoiced_only",
        "mirror_misinvoiced_in_value",
        "mirror_network_in_quantity",
        "prices_under",
        "prices_under_value_only",
    )
    summary = {
        key: {
            "min": min(r[key] for r in rows),
            "median": round(statistics.median(r[key] for r in rows), 3),
        }
        for key in keys
    }
    print(json.dumps({"scale": args.scale, "k": args.k, "summary": summary}, indent=2))
    OUT.mkdir(exist_ok=True)
    (OUT / "flows-quality.json").write_text(
        json.dumps({"rows": rows, "summary": summary}, indent=2)
    )


if __name__ == "__main__":
    main()
