"""Screening benchmark: quality against OpenSanctions' logic-v1 and logic-v2 on the same
pairs in the same run, then throughput on a 20,000-entry and a 1,000,000-entry list.

    python3 -m venv /tmp/greymap-bench
    /tmp/greymap-bench/bin/pip install -e '.[bench]'
    /tmp/greymap-bench/bin/python bench/screening.py [--quick] [--million 1000000]
        [--only quality|speed|bound]

nomenklatura pins an older DuckDB than greymap's main environment uses, so it lives in its
own virtualenv; greymap runs there unchanged (its core accepts that DuckDB). Without
nomenklatura the script still runs and reports greymap alone. Results go to
``bench/out/screening.json`` and, as Markdown tables, to stdout (docs/benchmarks.md).

Thresholds: each matcher's threshold is chosen on the *train* pairs (generated train split
plus half of OpenSanctions' 826 pairs) by maximising F1; figures are reported on the test
pairs. nomenklatura's matchers are also shown at 0.70, the threshold yente uses.
Throughput is reported by wall clock and by CPU time: on a shared machine the CPU time is
what the screening itself costs.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from greymap.screening import THRESHOLD, Query, Screener, ScreeningIndex  # noqa: E402
from greymap.screening.calibrate import choose_threshold, metrics, query_from_payload, score_pair  # noqa: E402
from greymap.screening.records import ListEntity  # noqa: E402
from screening_data import (  # noqa: E402
    NamePools,
    Pair,
    ar2en_pairs,
    ftm_entity,
    ftm_query,
    generated_pairs,
    nk_pairs,
    norwegian_companies,
    ofac_scores,
    real_lists,
    synthetic_entities,
    synthetic_queries,
)

NK_DEFAULT = 0.70
SLICES = ("latin", "cyrillic", "greek", "arabic", "chinese")


# -- matchers on pairs -----------------------------------------------------------------


def greymap_scorer() -> Callable[[Pair], float]:
    return lambda pair: score_pair(pair).score


def nomenklatura_scorer(name: str) -> Callable[[Pair], float] | None:
    try:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig
    except ImportError:
        return None
    algo = get_algorithm(name)
    config = ScoringConfig.defaults()
    if algo is None:
        return None

    counter = iter(range(10**9))

    def score(pair: Pair) -> float:
        n = next(counter)
        q = model.get_proxy(ftm_query(pair["query"], f"q{n}"))
        c = model.get_proxy(ftm_entity(pair["entity"], f"c{n}"))
        return float(algo.compare(q, c, config).score)

    return score


def score_all(scorer: Callable[[Pair], float], pairs: Sequence[Pair]) -> tuple[list[float], float]:
    started = time.perf_counter()
    scores = [scorer(p) for p in pairs]
    return scores, time.perf_counter() - started


def quality(pairs: list[Pair], matchers: dict[str, Callable[[Pair], float]]) -> dict[str, Any]:
    """Scores of every matcher on every pair; thresholds from train; metrics on test sets."""
    out: dict[str, Any] = {"matchers": {}, "tables": {}}
    labels = [p["label"] for p in pairs]
    train = [i for i, p in enumerate(pairs) if p["split"] == "train"]
    sets = {
        "generated test": [
            i for i, p in enumerate(pairs) if p["set"] == "generated" and p["split"] == "test"
        ],
        "OpenSanctions 826, test half": [
            i for i, p in enumerate(pairs) if p["set"] == "nk" and p["split"] == "test"
        ],
        "OpenSanctions 826, all": [i for i, p in enumerate(pairs) if p["set"] == "nk"],
        "ar2en test (Arabic -> English)": [i for i, p in enumerate(pairs) if p["set"] == "ar2en"],
    }
    for s in SLICES:
        sets[f"generated test, {s}"] = [
            i
            for i, p in enumerate(pairs)
            if p["set"] == "generated" and p["split"] == "test" and p["slice"] == s
        ]
    for name, scorer in matchers.items():
        scores, seconds = score_all(scorer, pairs)
        best = choose_threshold([scores[i] for i in train], [labels[i] for i in train])
        out["matchers"][name] = {
            "threshold": best.threshold,
            "train_f1": round(best.f1, 4),
            "pairs_per_second": round(len(pairs) / seconds, 1),
            "scores": scores,
        }
        for set_name, idx in sets.items():
            row = out["tables"].setdefault(set_name, {})
            s, y = [scores[i] for i in idx], [labels[i] for i in idx]
            row[name] = metrics(s, y, best.threshold).as_dict()
            if name != "greymap":
                row[f"{name} @0.70"] = metrics(s, y, NK_DEFAULT).as_dict()
    return out


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    def ranks(x: Sequence[float]) -> list[float]:
        order = sorted(range(len(x)), key=lambda i: x[i])
        r = [0.0] * len(x)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and x[order[j + 1]] == x[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2
            i = j + 1
        return r

    ra, rb = ranks(a), ranks(b)
    ma, mb = sum(ra) / len(ra), sum(rb) / len(rb)
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = sum((x - ma) ** 2 for x in ra) ** 0.5
    vb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (va * vb) if va and vb else 0.0


def ofac_agreement(matchers: dict[str, Callable[[Pair], float]]) -> dict[str, float]:
    rows = ofac_scores()
    pairs = [
        {
            "query": {"name": r["query_name"]},
            "entity": {"id": "c", "schema": "LegalEntity", "names": [[r["result_name"], "name"]]},
        }
        for r in rows
    ]
    official = [float(r["ofac_score"]) for r in rows]
    return {n: round(spearman([m(p) for p in pairs], official), 3) for n, m in matchers.items()}


# -- screening throughput --------------------------------------------------------------


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def timed_screen(screener: Screener, queries: Sequence[Query]) -> dict[str, float]:
    """Queries per second by wall clock and by this process's CPU time (the machine is
    shared: CPU time is what the screening itself costs)."""
    for q in queries[:200]:
        screener.screen(q)
    wall, cpu = time.perf_counter(), time.process_time()
    hits = sum(bool(h) for h in (screener.screen(q) for q in queries))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "qps_wall": round(len(queries) / wall),
        "qps_cpu": round(len(queries) / cpu),
        "queries_with_hits": hits,
    }


_WORKER: Screener | None = None


def _work(chunk: Sequence[Query]) -> tuple[int, float]:
    assert _WORKER is not None
    started = time.process_time()
    hits = sum(bool(_WORKER.screen(q)) for q in chunk)
    return hits, time.process_time() - started


def parallel_qps(screener: Screener, queries: Sequence[Query], workers: int) -> dict[str, float]:
    """Queries per second with ``workers`` processes forked after the index is built: by
    wall clock, and by the busiest worker's CPU time."""
    global _WORKER
    _WORKER = screener
    chunks = [list(queries[i::workers]) for i in range(workers)]
    ctx = mp.get_context("fork")
    with ctx.Pool(workers) as pool:
        pool.map(_work, [c[:100] for c in chunks])
        started = time.perf_counter()
        done = pool.map(_work, chunks)
        wall = time.perf_counter() - started
    return {
        "qps_wall": round(len(queries) / wall),
        "qps_cpu": round(len(queries) / max(cpu for _, cpu in done)),
    }


