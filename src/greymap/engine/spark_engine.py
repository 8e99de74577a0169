"""Apache Spark: the same plan, transpiled by SQLGlot, for data beyond one machine.

Input tables leave the workspace as Parquet, Spark runs every step (as temporary views,
cached where the plan says so), and the result comes back as Parquet into the workspace.
In local mode (tests, one machine) Spark starts in-process; ``GREYMAP_SPARK_MASTER``
points it at a cluster.
"""

from __future__ import annotations

import os
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from greymap.engine.base import Engine, Plan
from greymap.errors import MissingDependencyError
from greymap.workspace import Workspace


def transpile(sql: str) -> str:
    """DuckDB SQL as Spark SQL."""
    import sqlglot

    return str(sqlglot.transpile(sql, read="duckdb", write="spark")[0])


@cache
def spark_session() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise MissingDependencyError("pyspark", "spark") from exc
    master = os.environ.get("GREYMAP_SPARK_MASTER", "local[2]")
    session = (
        SparkSession.builder.master(master)
        .appName("greymap")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", os.environ.get("GREYMAP_SPARK_PARTITIONS", "8"))
        .config("spark.sql.session.timeZone", "UTC")
        # DuckDB's semantics, which the plans are written in: a division by zero or an
        # overflowing cast gives NULL instead of failing the job (Spark 4 is ANSI by default).
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel(os.environ.get("GREYMAP_SPARK_LOG_LEVEL", "ERROR"))
    return session


class SparkEngine(Engine):
    NAME = "spark"

    def run(self, workspace: Workspace, plan: Plan, result_table: str) -> int:
        spark = spark_session()
        with tempfile.TemporaryDirectory(prefix="greymap-spark-") as tmp:
            folder = Path(tmp)
            for table in plan.inputs:
                path = folder / f"{table}.parquet"
                workspace.con.execute(f"COPY {table} TO '{path}' (FORMAT parquet)")
                spark.read.parquet(str(path)).createOrReplaceTempView(table)
            frame = None
            for step in plan.steps:
                frame = spark.sql(transpile(step.sql))
                if step.name in plan.materialise:
                    # Computed once and cut from its lineage: later steps read it several
                    # times, and deep lineages of self-joined views trip Spark's analyser.
                    frame = frame.localCheckpoint(eager=True)
                frame.createOrReplaceTempView(step.name)
            assert frame is not None
            out = folder / "result"
            frame.write.parquet(str(out))
            workspace.con.execute(
                f"CREATE OR REPLACE TABLE {result_table} AS SELECT * FROM read_parquet('{out}/*.parquet')"
            )
        row = workspace.con.execute(f"SELECT count(*) FROM {result_table}").fetchone()
        return int(row[0]) if row else 0
