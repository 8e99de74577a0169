"""``build_index`` on a workspace: tables, coverage, missing data, reproducibility."""

from __future__ import annotations

from pathlib import Path

import pytest

from greymap import Workspace, ingest_files
from greymap.errors import InputError
from greymap.index import build_index, load_framework, views
from greymap.index.framework import parse_framework

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "index"
SMALL = FIXTURES / "small_framework.yaml"
INDICATORS = FIXTURES / "small_indicators.csv"


@pytest.fixture
def loaded(workspace: Workspace) -> Workspace:
    ingest_files(workspace, "indicators", [INDICATORS])
    return workspace


def test_build_writes_scores_by_hand_and_records_parameters(loaded: Workspace) -> None:
    summary = build_index(loaded, load_framework(SMALL), config_path=SMALL)
    assert (summary.countries_scored, summary.countries_excluded, summary.indicators_used) == (
        6,
        1,
        4,
    )
    run = views.get_run(loaded)
    assert run.run_id == summary.run_id and run.categories == ["policy", "customs"]
    assert run.parameters["method"]["normalisation"] == "minmax"
    assert run.parameters["uncertainty"]["seed"] == 7
    ranking = views.ranking(loaded, run)
    assert [r["country"] for r in ranking] == ["FIN", "SWE", "NOR", "DEU", "ITA", "LBY"]
    assert [r["score"] for r in ranking] == [100.0, 75.0, 71.25, 62.5, 25.0, 0.0]
    nor = ranking[2]
    assert (nor["policy"], nor["customs"], nor["imputed_share"]) == (68.75, 73.75, 0.5)
    for r in ranking:
        assert r["rank_low"] <= r["rank_median"] <= r["rank_high"]


def test_imputed_values_are_flagged(loaded: Workspace) -> None:
    build_index(loaded, load_framework(SMALL))
    rows = loaded.con.execute(
        "SELECT indicator, raw, value, imputed FROM index_values WHERE country = 'NOR' ORDER BY indicator"
    ).fetchall()
    assert rows == [
        ("x1", 9.0, 9.0, False),
        ("x2", None, 3.0, True),
        ("x3", 4.5, 4.5, False),
        ("x4", None, 68.0, True),
    ]


def test_country_below_coverage_is_excluded_with_its_reason(loaded: Workspace) -> None:
    build_index(loaded, load_framework(SMALL))
    run = views.get_run(loaded)
    [tuv] = views.coverage(loaded, run)
    assert tuv["country"] == "TUV" and not tuv["included"]
    assert tuv["reason"] == "reports 1 of 4 indicators (25%), below 50%; no data in customs"
    with pytest.raises(InputError, match=r"TUV \(Tuvalu\) is not in index run 1: reports 1 of 4"):
        views.country_record(loaded, run, "Tuvalu")
    with pytest.raises(InputError, match=r"no data for ATA \(Antarctica\)"):
        views.country_record(loaded, run, "ATA")
    with pytest.raises(InputError, match="unknown country 'XYZ'"):
        views.country_record(loaded, run, "XYZ")


def test_same_seed_same_rank_intervals(loaded: Workspace) -> None:
    fw = load_framework(SMALL)
    first = build_index(loaded, fw, seed=11, draws=300).run_id
    second = build_index(loaded, fw, seed=11, draws=300).run_id
    query = "SELECT country, rank_low, rank_high, rank_median FROM index_uncertainty WHERE run_id = ? ORDER BY country"
    a = loaded.con.execute(query, [first]).fetchall()
    assert a == loaded.con.execute(query, [second]).fetchall()
    assert views.get_run(loaded).run_id == second  # outputs show the latest run


def test_sensitivity_correlations_and_profiles_are_stored(loaded: Workspace) -> None:
    build_index(loaded, load_framework(SMALL))
    run = views.get_run(loaded)
    factors = {s["factor"] for s in views.sensitivity(loaded, run)}
    assert {"normalisation", "weighting", "aggregation", "weight:policy", "interactions"} <= factors
    bench = views.correlations(loaded, run, level="benchmark")
    index_vs_x1 = next(c for c in bench if c["a"] == "index")
    assert index_vs_x1["n"] == 6 and index_vs_x1["spearman"] > 0.9
    profile = views.profile(loaded, run, "DEU")
    customs = next(p for p in profile if p["component"] == "customs")
    # DEU's peers (2 nearest scores: NOR 71.25, SWE 75) have customs 73.75 and 75
    assert customs["peer_median"] == 74.375 and customs["assessment"] == "strength"


def test_missing_indicator_is_left_out_with_a_warning(loaded: Workspace) -> None:
    raw = load_framework(SMALL).model_dump()
    raw["categories"][1]["indicators"].append(
        {
            "id": "x9",
            "name": "X9",
            "source": "small_indicators",
            "indicator": "x9",
            "direction": "positive",
            "citation": "c",
        }
    )
    summary = build_index(loaded, parse_framework(raw))
    assert summary.indicators_used == 4 and summary.indicators_left_out == 1
    assert summary.warnings == [
        "1 indicator(s) of source small_indicators have no rows in the workspace and are left "
        "out (x9); ingest it with 'greymap ingest indicators FILE'"
    ]


def test_no_data_at_all_is_a_clear_error(workspace: Workspace) -> None:
    with pytest.raises(InputError, match="none of its 4 indicators has usable data"):
        build_index(workspace, load_framework(SMALL))


def test_no_index_yet_is_a_clear_error(workspace: Workspace) -> None:
    with pytest.raises(InputError, match="no country index in workspace"):
        views.get_run(workspace)
