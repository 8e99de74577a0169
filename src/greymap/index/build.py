"""``index build``: read indicators from the workspace, compute the index, its uncertainty,
sensitivity, correlation structure and country profiles, and write them back as result
tables with the parameters the run used (DESIGN.md: analyses write results plus
parameters; outputs only read them).

Tables (one row set per ``run_id``; earlier runs are kept, outputs show the latest):
``index_runs`` (parameters), ``index_indicators`` (per indicator: source, weight, coverage,
outlier treatment, status), ``index_coverage`` (per country: included or why not),
``index_values`` (raw, treated and normalised values with imputation flags),
``index_scores`` (overall and per category), ``index_uncertainty`` (rank intervals),
``index_sensitivity``, ``index_correlations``, ``index_profiles``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from greymap.index.composite import Choices, IndexResult, OutlierRule, compute
from greymap.index.correlation import Correlation, Thresholds, benchmarks, structure
from greymap.index.framework import Framework
from greymap.index.inputs import Prepared, prepare, read_benchmarks
from greymap.index.profile import ProfileRow, peers_of, profile_rows
from greymap.index.results import RunRecord, write_run
from greymap.index.uncertainty import (
    Design,
    Interval,
    Sensitivity,
    intervals,
    run_monte_carlo,
    sensitivity,
)
from greymap.workspace import Workspace


@dataclass
class BuildSummary:
    run_id: int
    framework: str
    countries_scored: int
    countries_excluded: int
    indicators_used: int
    indicators_left_out: int
    draws: int
    seed: int
    seconds: float
    warnings: list[str] = field(default_factory=list)

    def as_record(self) -> dict[str, Any]:
        record = self.__dict__.copy()
        record["warnings"] = "; ".join(self.warnings)
        return record


def build_index(
    ws: Workspace,
    framework: Framework,
    *,
    config_path: str | Path | None = None,
    seed: int | None = None,
    draws: int | None = None,
) -> BuildSummary:
    """Build the index of ``framework`` from the workspace and store it as a new run.

    ``seed`` and ``draws`` override the framework's Monte Carlo settings; the same
    workspace, framework and seed give the same ranks and rank intervals.
    """
    started = time.perf_counter()
    prepared = prepare(ws, framework)
    nominal = compute(prepared.data, _choices(framework), _rule(framework))
    design = _design(framework, seed, draws)
    mc = run_monte_carlo(prepared.data, design, _choices(framework), _rule(framework))
    bands = intervals(mc, design.interval)
    sens = sensitivity(mc)
    corr = _correlations(ws, framework, prepared, nominal)
    profiles = _profiles(framework, prepared, nominal)
    run = RunRecord(
        framework=framework,
        config_path=str(config_path) if config_path else None,
        prepared=prepared,
        nominal=nominal,
        design=design,
        intervals=bands,
        sensitivity=sens,
        correlations=corr,
        profiles=profiles,
        seconds=time.perf_counter() - started,
    )
    run_id = write_run(ws, run)
    return _summary(run_id, run)


def _choices(framework: Framework) -> Choices:
    m = framework.method
    return Choices(m.imputation, m.outliers, m.normalisation, m.weighting, m.aggregation)


def _rule(framework: Framework) -> OutlierRule:
    o = framework.outliers
    return OutlierRule(o.max_skew, o.max_kurtosis, o.max_winsorised)


def _design(framework: Framework, seed: int | None, draws: int | None) -> Design:
    u = framework.uncertainty
    alternatives: dict[str, list[str]] = {
        "imputation": list(u.imputation),
        "outliers": list(u.outliers),
        "normalisation": list(u.normalisation),
        "weighting": list(u.weighting),
        "aggregation": list(u.aggregation),
    }
    return Design(
        alternatives=alternatives,
        draws=draws if draws is not None else u.draws,
        seed=seed if seed is not None else u.seed,
        weight_noise=u.weight_noise,
        interval=u.interval,
    )


def _correlations(
    ws: Workspace, framework: Framework, prepared: Prepared, nominal: IndexResult
) -> list[Correlation]:
    data = prepared.data
    observed = np.where(nominal.imputed, np.nan, nominal.normalised)
    c = framework.correlation
    out = structure(
        observed,
        data.indicators,
        data.groups,
        data.categories,
        nominal.category_scores,
        nominal.scores,
        Thresholds(c.redundant_above, c.contrary_below, c.weak_below),
    )
    if framework.benchmarks:
        table = read_benchmarks(ws, framework.benchmarks).reindex(data.countries)
        published = {b: table[b].to_numpy(dtype=np.float64) for b in table.columns}
        components = {"index": nominal.scores}
        components |= {k: nominal.category_scores[:, i] for i, k in enumerate(data.categories)}
        out += benchmarks(components, published)
    return out


def _profiles(framework: Framework, prepared: Prepared, nominal: IndexResult) -> list[ProfileRow]:
    data = prepared.data
    rule = framework.profile
    category_of = framework.category_of()
    ind_categories = [category_of[i] for i in data.indicators]
    no_imputation = np.zeros_like(nominal.category_scores, dtype=bool)
    rows: list[ProfileRow] = []
    for i, country in enumerate(data.countries):
        peers = peers_of(nominal.scores, i, rule.peers)
        rows += profile_rows(
            i,
            country,
            "category",
            data.categories,
            data.categories,
            nominal.category_scores,
            no_imputation,
            peers,
            rule.top,
        )
        rows += profile_rows(
            i,
            country,
            "indicator",
            data.indicators,
            ind_categories,
            nominal.normalised,
            nominal.imputed,
            peers,
            rule.top,
        )
    return rows


def _summary(run_id: int, run: RunRecord) -> BuildSummary:
    prepared = run.prepared
    return BuildSummary(
        run_id=run_id,
        framework=run.framework.name,
        countries_scored=len(prepared.data.countries),
        countries_excluded=sum(1 for c in prepared.coverage if not c.included),
        indicators_used=len(prepared.data.indicators),
        indicators_left_out=sum(1 for s in prepared.statuses if s.status != "used"),
        draws=run.design.draws,
        seed=run.design.seed,
        seconds=round(run.seconds, 3),
        warnings=prepared.warnings,
    )


__all__ = ["BuildSummary", "Interval", "Sensitivity", "build_index"]
