"""The threat catalogue on a hand-made seizure log and on the real EIA pangolin seizures.

The fixture (tests/fixtures/flows/threat_incidents.csv) spans 2016-2020 (five years, mean
2018, sum of squared deviations 10), so a corridor's trend is the sum over its incidents
of (year - 2018) / 10:

* A: wildlife NGA > MYS > CHN, 2016, 2018 x 2, 2020 x 3 -> 4 / 10 = 0.4
* B: tobacco VNM > ARE > GBR, 2016 x 2, 2017 -> -5 / 10 = -0.5
* C: tobacco NGA > MYS > CHN, 2019 -> 0.1 (the same corridor as A, in a second sector)
* D: wildlife NGA > MYS;VNM > CHN, 2020 -> 0.2
* E: pharmaceuticals IND > (no transit) > NGA, 2017 -> -0.1
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from greymap import InputError, Workspace, ingest_files
from greymap.flows import ThreatParams, run_threats
from greymap.sources.mapping import ColumnMapping

D = dt.date


def load(ws: Workspace, fixtures: Path) -> None:
    ingest_files(ws, "incidents", [fixtures / "flows" / "threat_incidents.csv"])


def table(ws: Workspace, params: ThreatParams) -> list[dict[str, Any]]:
    run_threats(ws, params)
    cur = ws.con.execute("SELECT * FROM threats ORDER BY incidents DESC, sector, transit")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def key(row: dict[str, Any], *cols: str) -> tuple[Any, ...]:
    return tuple(row[c] for c in cols)


def test_corridors_with_counts_trends_and_recurrence(workspace: Workspace, fixtures: Path) -> None:
    load(workspace, fixtures)
    rows = {
        key(r, "sector", "origin", "transit", "destination"): r
        for r in table(workspace, ThreatParams())
    }
    assert len(rows) == 5
    a = rows[("wildlife", "NGA", "MYS", "CHN")]
    assert key(a, "incidents", "value_usd", "first_seen", "last_seen") == (
        6, 145000.0, D(2016, 5, 10), D(2020, 12, 31)
    )  # fmt: skip
    assert a["quantities"] == "kg=1000.0;pangolins=50.0"
    assert a["trend"] == pytest.approx(0.4)
    assert key(a, "last_3y", "prior_3y", "sectors", "sector_list") == (5, 1, 2, "tobacco;wildlife")
    b = rows[("tobacco", "VNM", "ARE", "GBR")]
    assert key(b, "incidents", "value_usd", "quantities", "last_3y", "prior_3y", "sectors") == (
        3, 100000.0, "kg=2200.0", 0, 3, 1
    )  # fmt: skip
    assert b["trend"] == pytest.approx(-0.5)
    assert rows[("tobacco", "NGA", "MYS", "CHN")]["trend"] == pytest.approx(0.1)
    assert rows[("tobacco", "NGA", "MYS", "CHN")]["sectors"] == 2
    assert rows[("wildlife", "NGA", "MYS;VNM", "CHN")]["trend"] == pytest.approx(0.2)
    e = rows[("pharmaceuticals", "IND", None, "NGA")]
    assert key(e, "incidents", "value_usd", "country", "period") == (1, 5000.0, None, None)
    assert e["trend"] == pytest.approx(-0.1)


def test_transit_countries_counted_separately(workspace: Workspace, fixtures: Path) -> None:
    load(workspace, fixtures)
    rows = {key(r, "sector", "transit"): r for r in table(workspace, ThreatParams(by="transit"))}
    assert {k: r["incidents"] for k, r in rows.items()} == {
        ("wildlife", "MYS"): 7,
        ("tobacco", "ARE"): 3,
        ("tobacco", "MYS"): 1,
        ("wildlife", "VNM"): 1,
    }
    assert key(rows[("wildlife", "MYS")], "value_usd", "sectors", "sector_list", "origin") == (
        170000.0, 2, "tobacco;wildlife", None
    )  # fmt: skip
    assert rows[("wildlife", "VNM")]["sectors"] == 1


def test_other_views(workspace: Workspace, fixtures: Path) -> None:
    load(workspace, fixtures)
    country = {
        key(r, "sector", "country"): r["incidents"]
        for r in table(workspace, ThreatParams(by="country"))
    }
    assert country[("wildlife", "CHN")] == 5
    assert country[("wildlife", "MYS")] == 2
    goods = table(workspace, ThreatParams(by="commodity"))
    assert key(goods[0], "sector", "hs_code", "commodity", "incidents") == (
        "wildlife", "050790", "pangolin scales", 7
    )  # fmt: skip
    years = {key(r, "sector", "period"): r for r in table(workspace, ThreatParams(by="period"))}
    assert years[("wildlife", "2020")]["incidents"] == 4
    # A year's trend is its change from the year before; the period's first year has none.
    assert years[("wildlife", "2020")]["trend"] == 4.0
    assert years[("wildlife", "2018")]["trend"] == 2.0
    assert years[("wildlife", "2016")]["trend"] is None
    assert years[("tobacco", "2017")]["trend"] == -1.0
    assert years[("wildlife", "2016")]["sectors"] == 2


def test_filters(workspace: Workspace, fixtures: Path) -> None:
    load(workspace, fixtures)
    rows = table(workspace, ThreatParams(sector="Wildlife", since=D(2018, 1, 1)))
    a = next(r for r in rows if r["transit"] == "MYS")
    # 2018-2020: mean 2019, squared deviations 2; A has 2018 x 2 and 2020 x 3.
    assert a["incidents"] == 5
    assert a["trend"] == pytest.approx(0.5)
    assert a["sectors"] == 2  # recurrence still counts the other sectors
    viet = table(workspace, ThreatParams(country="Viet Nam"))
    assert sorted(r["transit"] for r in viet) == ["ARE", "MYS;VNM"]
    until = table(workspace, ThreatParams(until=D(2016, 12, 31)))
    assert sum(r["incidents"] for r in until) == 3


def test_errors(workspace: Workspace, fixtures: Path) -> None:
    with pytest.raises(InputError, match="no incidents yet"):
        run_threats(workspace, ThreatParams())
    load(workspace, fixtures)
    with pytest.raises(InputError, match="--by"):
        run_threats(workspace, ThreatParams(by="hub"))
    with pytest.raises(InputError, match="unknown country"):
        run_threats(workspace, ThreatParams(country="Atlantis"))
    with pytest.raises(InputError, match="after --until"):
        run_threats(workspace, ThreatParams(since=D(2020, 1, 1), until=D(2019, 1, 1)))


def test_cli(fixtures: Path, tmp_path: Path, cli: Callable[..., Any]) -> None:
    with Workspace(tmp_path / "ws") as ws:
        load(ws, fixtures)
    result = cli("threats", "--format", "json", "--top", "1")
    assert result.code == 0, result.stderr
    [top] = result.json()
    assert {k: top[k] for k in ("sector", "origin", "transit", "destination", "incidents")} == {
        "sector": "wildlife", "origin": "NGA", "transit": "MYS", "destination": "CHN", "incidents": 6,
    }  # fmt: skip
    assert (top["first_seen"], top["last_seen"]) == ("2016-05-10", "2020-12-31")
    years = cli("threats", "--by", "period", "--since", "2020", "--format", "csv")
    assert years.stdout.splitlines()[1].startswith("wildlife,,,,4,")
    assert cli("threats", "--since", "May 2020").code == 2


@pytest.fixture
def eia(tmp_path: Path, shared_data: Path) -> Workspace:
    root = Path(__file__).resolve().parents[2]
    ws = Workspace(tmp_path / "eia")
    mapping = ColumnMapping.load(root / "examples" / "mappings" / "eia_pangolin_seizures.yaml")
    path = shared_data / "pangolin-seizures" / "eia_pangolin_seizures_2000_2019.csv"
    ingest_files(ws, "incidents", [path], mapping=mapping)
    yield ws
    ws.close()


def test_eia_pangolin_seizures(eia: Workspace, shared_data: Path) -> None:
    """Facts counted from the raw file with the csv module, not through greymap."""
    path = shared_data / "pangolin-seizures" / "eia_pangolin_seizures_2000_2019.csv"
    with path.open(encoding="utf-8") as f:
        raw = list(csv.DictReader(f))
    via = Counter(c for r in raw for c in ("Malaysia", "Nigeria") if c.lower() in r["via"].lower())
    in_2016 = sum(r["date"].startswith("2016") for r in raw)
    transit = table(eia, ThreatParams(by="transit"))
    # The most frequent transit country, and the next one.
    assert [key(r, "transit", "incidents") for r in transit[:2]] == [
        ("MYS", via["Malaysia"]), ("NGA", via["Nigeria"])
    ]  # fmt: skip
    assert (via["Malaysia"], via["Nigeria"]) == (26, 23)
    assert key(transit[0], "first_seen", "last_seen") == (D(2003, 2, 1), D(2019, 2, 28))
    years = {r["period"]: r["incidents"] for r in table(eia, ThreatParams(by="period"))}
    assert years["2016"] == in_2016 == 181
    corridors = table(eia, ThreatParams())
    # Most records name no route at all; the commonest known corridor is "via Malaysia".
    assert key(corridors[0], "origin", "transit", "destination") == (None, None, None)
    assert key(corridors[1], "sector", "origin", "transit", "destination") == (
        "wildlife", None, "MYS", None
    )  # fmt: skip


@pytest.mark.slow
def test_transit_countries_shared_by_sectors_are_the_planted_hubs(tmp_path: Path) -> None:
    from greymap.simulate import simulate

    world = tmp_path / "world"
    simulate(world, seed=21, scale=0.3)
    truth = json.loads((world / "ground_truth.json").read_text(encoding="utf-8"))
    with Workspace(tmp_path / "ws") as ws:
        ingest_files(ws, "incidents", [world / "incidents.csv"])
        rows = table(ws, ThreatParams(by="transit"))
    shared = {r["transit"] for r in rows if r["sectors"] >= 2}
    assert shared and shared <= set(truth["transit_countries"])


@pytest.mark.slow
def test_spark_gives_the_same_catalogue(workspace: Workspace, fixtures: Path) -> None:
    pytest.importorskip("pyspark")
    load(workspace, fixtures)
    for by in ("corridor", "transit"):
        params = ThreatParams(by=by, since=D(2016, 1, 1))
        run_threats(workspace, params)
        expected = workspace.con.execute("SELECT * FROM threats ORDER BY ALL").fetchall()
        run_threats(workspace, params, engine="spark")
        assert workspace.con.execute("SELECT * FROM threats ORDER BY ALL").fetchall() == expected
