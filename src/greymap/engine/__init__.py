"""Where tabular analyses run: DuckDB (the embedded default) or Apache Spark.

An analysis is written once, as a :class:`Plan` of named SQL steps in DuckDB's dialect.
The DuckDB engine runs the steps in the workspace; the Spark engine transpiles each step
with SQLGlot, runs it on Spark over the input tables, and writes the result back into the
workspace. Only SQL differences live in the engines (STYLE.md: a narrow seam).
"""

from greymap.engine.base import Engine, Plan, Step, get_engine

__all__ = ["Engine", "Plan", "Step", "get_engine"]
