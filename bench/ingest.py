"""Ingest benchmark: ``greymap ingest comtrade`` against DuckDB's own ``read_csv``.

Generates (deterministically, from ``--seed``) a Comtrade+ CSV of ``--rows`` rows into
``bench/out/`` (git-ignored), then times, in the same run and each in a fresh subprocess:

* baseline: DuckDB ``CREATE TABLE t AS SELECT * FROM read_csv(file)`` into a new database
  file, with its own type detection and no validation;
* greymap: ``greymap --workspace NEW ingest comtrade file --format json``, which stages the
  file, validates every row in SQL (countries, HS codes, flows, periods, values), loads the
  good rows into ``trade_flows`` and quarantines the bad ones with their reasons.

Wall time is the median of ``--repeat`` runs; peak memory is the largest resident set
size of the subprocess (from ``wait4``). Results are printed and written to
``bench/out/ingest-<rows>.json``. Run with ``make bench`` or ``python bench/ingest.py --rows N``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pycountry

from _machine import describe_machine
from greymap.reference.hs import nomenclature
from greymap.sources.comtrade import comtrade_areas

OUT = Path(__file__).resolve().parent / "out"

#: ISO numeric codes Comtrade replaces by its own (see reference/data/comtrade_areas.csv).
REPLACED = {"840": "842", "250": "251", "356": "699", "756": "757", "578": "579", "380": "381"}
SPECIAL_PARTNERS = ("0", "899", "837", "838", "839", "568")

COLUMNS = (
    "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,"
    "reporterDesc,flowCode,flowDesc,partnerCode,partnerISO,partnerDesc,partner2Code,"
    "partner2ISO,partner2Desc,classificationCode,classificationSearchCode,"
    "isOriginalClassification,cmdCode,cmdDesc,aggrLevel,isLeaf,customsCode,customsDesc,"
    "mosCode,motCode,motDesc,qtyUnitCode,qtyUnitAbbr,qty,isQtyEstimated,altQtyUnitCode,"
    "altQtyUnitAbbr,altQty,isAltQtyEstimated,netWgt,isNetWgtEstimated,grossWgt,"
    "isGrossWgtEstimated,cifvalue,fobvalue,primaryValue,legacyEstimationFlag,isReported,"
    "isAggregate"
)

#: Bump when the generated file changes, so a cached file is rebuilt.
GENERATOR = "2"

#: Bad rows per thousand, by kind (about 3% in all).
BAD = (("reporter", 6), ("hs", 6), ("value", 6), ("flow", 6), ("period", 6))


@dataclass
class Run:
    name: str
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    output: str


# -- data --------------------------------------------------------------------------------
def _areas() -> list[tuple[str, str, str]]:
    """(code, ISO-like code, name) for reporters; specials are appended for partners."""
    own = comtrade_areas()
    rows = []
    for country in pycountry.countries:
        code = str(int(country.numeric))
        code = REPLACED.get(code, code)
        if code in own and own[code].iso3 != country.alpha_3:
            continue  # Comtrade gives this ISO number to another area (492 Monaco)
        rows.append((code, country.alpha_3, country.name))
    rows.append(("490", "S19", "Other Asia, nes"))
    isos = {"0": "W00", "899": "_X ", "837": "X1 ", "838": "X2 ", "839": "XX ", "568": "E19"}
    rows += [(code, isos[code], own[code].name) for code in SPECIAL_PARTNERS]
    return rows


def generate(path: Path, rows: int, seed: int) -> None:
    """Write the CSV with DuckDB (hash-based draws, so the file depends only on seed and
    rows for a given DuckDB version); rows are ordered, so the file is reproducible."""
    areas = _areas()
    codes = [(c, d) for c, (level, d, _) in nomenclature().items() if level == 6]
    con = duckdb.connect()
    con.execute("CREATE TABLE area (idx INTEGER, code VARCHAR, iso VARCHAR, name VARCHAR)")
    con.executemany("INSERT INTO area VALUES (?, ?, ?, ?)", [(i, *a) for i, a in enumerate(areas)])
    con.execute("CREATE TABLE hs (idx INTEGER, code VARCHAR, descr VARCHAR)")
    con.executemany("INSERT INTO hs VALUES (?, ?, ?)", [(i, *h) for i, h in enumerate(codes)])
    n_rep, n_par, n_hs = len(areas) - len(SPECIAL_PARTNERS), len(areas), len(codes)
    con.execute(_generator_sql(path, rows, seed, n_rep, n_par, n_hs))


def _generator_sql(path: Path, rows: int, seed: int, n_rep: int, n_par: int, n_hs: int) -> str:
    bounds, start = {}, 0
    for kind, per_mille in BAD:
        bounds[kind] = f"(b >= {start} AND b < {start + per_mille})"
        start += per_mille
    return f"""
    COPY (
      WITH d AS (
        SELECT i, hash(i, {seed}, 1) % {n_rep} AS ri, hash(i, {seed}, 2) % {n_par} AS pi,
               hash(i, {seed}, 3) % {n_hs} AS hi, hash(i, {seed}, 4) AS h4,
               hash(i, {seed}, 5) % 1000 AS b,
               2015 + hash(i, {seed}, 6) % 9 AS yr, 1 + hash(i, {seed}, 7) % 12 AS mo
        FROM range({rows}) t(i)
      ), e AS (
        SELECT d.*, r.code AS rcode, r.iso AS riso, r.name AS rname,
               p.code AS pcode, p.iso AS piso, p.name AS pname, h.code AS cmd, h.descr,
               CASE WHEN h4 % 2 = 0 THEN 'M' ELSE 'X' END AS fl,
               round(exp((h4 >> 8) % 1500 / 100.0), 2) AS val,
               round(exp((h4 >> 8) % 1500 / 100.0) / (0.5 + (h4 >> 20) % 200 / 10.0), 3) AS kg
        FROM d JOIN area r ON r.idx = d.ri JOIN area p ON p.idx = d.pi JOIN hs h ON h.idx = d.hi
      )
      SELECT 'C' AS typeCode, 'M' AS freqCode,
             printf('%d%02d01', yr, mo) AS refPeriodId, yr AS refYear, mo AS refMonth,
             CASE WHEN {bounds["period"]} THEN printf('%d13', yr)
                  ELSE printf('%d%02d', yr, mo) END AS period,
             CASE WHEN {bounds["reporter"]} THEN '999' ELSE rcode END AS reporterCode,
             riso AS reporterISO, rname AS reporterDesc,
             CASE WHEN {bounds["flow"]} THEN 'Z' ELSE fl END AS flowCode,
             CASE fl WHEN 'M' THEN 'Import' ELSE 'Export' END AS flowDesc,
             pcode AS partnerCode, piso AS partnerISO, pname AS partnerDesc,
             0 AS partner2Code, 'W00' AS partner2ISO, 'World' AS partner2Desc,
             'H5' AS classificationCode, 'HS' AS classificationSearchCode,
             true AS isOriginalClassification,
             CASE WHEN {bounds["hs"]} THEN '999998' ELSE cmd END AS cmdCode, descr AS cmdDesc,
             6 AS aggrLevel, true AS isLeaf, 'C00' AS customsCode, 'TOTAL CPC' AS customsDesc,
             0 AS mosCode, 0 AS motCode, 'TOTAL MOT' AS motDesc,
             8 AS qtyUnitCode, 'kg' AS qtyUnitAbbr, kg AS qty, false AS isQtyEstimated,
             -1 AS altQtyUnitCode, 'N/A' AS altQtyUnitAbbr, 0 AS altQty,
             false AS isAltQtyEstimated, kg AS netWgt, false AS isNetWgtEstimated,
             0 AS grossWgt, false AS isGrossWgtEstimated,
             CASE WHEN fl = 'M' THEN val ELSE 0 END AS cifvalue,
             CASE WHEN fl = 'X' THEN val ELSE 0 END AS fobvalue,
             CASE WHEN {bounds["value"]} THEN -val ELSE val END AS primaryValue,
             0 AS legacyEstimationFlag, true AS isReported, false AS isAggregate
      FROM e ORDER BY i
    ) TO '{path}' (HEADER, DELIMITER ',')
    """


def ensure_data(rows: int, seed: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"comtrade_plus_{rows}_s{seed}.csv"
    stamp = path.with_suffix(".ok")
    version = f"{GENERATOR} duckdb {duckdb.__version__}"
    if not (path.exists() and stamp.exists() and stamp.read_text() == version):
        started = time.perf_counter()
        generate(path, rows, seed)
        stamp.write_text(version)
        print(
            f"generated {path.name} ({path.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - started:.1f}s",
            file=sys.stderr,
        )
    return path


# -- runs --------------------------------------------------------------------------------
BASELINE = """
import duckdb, sys
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [sys.argv[1]])
print(con.execute("SELECT count(*) FROM t").fetchone()[0])
"""


def run_once(kind: str, data: Path, scratch: Path) -> Run:
    target = scratch / kind
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    if kind == "duckdb":
        argv = [sys.executable, "-c", BASELINE, str(data), str(target / "baseline.duckdb")]
    else:
        argv = [
            sys.executable,
            "-m",
            "greymap",
            "--workspace",
            str(target / "ws"),
            "ingest",
            "comtrade",
            str(data),
            "--format",
            "json",
        ]
    run = timed(kind, argv)
    shutil.rmtree(target, ignore_errors=True)
    return run


def timed(name: str, argv: list[str]) -> Run:
    """Wall time, CPU time and peak resident memory of one subprocess (``wait4`` rusage).

    stderr goes to a file, so a chatty child cannot block on a full pipe while we read
    stdout; ``wait4`` (not ``communicate``) reaps the child to get its own rusage.
    """
    started = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=errors)
        assert proc.stdout is not None
        out = proc.stdout.read().decode()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        err = errors.read().decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed ({proc.returncode}): {err.strip()[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(name, seconds, cpu, usage.ru_maxrss / 1024, out.strip())


def machine() -> dict[str, object]:
    return describe_machine(duckdb=duckdb.__version__)


def _load_average() -> str:
    """The 1-minute load average: on a shared machine, other work slows both runs."""
    with open("/proc/loadavg", encoding="utf-8") as handle:
        return handle.read().split()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    data = ensure_data(args.rows, args.seed)
    load_before = _load_average()
    runs: dict[str, list[Run]] = {"duckdb": [], "greymap": []}
    for _ in range(args.repeat):
        for kind in runs:  # alternate, so both see the same machine load and page cache
            runs[kind].append(run_once(kind, data, OUT / "scratch"))
    report = summarise(args.rows, data, runs)
    report["load_average_before_after"] = [load_before, _load_average()]
    (OUT / f"ingest-{args.rows}.json").write_text(json.dumps(report, indent=2))
    print_report(report)
    return 0


@dataclass
class Stats:
    """Median wall and CPU seconds over the repetitions, and the largest peak RSS."""

    seconds: float
    cpu_seconds: float
    rows_per_second: int
    peak_rss_mb: int
    all_seconds: list[float]

    @classmethod
    def of(cls, rows: int, runs: list[Run]) -> Stats:
        seconds = statistics.median(r.seconds for r in runs)
        return cls(
            round(seconds, 2),
            round(statistics.median(r.cpu_seconds for r in runs), 2),
            round(rows / seconds),
            round(max(r.peak_rss_mb for r in runs)),
            [round(r.seconds, 2) for r in runs],
        )


def summarise(rows: int, data: Path, runs: dict[str, list[Run]]) -> dict[str, object]:
    base, mine = Stats.of(rows, runs["duckdb"]), Stats.of(rows, runs["greymap"])
    counts = json.loads(runs["greymap"][-1].output)[0]
    return {
        "rows": rows,
        "file_mb": round(data.stat().st_size / 1e6, 1),
        "machine": machine(),
        "duckdb": asdict(base),
        "greymap": asdict(mine),
        "greymap_counts": {k: counts[k] for k in ("rows_read", "rows_loaded", "rows_quarantined")},
        "greymap_speed_vs_duckdb": round(base.seconds / mine.seconds, 2),
    }


def print_report(report: dict[str, object]) -> None:
    print(f"machine: {report['machine']}")
    print(f"file: {report['rows']:,} rows, {report['file_mb']} MB")
    for kind in ("duckdb", "greymap"):
        r = report[kind]
        assert isinstance(r, dict)
        print(
            f"{kind:8} {r['seconds']:8.2f} s wall (runs {r['all_seconds']}), "
            f"{r['cpu_seconds']:.2f} s CPU, {r['rows_per_second']:,} rows/s, "
            f"peak RSS {r['peak_rss_mb']:,} MB"
        )
    print(f"greymap counts: {report['greymap_counts']}")
    print(f"greymap speed / DuckDB read_csv speed: {report['greymap_speed_vs_duckdb']}")
    print(f"load average before/after: {report.get('load_average_before_after')}")


if __name__ == "__main__":
    raise SystemExit(main())
