"""The default framework on the real country files in ../shared/data/country-indices."""

from __future__ import annotations

from pathlib import Path

import pytest

from greymap import Workspace, ingest_files
from greymap.index import build_index, load_framework, views

FILES = (
    "global_organized_crime_index_2023.csv",
    "global_organized_crime_index_2021.csv",
    "basel_aml_index_expert_edition.csv",
    "cpi_2012_2017_iso3.csv",
    "lpi_2010_2016.csv",
)


@pytest.fixture(scope="module")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    root = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "country-indices"
    if not root.exists():
        pytest.skip("../shared/data is not available")
    ws = Workspace(tmp_path_factory.mktemp("real") / "ws")
    ingest_files(ws, "indicators", [root / f for f in FILES])
    build_index(ws, load_framework(), draws=300)
    yield ws
    ws.close()


def test_default_index_on_real_data(real_index: Workspace) -> None:
    run = views.get_run(real_index)
    assert run.countries_scored == 193
    ranking = {r["country"]: r for r in views.ranking(real_index, run)}
    assert ranking["FIN"]["rank"] == 1  # EIU 2018: Finland 1st
    eiu_top10 = ["FIN", "GBR", "SWE", "AUT", "NLD", "DNK", "DEU", "USA", "AUS", "NZL"]
    assert sum(ranking[c]["rank"] <= 25 for c in eiu_top10) >= 8
    for bottom in ("LBY", "IRQ"):  # EIU 2018: 84th and 83rd of 84
        assert ranking[bottom]["rank"] > 0.85 * len(ranking)
    for record in ranking.values():
        assert record["rank_low"] <= record["rank_median"] <= record["rank_high"]


def test_rank_correlation_with_published_rankings(real_index: Workspace) -> None:
    run = views.get_run(real_index)
    bench = {
        c["b"]: c
        for c in views.correlations(real_index, run, level="benchmark")
        if c["a"] == "index"
    }
    assert bench["goci_2023_resilience"]["spearman"] == pytest.approx(0.936, abs=0.01)
    assert bench["basel_aml_score"]["spearman"] == pytest.approx(0.852, abs=0.01)
    assert bench["basel_aml_score"]["n"] == 191


def test_excluded_territories_are_listed_with_reasons(real_index: Workspace) -> None:
    excluded = {
        c["country"]: c["reason"] for c in views.coverage(real_index, views.get_run(real_index))
    }
    assert {"HKG", "TWN", "CYM", "BMU"} <= set(excluded)
    assert "no data in supply_and_demand" in excluded["HKG"]
