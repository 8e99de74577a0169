"""The workspace: one embedded DuckDB file plus a small metadata file.

It is the only place state lives (DESIGN.md). Opening a workspace applies any pending
schema migrations; a workspace of a newer schema than this greymap knows is refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from greymap.errors import WorkspaceError
from greymap.workspace.migrations import CANONICAL_TABLES, LATEST_VERSION, MIGRATIONS

DB_FILE = "greymap.duckdb"
META_FILE = "workspace.json"


class Workspace:
    """A directory holding ``greymap.duckdb`` and ``workspace.json``.

    Use as a context manager, or call :meth:`close`. ``create=False`` refuses to make a
    new workspace, so a mistyped ``--workspace`` is reported instead of silently creating
    an empty one.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        create: bool = True,
        read_only: bool = False,
        threads: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.db_path = self.path / DB_FILE
        if not self.db_path.exists():
            if not create or read_only:
                raise WorkspaceError(
                    f"no greymap workspace at {self.path} (expected {self.db_path}); "
                    "ingest some data first or pass --workspace DIR"
                )
            self.path.mkdir(parents=True, exist_ok=True)
        config: dict[str, Any] = {}
        if threads:
            config["threads"] = threads
        try:
            self.con = duckdb.connect(str(self.db_path), read_only=read_only, config=config)
        except duckdb.IOException as exc:
            raise WorkspaceError(f"cannot open workspace {self.db_path}: {exc}") from exc
        # DuckDB draws its own progress bar on stdout for long queries, which would
        # corrupt `--format json` output; greymap shows its own progress on stderr.
        self.con.execute("SET enable_progress_bar = false")
        if not read_only:
            self._migrate()
        self._write_meta()

    # -- lifecycle -------------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One DuckDB transaction: everything inside lands whole or not at all."""
        self.con.begin()
        try:
            yield self.con
        except BaseException:
            self.con.rollback()
            raise
        else:
            self.con.commit()

    # -- schema ----------------------------------------------------------------------
    @property
    def schema_version(self) -> int:
        exists = self.scalar(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        )
        if not exists:
            return 0
        version = self.scalar("SELECT max(version) FROM schema_migrations")
        return int(version) if version is not None else 0

    def _migrate(self) -> None:
        current = self.schema_version
        if current > LATEST_VERSION:
            raise WorkspaceError(
                f"workspace {self.path} has schema version {current}, newer than this "
                f"greymap knows ({LATEST_VERSION}); upgrade greymap"
            )
        pending = [m for m in MIGRATIONS if m.version > current]
        if not pending:
            return
        with self.transaction() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)"
            )
            for migration in pending:
                con.execute(migration.sql)
                con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    [migration.version, migration.description, _now()],
                )

    def _write_meta(self) -> None:
        meta_path = self.path / META_FILE
        if meta_path.exists():
            return
        from greymap import __version__

        meta = {"created_at": _now().isoformat(), "created_by": f"greymap {__version__}"}
        meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")

    # -- reading ---------------------------------------------------------------------
    def scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        """The first value of a query's first row, reading the result to its end: DuckDB
        refuses other work on a connection (``register``) while a result is unfinished."""
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0][0] if rows else None

    def table_names(self) -> list[str]:
        rows = self.con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
        return [r[0] for r in rows]

    def count(self, table: str) -> int:
        if table not in self.table_names():
            raise WorkspaceError(f"no table {table!r} in workspace {self.path}")
        return int(self.scalar(f'SELECT count(*) FROM "{table}"') or 0)

    def canonical_counts(self) -> dict[str, int]:
        return {t: self.count(t) for t in CANONICAL_TABLES}

    def status(self) -> list[dict[str, Any]]:
        """One record per table: rows, and for loaded tables the ingests, their source
        formats and how many rows they quarantined."""
        per_table = {
            name: (n, sources, quarantined)
            for name, n, sources, quarantined in self.con.execute(
                """SELECT t.tbl, count(*), string_agg(DISTINCT i.format, ';' ORDER BY i.format),
                          sum(i.rows_quarantined)
                   FROM ingests i, unnest(string_split(i.tables, ',')) AS t(tbl)
                   WHERE i.finished_at IS NOT NULL
                   GROUP BY t.tbl"""
            ).fetchall()
        }
        records: list[dict[str, Any]] = []
        for table in self.table_names():
            ingests, sources, quarantined = per_table.get(table, (0, None, 0))
            records.append(
                {
                    "table": table,
                    "rows": self.count(table),
                    "ingests": ingests,
                    "sources": sources or "",
                    "rows_quarantined": int(quarantined or 0),
                }
            )
        return records


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