def logic_v2_qps(
    index: ScreeningIndex, queries: Sequence[Query], n_candidates: int = 20
) -> float | None:
    """logic-v2 on greymap's top ``n_candidates`` list entries per query (the candidate
    search itself is not timed: only the scoring yente would do)."""
    try:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig
    except ImportError:
        return None
    algo, config = get_algorithm("logic-v2"), ScoringConfig.defaults()
    work = []
    for n, q in enumerate(queries):
        names, _ = index.candidates(_norm_key(q), n_candidates * 3)
        eids = list(dict.fromkeys(int(index.name_entity[n]) for n in names.tolist()))[:n_candidates]
        proxy = model.get_proxy(ftm_query({"name": q.name, "schema": q.schema}, f"q{n}"))
        work.append((proxy, [model.get_proxy(ftm_entity(index.entities[e])) for e in eids]))
    started = time.perf_counter()
    for proxy, candidates in work:
        for c in candidates:
            algo.compare(proxy, c, config)
    return len(work) / (time.perf_counter() - started)


def end_to_end(screener: Screener, gen: list[Pair]) -> dict[str, Any]:
    """Screening the whole list: share of test queries whose true entry comes back matched
    (entries still on the list), by slice; and share of non-matches that do not."""
    present = {e.id for e in screener.index.entities}
    found: dict[str, list[int]] = {}
    for p in gen:
        if p["split"] != "test" or p["entity"]["id"] not in present:
            continue
        hits = screener.screen(query_from_payload(p["query"]))
        hit = any(h.entity.id == p["entity"]["id"] and h.score >= screener.threshold for h in hits)
        key = p["slice"] if p["label"] else "non-match (not returned)"
        ok = hit if p["label"] else not hit
        found.setdefault(key, [0, 0])
        found[key][0] += ok
        found[key][1] += 1
    return {k: {"share": round(a / b, 4), "queries": b} for k, (a, b) in found.items()}


