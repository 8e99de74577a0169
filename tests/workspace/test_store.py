"""Workspace: schema versions, transactions, idempotency, crash safety."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from greymap import Workspace, WorkspaceError, ingest_files
from greymap.workspace.migrations import CANONICAL_TABLES, LATEST_VERSION

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "shipments" / "small.csv"


def test_new_workspace_has_canonical_tables(workspace: Workspace) -> None:
    assert workspace.schema_version == LATEST_VERSION
    names = set(workspace.table_names())
    assert set(CANONICAL_TABLES) | {"ingests", "quarantine", "entity_changes"} <= names
    assert (workspace.path / "workspace.json").exists()


def test_missing_workspace_is_refused_when_not_creating(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="no greymap workspace"):
        Workspace(tmp_path / "nowhere", create=False)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    with Workspace(tmp_path / "ws") as ws:
        ws.con.execute("INSERT INTO schema_migrations VALUES (999, 'future', now())")
    with pytest.raises(WorkspaceError, match="newer than this greymap knows"):
        Workspace(tmp_path / "ws")


def test_same_file_twice_adds_nothing(workspace: Workspace) -> None:
    [first] = ingest_files(workspace, "shipments", [SMALL])
    [second] = ingest_files(workspace, "shipments", [SMALL])
    assert first.status == "loaded" and second.status == "unchanged"
    assert second.ingest_id == first.ingest_id
    assert workspace.count("shipments") == first.rows_loaded
    assert workspace.count("quarantine") == first.rows_quarantined
    assert workspace.count("ingests") == 1


def test_rows_read_equals_loaded_plus_quarantined(workspace: Workspace) -> None:
    [r] = ingest_files(workspace, "shipments", [SMALL])
    assert r.rows_read == r.rows_loaded + r.rows_quarantined
    stored = workspace.con.execute(
        "SELECT rows_read, rows_loaded, rows_quarantined FROM ingests"
    ).fetchone()
    assert stored == (r.rows_read, r.rows_loaded, r.rows_quarantined)
    provenance = workspace.con.execute(
        "SELECT count(*) FROM shipments WHERE ingest_id = ? AND source_row > 0", [r.ingest_id]
    ).fetchone()
    assert provenance == (r.rows_loaded,)


def test_killed_ingest_leaves_workspace_as_before(tmp_path: Path) -> None:
    ws_dir = tmp_path / "ws"
    with Workspace(ws_dir) as ws:
        ws.con.execute("SELECT 1")
    env = {**os.environ, "GREYMAP_TEST_KILL_BEFORE_COMMIT": "1"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "greymap",
            "--workspace",
            str(ws_dir),
            "ingest",
            "shipments",
            str(SMALL),
        ],
        env=env,
        capture_output=True,
        check=False,
    )
    assert proc.returncode == -9  # SIGKILL, in the middle of the transaction
    with Workspace(ws_dir) as ws:
        assert ws.count("shipments") == 0
        assert ws.count("quarantine") == 0
        assert ws.count("ingests") == 0
        [r] = ingest_files(ws, "shipments", [SMALL])
        assert r.status == "loaded" and r.rows_loaded == 2
