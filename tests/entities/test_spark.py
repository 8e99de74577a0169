"""The hand-made resolution case on Splink's Spark backend gives the DuckDB clusters.

Spark in local mode takes a minute and a half for these forty records (JVM start, Python
similarity UDF workers), so the test runs only with ``GREYMAP_SPARK_TESTS=1``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from greymap import Workspace
from greymap.entities.resolve import ResolveParams, resolve

from .test_resolve import EXPECTED, clusters, load

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        os.environ.get("GREYMAP_SPARK_TESTS") != "1", reason="set GREYMAP_SPARK_TESTS=1"
    ),
]


def test_spark_backend_resolves_like_duckdb(tmp_path: Path, fixtures: Path) -> None:
    pytest.importorskip("pyspark")
    with Workspace(tmp_path / "ws") as ws:
        load(ws, fixtures)
        result = resolve(ws, ResolveParams(engine="spark"))
        found = clusters(ws)
    assert result.records == 39
    assert found >= EXPECTED
    assert all(len(c) == 1 for c in found - EXPECTED)
