"""``greymap index ...`` contracts (CONTRACTS.md): JSON keys, exit status 2 on user errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliResult

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "index"


def built(cli: Callable[..., CliResult]) -> None:
    assert cli("ingest", "indicators", str(FIXTURES / "small_indicators.csv")).code == 0
    result = cli("index", "build", str(FIXTURES / "small_framework.yaml"), "--format", "json")
    assert result.code == 0, result.stderr
    assert result.json()[0]["countries_scored"] == 6


def test_show_json_has_the_contract_keys(cli: Callable[..., CliResult]) -> None:
    built(cli)
    result = cli("index", "show", "--format", "json")
    assert result.code == 0, result.stderr
    records = result.json()
    assert len(records) == 6
    for key in ("country", "score", "rank", "rank_low", "rank_high", "policy", "customs"):
        assert key in records[0]
    one = cli("index", "show", "FIN", "--format", "json").json()
    assert one == [records[0]] and one[0]["country"] == "FIN"


def test_show_unknown_or_dataless_country_exits_2(cli: Callable[..., CliResult]) -> None:
    built(cli)
    for query, message in (
        ("XYZ", "unknown country"),
        ("ATA", "no data for ATA"),
        ("TUV", "not in index run"),
    ):
        result = cli("index", "show", query)
        assert result.code == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_show_before_build_exits_2(cli: Callable[..., CliResult]) -> None:
    assert cli("ingest", "indicators", str(FIXTURES / "small_indicators.csv")).code == 0
    result = cli("index", "show")
    assert result.code == 2 and "greymap index build" in result.stderr


def test_bad_framework_exits_2(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ncategories: []\n")
    assert cli("ingest", "indicators", str(FIXTURES / "small_indicators.csv")).code == 0
    result = cli("index", "build", str(bad))
    assert result.code == 2 and "categories" in result.stderr


def test_other_views_and_charts(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    built(cli)
    assert cli("index", "profile", "SWE", "--format", "json").json()[0]["country"] == "SWE"
    assert cli("index", "sensitivity", "--format", "json").json()[-1]["factor"] == "interactions"
    assert cli("index", "coverage", "--format", "json").json()[0]["country"] == "TUV"
    assert len(cli("index", "indicators", "--format", "json").json()) == 4
    assert cli("index", "correlations", "--flagged", "--format", "csv").code == 0
    out = tmp_path / "charts"
    result = cli("index", "charts", "--out", str(out), "--format", "json")
    assert result.code == 0, result.stderr
    names = {Path(r["path"]).name for r in result.json()}
    assert {
        "index_ranking.csv",
        "index_rank_intervals.vl.json",
        "index_sensitivity.vl.json",
    } <= names
    assert (
        (out / "index_ranking.csv")
        .read_text()
        .startswith("country,score,rank,rank_low,rank_high,policy,customs")
    )
