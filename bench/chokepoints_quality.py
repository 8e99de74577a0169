"""Choke points and interdiction on simulated worlds, against their ground truth.

Each seed makes a fresh world at ``--scale``, ingests its trade, shipment, seizure and
entity files, runs the evidence analyses (mirror gaps, prices, routes), weighs shipments
and ranks the port and country layers: precision at k (k = planted hubs) of planted hub
ports and transit countries, and the best rank of a busy clean hub. It then compares the
interdiction plans (naive MILP, robust MILP, degree and volume baselines) at
``--budget`` ports, before and after rerouting. Seeds 1-5 were used for tuning; report
final figures on seeds from 301 up, once. Run:
``python bench/chokepoints_quality.py --seeds 301-306``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from greymap import Workspace
from greymap.flows import MirrorParams, PriceParams, RouteParams, run_mirror, run_prices, run_routes
from greymap.flows.evaluate import load_truth
from greymap.network import InterdictParams, run_interdiction, run_suspicion
from greymap.network.evaluate import precision_at_k
from greymap.simulate import SimulationResult, simulate

OUT = Path(__file__).resolve().parent / "out"


def seeds(text: str) -> list[int]:
    if "-" in text:
        low, high = text.split("-")
        return list(range(int(low), int(high) + 1))
    return [int(s) for s in text.split(",")]


#: What the suspicion weight reads (the indicators are not needed).
FORMATS = ("comtrade", "shipments", "incidents", "ftm")


def prepare(written: SimulationResult, ws: Workspace) -> None:
    """Ingest a simulated world and run the analyses the suspicion weight reads."""
    written.ingest_into(ws, FORMATS)
    run_mirror(ws, MirrorParams())
    run_prices(ws, PriceParams())
    run_routes(ws, RouteParams())
    run_suspicion(ws)


def one_seed(seed: int, scale: float, budget: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        world = Path(tmp) / "world"
        written = simulate(world, seed=seed, scale=scale)
        with Workspace(Path(tmp) / "ws") as ws:
            prepare(written, ws)
            result = asdict(precision_at_k(ws, load_truth(world)))
            started = time.perf_counter()
            _, summary = run_interdiction(ws, "port", InterdictParams(budget=budget), reuse=True)
            result["interdiction_seconds"] = round(time.perf_counter() - started, 2)
    for row in summary.to_dict("records"):
        result[f"{row['plan']}_before"] = round(row["share_before"], 4)
        result[f"{row['plan']}_after"] = round(row["share_after"], 4)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", default="301-306")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--budget", type=int, default=5)
    args = parser.parse_args()
    rows = []
    for seed in seeds(args.seeds):
        rows.append(one_seed(seed, args.scale, args.budget))
        print(json.dumps(rows[-1]), flush=True)
    keys = [k for k in rows[0] if isinstance(rows[0][k], float) and k != "seed"]
    summary = {
        key: {"min": min(r[key] for r in rows), "median": statistics.median(r[key] for r in rows)}
        for key in keys
    }
    summary["clean_in_top_k_max"] = max(r["clean_in_top_k"] for r in rows)
    print(json.dumps({"scale": args.scale, "budget": args.budget, "summary": summary}, indent=2))
    OUT.mkdir(exist_ok=True)
    (OUT / "chokepoints-quality.json").write_text(
        json.dumps({"seeds": args.seeds, "rows": rows, "summary": summary}, indent=2),
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
