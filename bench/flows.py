"""Mirror-analysis benchmark: greymap against one hand-written DuckDB query and pandas.

Builds (deterministically) a workspace whose ``trade_flows`` holds ``--rows`` reported
flows: both views (the exporter's X and the importer's M) of random country pairs,
products and years, with reporting noise, some one-sided reports, re-exports and a few
mis-invoiced flows. Then times, each in a fresh subprocess on the same file:

* ``greymap``: the full ``flows mirror`` analysis (CIF/FOB estimation, re-export and
  special-partner credits, classification and timing offsets, robust z, reliability);
* ``sql``: one hand-written DuckDB query for the core of it (annual totals, the full outer
  join of exports with imports, gap and log ratio), the figure the issue names;
* ``pandas``: the same core in pandas (groupby, outer merge), in memory;
* ``spark``: greymap's plan on Spark in local mode (``--spark``).

Wall time is the median of ``--repeat`` runs, peak memory the largest resident set size
of the subprocess. Results go to ``bench/out/flows-<rows>.json``.
Run: ``python bench/flows.py --rows 10000000 [--spark]``; ``--rows 100000000`` for the
out-of-memory-for-pandas case (pandas is skipped above ``--pandas-max-rows``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _machine import describe_machine

OUT = Path(__file__).resolve().parent / "out"

CORE_SQL = """
CREATE OR REPLACE TABLE core_gaps AS
WITH annual AS (
    SELECT reporter, partner, flow, hs_code, year, sum(value_usd) AS value_usd
    FROM trade_flows
    WHERE partner IS NOT NULL AND flow IN ('export', 'import') AND flow_detail = flow
    GROUP BY ALL)
SELECT coalesce(x.reporter, m.partner) AS exporter, coalesce(x.partner, m.reporter) AS importer,
       coalesce(x.hs_code, m.hs_code) AS hs_code, coalesce(x.year, m.year) AS year,
       coalesce(x.value_usd, 0) AS exports_reported_usd,
       coalesce(m.value_usd, 0) AS imports_reported_usd,
       coalesce(m.value_usd, 0) / 1.06 - coalesce(x.value_usd, 0) AS gap_usd,
       ln((coalesce(m.value_usd, 0) / 1.06 + 1000) / (coalesce(x.value_usd, 0) + 1000)) AS log_ratio
FROM (SELECT * FROM annual WHERE flow = 'export') x
FULL OUTER JOIN (SELECT * FROM annual WHERE flow = 'import') m
  ON x.reporter = m.partner AND x.partner = m.reporter
 AND x.hs_code = m.hs_code AND x.year = m.year
