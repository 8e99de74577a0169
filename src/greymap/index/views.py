"""Read index result tables back as flat records for the CLI, reports and dashboards.

Outputs never compute (DESIGN.md): these functions only select, pivot and label what
``index build`` stored. Each takes a run id, or uses the latest run.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import pycountry

from greymap.errors import InputError
from greymap.reference.countries import to_iso3
from greymap.workspace import Workspace


@dataclass(frozen=True)
class RunInfo:
    run_id: int
    framework: str
    categories: list[str]
    parameters: dict[str, Any]
    countries_scored: int
    created_at: str


def get_run(ws: Workspace, run_id: int | None = None) -> RunInfo:
    """The run ``run_id``, or the latest; a clear error when no index was built."""
    if "index_runs" not in ws.table_names():
        raise InputError(_NO_RUN.format(ws=ws.path))
    query = "SELECT run_id, framework, categories, parameters, countries_scored, created_at FROM index_runs"
    rows = (
        ws.con.execute(query + " WHERE run_id = ?", [run_id]).fetchall()
        if run_id is not None
        else ws.con.execute(query + " ORDER BY run_id DESC LIMIT 1").fetchall()
    )
    if not rows:
        if run_id is not None:
            raise InputError(f"no index run {run_id} in workspace {ws.path}")
        raise InputError(_NO_RUN.format(ws=ws.path))
    row = rows[0]
    return RunInfo(int(row[0]), row[1], list(row[2]), json.loads(row[3]), int(row[4]), str(row[5]))


_NO_RUN = (
    "no country index in workspace {ws}; build one first with 'greymap index build' "
    "(after 'greymap ingest indicators FILE')"
)


def columns(run: RunInfo) -> list[str]:
    """The keys of a ranking record, in order: the contract keys, then the categories."""
    return ["country", "score", "rank", "rank_low", "rank_high", *run.categories, "name",
            "rank_median", "imputed_share"]  # fmt: skip


def ranking(ws: Workspace, run: RunInfo) -> list[dict[str, Any]]:
    """One flat record per scored country, best first: ``country, score, rank, rank_low,
    rank_high`` plus one key per category (its score). ``rank_low`` is the best (smallest)
    and ``rank_high`` the worst rank of the Monte Carlo interval."""
    rows = ws.con.execute(
        """SELECT s.country, s.component, s.score, u.rank, u.rank_low, u.rank_high,
                  u.rank_median, s.imputed_share
           FROM index_scores s JOIN index_uncertainty u USING (run_id, country)
           WHERE s.run_id = ? ORDER BY u.rank, s.country""",
        [run.run_id],
    ).fetchall()
    records: dict[str, dict[str, Any]] = {}
    for country, component, score, rank, low, high, median, imputed in rows:
        if country not in records:
            records[country] = {
                "country": country, "score": None, "rank": rank, "rank_low": low,
                "rank_high": high, **dict.fromkeys(run.categories), "name": country_name(country),
                "rank_median": median, "imputed_share": None,
            }  # fmt: skip
        record = records[country]
        if component == "overall":
            record["score"] = _round(score)
            record["imputed_share"] = _round(imputed)
        else:
            record[component] = _round(score)
    return list(records.values())


def country_record(ws: Workspace, run: RunInfo, query: str) -> dict[str, Any]:
    """The ranking record of one country, or an InputError saying why there is none."""
    code = resolve_country(query)
    for record in ranking(ws, run):
        if record["country"] == code:
            return record
    rows = ws.con.execute(
        "SELECT reason FROM index_coverage WHERE run_id = ? AND country = ?", [run.run_id, code]
    ).fetchall()
    if rows:
        raise InputError(
            f"{code} ({country_name(code)}) is not in index run {run.run_id}: {rows[0][0]}"
        )
    raise InputError(
        f"no data for {code} ({country_name(code)}) in index run {run.run_id}: none of the "
        f"framework's indicators covers it ({run.countries_scored} countries are scored); "
        "ingest indicator files that include it and rebuild"
    )


def resolve_country(query: str) -> str:
    code = to_iso3(query)
    if code is None:
        raise InputError(
            f"unknown country {query!r}; expected an ISO 3166 code (FIN, FI) or a country name"
        )
    return code


def profile(ws: Workspace, run: RunInfo, country: str) -> list[dict[str, Any]]:
    """The country's strengths and weaknesses against its peers, categories first."""
    code = country_record(ws, run, country)["country"]
    return _records(
        ws,
        """SELECT country, level, component, category, value, peer_median, difference,
                  percentile, imputed, assessment
           FROM index_profiles WHERE run_id = ? AND country = ?
           ORDER BY level, assessment = '', difference DESC""",
        [run.run_id, code],
    )


def sensitivity(ws: Workspace, run: RunInfo) -> list[dict[str, Any]]:
    return _records(
        ws,
        """SELECT factor, levels, first_order, first_order_mean FROM index_sensitivity
           WHERE run_id = ? ORDER BY factor = 'interactions', first_order DESC""",
        [run.run_id],
    )


def correlations(
    ws: Workspace, run: RunInfo, *, level: str | None = None, flagged: bool = False
) -> list[dict[str, Any]]:
    sql = """SELECT level, a, b, same_category, pearson, spearman, n, flag
             FROM index_correlations WHERE run_id = ?"""
    params: list[Any] = [run.run_id]
    if level:
        sql += " AND level = ?"
        params.append(level)
    if flagged:
        sql += " AND flag <> ''"
    return _records(ws, sql + " ORDER BY level, abs(pearson) DESC", params)


def coverage(ws: Workspace, run: RunInfo, *, excluded_only: bool = True) -> list[dict[str, Any]]:
    sql = "SELECT * EXCLUDE (run_id) FROM index_coverage WHERE run_id = ?"
    if excluded_only:
        sql += " AND NOT included"
    return _records(ws, sql + " ORDER BY country", [run.run_id])


def indicators(ws: Workspace, run: RunInfo) -> list[dict[str, Any]]:
    return _records(
        ws, "SELECT * EXCLUDE (run_id) FROM index_indicators WHERE run_id = ?", [run.run_id]
    )


def country_name(code: str) -> str:
    if code == "XKX":
        return "Kosovo"
    found = pycountry.countries.get(alpha_3=code)
    return str(getattr(found, "common_name", None) or found.name) if found else code


def _records(ws: Workspace, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = ws.con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [{k: _round(v) for k, v in zip(names, row, strict=True)} for row in cursor.fetchall()]


def _round(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    return value
