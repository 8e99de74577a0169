"""The workspace: the only place state lives (DESIGN.md)."""

from greymap.workspace.ingest import IngestResult, ingest_files
from greymap.workspace.migrations import CANONICAL_TABLES, MIGRATIONS, Migration
from greymap.workspace.store import Workspace

__all__ = [
    "CANONICAL_TABLES",
    "MIGRATIONS",
    "IngestResult",
    "Migration",
    "Workspace",
    "ingest_files",
]