def _norm_key(q: Query) -> str:
    from greymap.screening.normalise import name_kind, normalise

    return normalise(q.name, name_kind(q.schema)).key


def speed(
    real: list[ListEntity], pools: NamePools, args: argparse.Namespace, gen: list[Pair]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    test_queries = [query_from_payload(p["query"]) for p in gen if p["split"] == "test"]
    queries = test_queries + norwegian_companies() + synthetic_queries(pools, args.queries, seed=99)
    padding = list(synthetic_entities(pools, max(0, 20_000 - len(real)), seed=20))
    small = ScreeningIndex(real + padding)
    screener = Screener(small)
    out["20k"] = {
        **small.stats(),
        "queries": len(queries),
        "one_process": timed_screen(screener, queries),
        "end_to_end_recall": end_to_end(screener, gen),
    }
    nor = norwegian_companies()
    flagged = [q.name for q in nor if screener.screen(q)]
    out["norwegian_false_positives"] = {
        "queries": len(nor),
        "with_hits": len(flagged),
        "names": flagged,
    }
    v2 = logic_v2_qps(small, queries[: args.v2_queries])
    out["20k"]["logic_v2_qps_20_candidates"] = round(v2, 1) if v2 else None
    if args.million:
        before = rss_mb()
        started = time.perf_counter()
        big_list = real + list(synthetic_entities(pools, args.million - len(real), seed=1))
        made = time.perf_counter() - started
        big = ScreeningIndex(big_list)
        after = rss_mb()
        big_screener = Screener(big)
        some = queries[: args.big_queries]
        out["1M"] = {
            **big.stats(),
            "entities_generated_seconds": round(made, 1),
            "rss_mb_entities_and_index": round(after - before),
            "queries": len(some),
            "one_process": timed_screen(big_screener, some),
            "two_processes": parallel_qps(big_screener, some, 2),
        }
    return out


def bound_check(real: list[ListEntity], pools: NamePools, pairs: list[Pair]) -> dict[str, int]:
    """The screening bound (``compare_above``) against full alignment (``compare_names``)
    on every labelled pair and every candidate of the speed queries, at seven floors and
    for the three name kinds: names it drops must score below the floor, names it keeps
    must get the same match. ``dropped_wrongly`` and ``kept_differently`` must be 0."""
    from greymap.screening.names import compare_above, compare_names
    from greymap.screening.normalise import normalise

    floors = (0.3, 0.5, 0.6, 0.74, 0.8, 0.9, 0.95)
    out = {"checks": 0, "dropped": 0, "dropped_wrongly": 0, "kept_differently": 0}

    def check(q: Any, listed: Any, kind: str) -> None:
        full = compare_names(q, listed, kind)
        for floor in floors:
            fast = compare_above(q, listed, kind, floor)
            out["checks"] += 1
            out["dropped"] += fast is None
            out["dropped_wrongly"] += fast is None and full.score >= floor
            out["kept_differently"] += fast is not None and fast != full

    index = ScreeningIndex(real + list(synthetic_entities(pools, 20_000 - len(real), seed=20)))
    queries = [query_from_payload(p["query"]) for p in pairs]
    queries += synthetic_queries(pools, 2_500, seed=99)
    for query in queries:
        for kind in ("per", "org", "obj"):
            qn = normalise(query.name, kind)
            for nid in index.candidate_ids(qn.tokens, 16):
                check(qn, index.normed[nid], kind)
    for p in pairs:
        name = p["query"]["name"]
        for kind in ("per", "org", "obj"):
            for listed, _ in p["entity"]["names"]:
                check(normalise(name, kind), normalise(listed, kind), kind)
    return out


# -- report ------------------------------------------------------------------------------


def markdown(q: dict[str, Any], extra: dict[str, Any]) -> str:
    lines = [
        "| set | matcher | threshold | pairs | precision | recall | F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for set_name, row in q["tables"].items():
        for name, m in row.items():
            lines.append(
                f"| {set_name} | {name} | {m['threshold']:.2f} | {m['pairs']} | {m['precision']:.3f} "
                f"| {m['recall']:.3f} | {m['f1']:.3f} |"
            )
    lines += ["", "| matcher | pairs per second (same pairs, one process) |", "|---|---|"]
    lines += [f"| {n} | {m['pairs_per_second']:,.0f} |" for n, m in q["matchers"].items()]
    lines += ["", "```", json.dumps(extra, indent=2, default=str), "```"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smaller lists and query sets")
    parser.add_argument(
        "--million", type=int, default=1_000_000, help="size of the large list (0: skip)"
    )
    parser.add_argument("--queries", type=int, default=2_500, help="synthetic non-matching queries")
    parser.add_argument(
        "--big-queries", type=int, default=3_000, help="queries against the large list"
    )
    parser.add_argument("--v2-queries", type=int, default=300, help="queries timed for logic-v2")
    parser.add_argument(
        "--only",
        choices=("quality", "speed", "bound"),
        help="run one part: the pair-level quality tables, throughput and end-to-end recall,"
        " or the check that the screening bound drops no name reaching its floor",
    )
    parser.add_argument("--out", type=Path, default=None, help="JSON output (default by part)")
    args = parser.parse_args(argv)
    if args.out is None:
        suffix = f"-{args.only}" if args.only else ""
        args.out = ROOT / "bench" / "out" / f"screening{suffix}.json"
    if args.quick:
        args.million, args.queries, args.big_queries, args.v2_queries = 100_000, 500, 1000, 60

    gen = generated_pairs()
    pairs = [{**p, "set": "generated"} for p in gen]
    pairs += [{**p, "set": "nk"} for p in nk_pairs()]
    pairs += [{**p, "set": "ar2en"} for p in ar2en_pairs()]
    matchers: dict[str, Callable[[Pair], float]] = {"greymap": greymap_scorer()}
    for name in ("logic-v1", "logic-v2"):
        scorer = nomenklatura_scorer(name)
        if scorer is None:
            print(
                f"nomenklatura not installed: {name} skipped (pip install 'greymap[bench]')",
                file=sys.stderr,
            )
        else:
            matchers[name] = scorer
    extra: dict[str, Any] = {
        "greymap_default_threshold": THRESHOLD,
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
    }
    q: dict[str, Any] = {"tables": {}, "matchers": {}}
    if args.only == "bound":
        real = real_lists()
        extra["bound_check"] = bound_check(real, NamePools(real), pairs)
    if args.only in (None, "quality"):
        q = quality(pairs, matchers)
        extra["ofac_search_tool_spearman"] = ofac_agreement(matchers)
    if args.only in (None, "speed"):
        real = real_lists()
        extra.update(speed(real, NamePools(real), args, gen))
        extra["load_average_at_end"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    slim = {n: {k: v for k, v in m.items() if k != "scores"} for n, m in q["matchers"].items()}
    args.out.write_text(
        json.dumps({"quality": q["tables"], "matchers": slim, **extra}, indent=2, default=str)
    )
    print(markdown({"tables": q["tables"], "matchers": slim}, extra))


if __name__ == "__main__":
    main()
