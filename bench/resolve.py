"""Entity resolution of 1 million party records on 2 cores: greymap beside plain Splink.

Both resolve the same generated records (``bench/resolve_data.py``) in their own process,
one after the other, so each reports its own wall time and peak memory (the child's
maximum resident set, DuckDB included), and pairwise precision and recall against the
records' true firms:

* **greymap**: ``greymap.entities.resolve.resolve_records`` (name keys from rigour, one
  profile per distinct description, blocking on name keys, addresses and identifiers, EM
  training, constrained clustering);
* **plain Splink**: the records as written (lower-cased name, address, country), Splink's
  own comparisons (Jaro-Winkler on name and address, exact country), blocking on name
  prefixes, the same training steps, Splink's connected-components clustering.

    python bench/resolve.py [--records 1000000] [--seed 1] [--out DIR]

The figures go to docs/benchmarks.md (section "Entity resolution").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

THRESHOLD_PLAIN = 0.9


def pairwise(assigned: dict[str, str], truth: dict[str, str]) -> dict[str, float]:
    both: Counter[tuple[str, str]] = Counter()
    clusters: Counter[str] = Counter()
    parties: Counter[str] = Counter()
    for record, cluster in assigned.items():
        party = truth[record]
        both[(cluster, party)] += 1
        clusters[cluster] += 1
        parties[party] += 1

    def pairs(counts: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    tp, predicted, true = pairs(both), pairs(clusters), pairs(parties)
    precision, recall = tp / predicted if predicted else 1.0, tp / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def run_greymap(data: Path) -> dict[str, Any]:
    from greymap import Workspace
    from greymap.entities.resolve import ResolveParams, resolve_records

    with tempfile.TemporaryDirectory() as tmp, Workspace(Path(tmp) / "ws", threads=2) as ws:
        started = time.perf_counter()
        ws.con.execute(
            f"""CREATE TEMP TABLE party_records AS SELECT record_id, 'shipment' AS source,
                record_id AS source_key, 'shipper' AS role, 'org' AS kind, name,
                []::VARCHAR[] AS aliases, address,
                CASE WHEN country IS NULL THEN []::VARCHAR[] ELSE [country] END AS countries,
                []::VARCHAR[] AS identifiers, NULL::VARCHAR AS birth_date,
                NULL::VARCHAR AS dataset, NULL::VARCHAR AS entity_id, FALSE AS sanctioned
            FROM read_parquet('{data}')"""
        )
        result = resolve_records(ws, ResolveParams(), started=started)
        seconds = time.perf_counter() - started
        assigned = dict(
            ws.con.execute("SELECT record_id, cluster_id FROM entity_records").fetchall()
        )
        truth = dict(
            ws.con.execute(f"SELECT record_id, true_id FROM read_parquet('{data}')").fetchall()
        )
    return {
        "method": "greymap",
        "seconds": round(seconds, 1),
        "profiles": result.profiles,
        "pairs_scored": result.pairs_scored,
        "entities": result.entities,
        "stages": result.stages,
        **pairwise(assigned, truth),
    }


def run_plain(data: Path) -> dict[str, Any]:
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    con = duckdb.connect(config={"threads": 2, "memory_limit": "3GB"})
    con.execute("SET enable_progress_bar = false")
    started = time.perf_counter()
    con.execute(
        f"""CREATE TABLE records AS SELECT record_id AS unique_id, lower(name) AS name,
            lower(address) AS address, country FROM read_parquet('{data}')"""
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("name", [0.95, 0.88]),
            cl.JaroWinklerAtThresholds("address", [0.95, 0.85]),
            cl.ExactMatch("country"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("name"),
            block_on("substr(name, 1, 6)", "country"),
            block_on("substr(address, 1, 8)", "country"),
        ],
    )
    api = DuckDBAPI(connection=con)
    linker = Linker(api.register("records"), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("name", "country")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e5, seed=42)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("name"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("substr(address, 1, 8)", "country")
    )
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, THRESHOLD_PLAIN
    )
    rows = con.execute(f"SELECT unique_id, cluster_id FROM {clusters.physical_name}").fetchall()
    seconds = time.perf_counter() - started
    assigned = {str(a): str(b) for a, b in rows}
    truth = dict(con.execute(f"SELECT record_id, true_id FROM read_parquet('{data}')").fetchall())
    return {
        "method": "plain Splink",
        "seconds": round(seconds, 1),
        "entities": len(set(assigned.values())),
        **pairwise(assigned, truth),
    }


def measure(method: str, data: Path) -> dict[str, Any]:
    """Run one method in a child process; its peak memory is the child's maximum RSS."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--worker", method, "--data", str(data)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{method} failed with status {proc.returncode}")
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    result["peak_memory_gib"] = round(usage.ru_maxrss / 1024 / 1024, 2)
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "greymap-bench")
    parser.add_argument("--worker", choices=("greymap", "plain"))
    parser.add_argument("--data", type=Path)
    args = parser.parse_args(argv)
    if args.worker:
        result = run_greymap(args.data) if args.worker == "greymap" else run_plain(args.data)
        print(json.dumps(result))
        return
    from resolve_data import generate

    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    data = generate(
        args.out / f"parties-{args.records}-{args.seed}.parquet", args.records, args.seed
    )
    print(f"{args.records:,} records in {data} ({time.perf_counter() - started:.0f} s to make)")
    for method in ("greymap", "plain"):
        print(json.dumps(measure(method, data)))


if __name__ == "__main__":
    main()
