"""The engine seam: a plan of SQL steps, and a factory choosing an engine by name."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from importlib import import_module
from typing import ClassVar

from greymap.errors import InputError
from greymap.workspace import Workspace


@dataclass(frozen=True)
class Step:
    """``name`` becomes a view (or table) the following steps can read."""

    name: str
    sql: str


@dataclass(frozen=True)
class Plan:
    """SQL steps in DuckDB's dialect over workspace tables; the last step is the result.

    ``inputs`` names the workspace tables the plan reads (the Spark engine ships only
    these); ``materialise`` names steps worth computing once because several later
    steps read them.
    """

    inputs: tuple[str, ...]
    steps: tuple[Step, ...]
    materialise: frozenset[str] = field(default_factory=frozenset)


class Engine(ABC):
    NAME: ClassVar[str]

    @abstractmethod
    def run(self, workspace: Workspace, plan: Plan, result_table: str) -> int:
        """Run ``plan`` and store its last step as ``result_table`` in the workspace;
        returns the number of result rows."""


ENGINES = {
    "duckdb": "greymap.engine.duckdb_engine:DuckDBEngine",
    "spark": "greymap.engine.spark_engine:SparkEngine",
}


def get_engine(name: str) -> Engine:
    try:
        module_name, cls_name = ENGINES[name].split(":")
    except KeyError:
        raise InputError(f"unknown engine {name!r}; expected one of {', '.join(ENGINES)}") from None
    cls: type[Engine] = getattr(import_module(module_name), cls_name)
    return cls()