"""


def generate(path: Path, rows: int, seed: int) -> None:
    """A workspace with ``rows`` trade flows, made in SQL so 100 million rows fit."""
    from greymap import Workspace

    if path.exists():
        import shutil

        shutil.rmtree(path)
    pairs = rows // 2
    with Workspace(path) as ws:
        con = ws.con
        from greymap.reference.countries import iso3_codes
        from greymap.reference.hs import nomenclature

        countries = sorted(iso3_codes())[:200]
        codes = sorted(c for c, v in nomenclature().items() if v[0] == 6)[:5000]
        con.execute(
            "CREATE TEMP TABLE cc AS SELECT * FROM (SELECT unnest(?) AS iso3, generate_subscripts(?, 1) - 1 AS i)",
            [countries, countries],
        )
        con.execute(
            "CREATE TEMP TABLE hh AS SELECT * FROM (SELECT unnest(?) AS hs, generate_subscripts(?, 1) - 1 AS i)",
            [codes, codes],
        )
        nc, nh = len(countries), len(codes)
        # One true flow per id: exporter, importer, product, year, value; the exporter
        # reports it (X) 95% of the time, the importer (M, CIF ~ +6%) 93%; 1% mis-invoiced.
        con.execute(
            f"""
            CREATE TEMP TABLE truth AS
            SELECT id,
                   hash(id, {seed}, 1) % {nc} AS e,
                   (hash(id, {seed}, 1) % {nc} + 1 + hash(id, {seed}, 2) % ({nc} - 1)) % {nc} AS m,
                   hash(id, {seed}, 3) % {nh} AS h,
                   2019 + hash(id, {seed}, 4) % 4 AS year,
                   exp(8 + 3 * ((hash(id, {seed}, 5) % 10000) / 10000.0)) AS value,
                   (hash(id, {seed}, 6) % 100) < 95 AS x_reported,
                   (hash(id, {seed}, 7) % 100) < 93 AS m_reported,
                   CASE WHEN hash(id, {seed}, 8) % 100 = 0 THEN 0.4 ELSE 1.0 END AS invoiced,
                   1 + ((hash(id, {seed}, 9) % 1000) / 1000.0 - 0.5) * 0.1 AS noise
            FROM range({pairs}) t(id)
            """
        )
        con.execute(
            """
            INSERT INTO trade_flows (source, reporter, partner, flow, flow_detail, hs_code, year,
                                     value_usd, net_weight_kg, ingest_id, source_row)
            SELECT 'bench', ce.iso3, cm.iso3, 'export', 'export', hh.hs, t.year, t.value,
                   t.value / 10, 0, t.id
            FROM truth t JOIN cc ce ON ce.i = t.e JOIN cc cm ON cm.i = t.m JOIN hh ON hh.i = t.h
            WHERE t.x_reported
            UNION ALL
            SELECT 'bench', cm.iso3, ce.iso3, 'import', 'import', hh.hs, t.year,
                   t.value * 1.06 * t.noise * t.invoiced, t.value / 10, 0, t.id
            FROM truth t JOIN cc ce ON ce.i = t.e JOIN cc cm ON cm.i = t.m JOIN hh ON hh.i = t.h
            WHERE t.m_reported
            """
        )
        con.execute("CHECKPOINT")


VARIANTS = ("greymap", "sql", "pandas", "spark")


def run_variant(name: str, path: Path) -> None:
    """Runs inside the child process."""
    from greymap import Workspace

    if name == "greymap" or name == "spark":
        from greymap.flows import MirrorParams, run_mirror

        with Workspace(path) as ws:
            record = run_mirror(
                ws, MirrorParams(), engine="duckdb" if name == "greymap" else "spark"
            )
            print(json.dumps({"rows_out": record.rows}))
    elif name == "sql":
        with Workspace(path) as ws:
            ws.con.execute(CORE_SQL)
            print(json.dumps({"rows_out": ws.scalar("SELECT count(*) FROM core_gaps")}))
    elif name == "pandas":
        import numpy as np

        with Workspace(path, read_only=True) as ws:
            df = ws.con.execute(
                "SELECT reporter, partner, flow, hs_code, year, value_usd FROM trade_flows "
                "WHERE partner IS NOT NULL AND flow IN ('export', 'import') AND flow_detail = flow"
            ).df()
        annual = df.groupby(["reporter", "partner", "flow", "hs_code", "year"], as_index=False)[
            "value_usd"
        ].sum()
        x = annual[annual.flow == "export"].rename(
            columns={"reporter": "exporter", "partner": "importer", "value_usd": "x"}
        )
        m = annual[annual.flow == "import"].rename(
            columns={"reporter": "importer", "partner": "exporter", "value_usd": "m"}
        )
        j = x.drop(columns="flow").merge(
            m.drop(columns="flow"), on=["exporter", "importer", "hs_code", "year"], how="outer"
        )
        j[["x", "m"]] = j[["x", "m"]].fillna(0)
        j["gap_usd"] = j.m / 1.06 - j.x
        j["log_ratio"] = np.log((j.m / 1.06 + 1000) / (j.x + 1000))
        print(json.dumps({"rows_out": len(j)}))


def measure(name: str, path: Path) -> dict[str, object]:
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", name, "--path", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    out = proc.stdout.read() if proc.stdout else ""
    err = proc.stderr.read() if proc.stderr else ""
    ok = os.waitstatus_to_exitcode(status) == 0
    result: dict[str, object] = {
        "variant": name,
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        # CPU time of the subprocess: less sensitive than wall time to other jobs
        # competing for the same cores.
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "ok": ok,
    }
    if ok:
        result.update(json.loads(out.strip().splitlines()[-1]))
    else:
        result["error"] = err.strip().splitlines()[-1] if err.strip() else f"exit {status}"
    return result


def machine() -> dict[str, object]:
    return describe_machine()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--spark", action="store_true", help="also time the Spark engine")
    parser.add_argument("--pandas-max-rows", type=int, default=30_000_000)
    parser.add_argument("--child", choices=VARIANTS)
    parser.add_argument("--path", type=Path)
    args = parser.parse_args()
    if args.child:
        run_variant(args.child, args.path)
        return
    OUT.mkdir(exist_ok=True)
    path = OUT / f"flows-{args.rows}"
    started = time.perf_counter()
    generate(path, args.rows, args.seed)
    print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s", flush=True)
    variants = ["sql", "greymap"]
    if args.rows <= args.pandas_max_rows:
        variants.append("pandas")
    if args.spark:
        variants.append("spark")
    results = []
    for name in variants:
        runs = [measure(name, path) for _ in range(1 if name == "spark" else args.repeat)]
        seconds = statistics.median(r["seconds"] for r in runs)  # type: ignore[misc]
        best = dict(runs[0])
        best["seconds"] = seconds
        best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)  # type: ignore[type-var]
        best["runs"] = [r["seconds"] for r in runs]
        best["cpu_seconds"] = statistics.median(r["cpu_seconds"] for r in runs)  # type: ignore[misc]
        results.append(best)
        print(json.dumps(best), flush=True)
    base = next(r for r in results if r["variant"] == "sql")["seconds"]
    base_cpu = next(r for r in results if r["variant"] == "sql")["cpu_seconds"]
    for r in results:
        r["ratio_to_sql"] = round(float(r["seconds"]) / float(base), 2)  # type: ignore[arg-type]
        r["cpu_ratio_to_sql"] = round(float(r["cpu_seconds"]) / float(base_cpu), 2)  # type: ignore[arg-type]
    report = {"rows": args.rows, "machine": machine(), "results": results}
    (OUT / f"flows-{args.rows}.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
