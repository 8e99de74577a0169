"""The reader's side of an ingest: counting, quarantine, inserts and lookups.

The engine (``greymap.workspace.ingest``) opens the transaction and hands a context to
the reader. Readers write only through it, so the one rule of ingest holds everywhere:
``rows_read = rows_loaded + rows_quarantined`` for every file.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from greymap.sources.mapping import ColumnMapping

_ids = itertools.count(1)


@dataclass
class FileCounts:
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0


@dataclass
class Rejection:
    """A row that could not be loaded, with the reason and its raw text."""

    source_row: int | None
    reason: str
    raw: str | None = None


@dataclass
class IngestContext:
    con: duckdb.DuckDBPyConnection
    format: str
    ingest_ids: dict[Path, int]
    mapping: ColumnMapping | None = None
    dataset: str | None = None
    counts: dict[Path, FileCounts] = field(default_factory=dict)
    notes: dict[Path, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for path in self.ingest_ids:
            self.counts.setdefault(path, FileCounts())

    # -- naming ------------------------------------------------------------------------
    @staticmethod
    def temp_name(prefix: str) -> str:
        """A fresh name for a temporary table, macro or view."""
        return f"_gm_{prefix}_{next(_ids)}"

    def note(self, path: Path, text: str) -> None:
        """Something the user should know that is no error (an encoding guessed, say)."""
        self.notes.setdefault(path, []).append(text)

    # -- writing -----------------------------------------------------------------------
    def quarantine(self, path: Path, rejections: Iterable[Rejection]) -> int:
        rows = list(rejections)
        if not rows:
            return 0
        table = pa.table(
            {
                "source_row": pa.array([r.source_row for r in rows], pa.int64()),
                "reason": [r.reason for r in rows],
                "raw": pa.array([r.raw for r in rows], pa.string()),
            }
        )
        self._insert_arrow(
            "quarantine",
            table,
            "?, ?, ?, source_row, reason, raw",
            [self.ingest_ids[path], str(path), self.format],
        )
        self.counts[path].rows_quarantined += len(rows)
        return len(rows)

    def insert_rows(
        self,
        path: Path,
        table: str,
        rows: Sequence[Mapping[str, Any]],
        schema: pa.Schema | None = None,
    ) -> int:
        """Insert canonical rows (each with ``source_row``); provenance is added here."""
        if not rows:
            return 0
        arrow = pa.Table.from_pylist(list(rows), schema=schema)
        cols = ", ".join(f'"{c}"' for c in arrow.column_names)
        self._insert_arrow(
            table, arrow, f"{cols}, ?", [self.ingest_ids[path]], target_cols=f"{cols}, ingest_id"
        )
        self.counts[path].rows_loaded += len(rows)
        return len(rows)

    def _insert_arrow(
        self,
        table: str,
        arrow: pa.Table,
        select: str,
        params: list[Any],
        target_cols: str | None = None,
    ) -> None:
        name = self.temp_name("arrow")
        self.con.register(name, arrow)
        try:
            target = f"{table} ({target_cols})" if target_cols else table
            self.con.execute(f"INSERT INTO {target} SELECT {select} FROM {name}", params)
        finally:
            self.con.unregister(name)

    def load_checked(
        self,
        path: Path,
        table: str,
        query: str,
        columns: Sequence[str],
        raw_query: str,
    ) -> None:
        """Split a checked query into loaded rows and quarantined rows, in SQL.

        ``query`` must yield ``_row`` (source row), ``_reason`` (NULL when the row is
        good) and ``columns``; ``raw_query`` maps ``_row`` to the raw text, and is only
        evaluated for the quarantined rows.
        """
        checked = self.temp_name("checked")
        ingest_id = self.ingest_ids[path]
        self.con.execute(f"CREATE TEMP TABLE {checked} AS {query}")
        cols = ", ".join(f'"{c}"' for c in columns)
        self.con.execute(
            f"INSERT INTO {table} ({cols}, ingest_id, source_row) "
            f"SELECT {cols}, {ingest_id}, _row FROM {checked} WHERE _reason IS NULL"
        )
        self._quarantine_checked(path, checked, raw_query)

    def load_unpivoted(
        self,
        path: Path,
        table: str,
        rows_query: str,
        values_query: str,
        columns: Sequence[str],
        raw_query: str,
    ) -> None:
        """:meth:`load_checked` for files where one data row gives several canonical rows
        (a wide table unpivoted to long, such as one column per year).

        ``rows_query`` yields ``_row`` and ``_reason`` for every data row (NULL when the
        row is good; a good row must give at least one value); ``values_query`` yields
        ``_row`` and ``columns`` per value. Counts stay per data row, so
        ``rows_read = rows_loaded + rows_quarantined`` still holds.
        """
        checked = self.temp_name("checked")
        ingest_id = self.ingest_ids[path]
        self.con.execute(f"CREATE TEMP TABLE {checked} AS {rows_query}")
        cols = ", ".join(f'"{c}"' for c in columns)
        self.con.execute(
            f"INSERT INTO {table} ({cols}, ingest_id, source_row) "
            f"SELECT {cols}, {ingest_id}, v._row FROM ({values_query}) v "
            f"SEMI JOIN {checked} c ON c._row = v._row AND c._reason IS NULL"
        )
        self._quarantine_checked(path, checked, raw_query)

    def _quarantine_checked(self, path: Path, checked: str, raw_query: str) -> None:
        """Quarantine the rows of ``checked`` that have a reason, count both kinds, drop it."""
        self.con.execute(
            "INSERT INTO quarantine SELECT ?, ?, ?, c._row, c._reason, r._raw "
            f"FROM {checked} c LEFT JOIN ({raw_query}) r ON r._row = c._row "
            "WHERE c._reason IS NOT NULL",
            [self.ingest_ids[path], str(path), self.format],
        )
        rows = self.con.execute(
            f"SELECT count(*) FILTER (_reason IS NULL), count(*) FILTER (_reason IS NOT NULL) "
            f"FROM {checked}"
        ).fetchall()
        self.counts[path].rows_loaded += int(rows[0][0])
        self.counts[path].rows_quarantined += int(rows[0][1])
        self.con.execute(f"DROP TABLE {checked}")

    # -- distinct-value lookups --------------------------------------------------------
    def lookup(
        self,
        source: str,
        columns: Sequence[str],
        convert: Callable[[str], Any],
        value_type: str = "VARCHAR",
    ) -> str:
        """Convert each distinct value of ``columns`` in ``source`` once, in Python.

        Returns the name of a SQL macro ``name(x)`` giving the converted value (NULL when
        ``convert`` returns None). This is how millions of rows are normalised with a few
        thousand calls to a library such as country_converter.
        """
        union = " UNION ".join(f'SELECT DISTINCT "{c}" AS v FROM {source}' for c in columns)
        raws = [
            r[0]
            for r in self.con.execute(f"SELECT v FROM ({union}) WHERE v IS NOT NULL").fetchall()
        ]
        pairs = {raw: convert(raw) for raw in raws}
        name = self.temp_name("lk")
        arrow = pa.table({"raw": pa.array(list(pairs), pa.string()), "value": list(pairs.values())})
        self.con.register(name + "_a", arrow)
        try:
            self.con.execute(
                f"CREATE TEMP TABLE {name} AS SELECT raw, CAST(value AS {value_type}) AS value "
                f"FROM {name}_a"
            )
        finally:
            self.con.unregister(name + "_a")
        self.con.execute(f"CREATE TEMP MACRO {name}(x) AS (SELECT value FROM {name} WHERE raw = x)")
        return name
