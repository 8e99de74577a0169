"""The embedded default: steps become temporary views (or tables) in the workspace."""

from __future__ import annotations

from greymap.engine.base import Engine, Plan
from greymap.workspace import Workspace


class DuckDBEngine(Engine):
    NAME = "duckdb"

    def run(self, workspace: Workspace, plan: Plan, result_table: str) -> int:
        con = workspace.con
        # Results are read with ORDER BY; not keeping insertion order lets DuckDB stream
        # and spill more freely, which lowers peak memory on large tables.
        con.execute("SET preserve_insertion_order = false")
        *steps, last = plan.steps
        for step in steps:
            kind = "TABLE" if step.name in plan.materialise else "VIEW"
            con.execute(f"CREATE OR REPLACE TEMP {kind} {step.name} AS {step.sql}")
        con.execute(f"CREATE OR REPLACE TABLE {result_table} AS {last.sql}")
        for step in reversed(steps):
            kind = "TABLE" if step.name in plan.materialise else "VIEW"
            con.execute(f"DROP {kind} IF EXISTS {step.name}")
        con.execute("RESET preserve_insertion_order")
        return int(workspace.scalar(f"SELECT count(*) FROM {result_table}") or 0)
