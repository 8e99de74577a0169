"""One plan, two engines, the same result."""

from __future__ import annotations

import pytest

from greymap import Workspace
from greymap.engine import Plan, Step, get_engine

PLAN = Plan(
    inputs=("trade_flows",),
    steps=(
        Step(
            "annual",
            "SELECT reporter, partner, hs_code, year, sum(value_usd) AS value "
            "FROM trade_flows GROUP BY ALL",
        ),
        Step(
            "result",
            "SELECT reporter, partner, hs_code, year, value, "
            "median(value) OVER (PARTITION BY hs_code) AS product_median, "
            "ln(value) AS log_value FROM annual",
        ),
    ),
    materialise=frozenset({"annual"}),
)

ROWS = [
    ("FRA", "DEU", "030231", 2020, 1, 100.0),
    ("FRA", "DEU", "030231", 2020, 2, 50.0),
    ("ESP", "DEU", "030231", 2020, None, 400.0),
    ("ESP", "ITA", "160414", 2020, None, 20.0),
]


def load(ws: Workspace) -> None:
    ws.con.executemany(
        "INSERT INTO trade_flows (source, reporter, partner, flow, hs_code, year, month, "
        "value_usd, ingest_id, source_row) VALUES ('test', ?, ?, 'export', ?, ?, ?, ?, 0, 0)",
        ROWS,
    )


def result(ws: Workspace) -> list[tuple[object, ...]]:
    return ws.con.execute(
        "SELECT reporter, partner, hs_code, year, value, product_median, round(log_value, 9) "
        "FROM flows_test ORDER BY ALL"
    ).fetchall()


def test_duckdb_engine(workspace: Workspace) -> None:
    load(workspace)
    assert get_engine("duckdb").run(workspace, PLAN, "flows_test") == 3
    assert result(workspace) == [
        ("ESP", "DEU", "030231", 2020, 400.0, 275.0, 5.991464547),
        ("ESP", "ITA", "160414", 2020, 20.0, 20.0, 2.995732274),
        ("FRA", "DEU", "030231", 2020, 150.0, 275.0, 5.010635294),
    ]


@pytest.mark.slow
def test_spark_engine_gives_the_same_result(workspace: Workspace) -> None:
    pytest.importorskip("pyspark")
    load(workspace)
    get_engine("duckdb").run(workspace, PLAN, "flows_test")
    expected = result(workspace)
    assert get_engine("spark").run(workspace, PLAN, "flows_test") == 3
    assert result(workspace) == expected


def test_unknown_engine() -> None:
    from greymap import InputError

    with pytest.raises(InputError, match="unknown engine 'flink'"):
        get_engine("flink")
