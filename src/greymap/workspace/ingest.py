"""The ingest engine: one transaction per file (or set of files), counted and idempotent.

For each file it hashes the content; a file already ingested in the same format with the
same options is skipped (the same file twice adds nothing). Otherwise it opens a
transaction, records the ingest, lets the reader load rows and rejections, checks that
every row read was either loaded or quarantined, and commits. Any error rolls the whole
file back, so a failed or killed ingest leaves the workspace as it was.
"""

from __future__ import annotations

import hashlib
import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from greymap.errors import GreymapError, InputError
from greymap.reference import register
from greymap.sources import ColumnMapping, IngestContext, get_reader
from greymap.workspace.store import Workspace, _now

#: Test hook: kill the process right before commit, to prove a killed ingest leaves
#: nothing behind. Never set it outside tests.
_KILL_BEFORE_COMMIT = "GREYMAP_TEST_KILL_BEFORE_COMMIT"


@dataclass
class IngestResult:
    """One record per file; ``status`` is ``loaded`` or ``unchanged`` (already ingested)."""

    path: str
    format: str
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    ingest_id: int
    status: str = "loaded"
    notes: list[str] = field(default_factory=list)

    def as_record(self) -> dict[str, Any]:
        record = asdict(self)
        record["notes"] = "; ".join(self.notes)
        return record


def ingest_files(
    workspace: Workspace,
    format: str,
    paths: Sequence[str | Path],
    *,
    mapping: ColumnMapping | None = None,
    dataset: str | None = None,
    on_file: Callable[[IngestResult], None] | None = None,
) -> list[IngestResult]:
    """Ingest ``paths`` in ``format``; returns one result per path, in order given."""
    reader = get_reader(format)
    files = [_check_file(Path(p)) for p in paths]
    if not files:
        raise InputError("no files given; expected one or more paths to ingest")
    options = hashlib.sha256(
        f"{format}|{mapping.digest if mapping else ''}|{dataset or ''}".encode()
    ).hexdigest()
    results: dict[Path, IngestResult] = {}
    for group in reader.group(files):
        for result in _ingest_group(workspace, format, group, options, mapping, dataset):
            results[Path(result.path)] = result
            if on_file:
                on_file(result)
    return [results[f] for f in files]


def _ingest_group(
    workspace: Workspace,
    format: str,
    group: list[Path],
    options: str,
    mapping: ColumnMapping | None,
    dataset: str | None,
) -> list[IngestResult]:
    digests = {p: _sha256(p) for p in group}
    done = _already_ingested(workspace, format, digests, options)
    if len(done) == len(group):
        return [IngestResult(str(p), format, 0, 0, 0, done[p], "unchanged") for p in group]
    reader = get_reader(format)
    con = workspace.con
    register(con)
    with workspace.transaction():
        ids: dict[Path, int] = {}
        for path in group:
            row = con.execute("SELECT nextval('ingest_id_seq')").fetchone()
            assert row is not None
            ids[path] = int(row[0])
            con.execute(
                "INSERT INTO ingests (ingest_id, format, path, file_sha256, file_bytes, "
                "options_sha256, dataset, started_at, greymap_version) VALUES (?,?,?,?,?,?,?,?,?)",
                [
                    ids[path],
                    format,
                    str(path),
                    digests[path],
                    path.stat().st_size,
                    options,
                    dataset,
                    _now(),
                    _version(),
                ],
            )
        ctx = IngestContext(con, format, ids, mapping=mapping, dataset=dataset)
        reader.read(ctx, group)
        results = [_finish(con, ctx, path, format, reader.TABLES) for path in group]
        if os.environ.get(_KILL_BEFORE_COMMIT):
            os.kill(os.getpid(), signal.SIGKILL)
    return results


def _finish(
    con: Any, ctx: IngestContext, path: Path, format: str, tables: tuple[str, ...]
) -> IngestResult:
    counts = ctx.counts[path]
    if counts.rows_read != counts.rows_loaded + counts.rows_quarantined:
        raise GreymapError(
            f"internal error in the {format} reader: {path} read {counts.rows_read} rows but "
            f"loaded {counts.rows_loaded} and quarantined {counts.rows_quarantined}; nothing was saved"
        )
    con.execute(
        "UPDATE ingests SET finished_at = ?, rows_read = ?, rows_loaded = ?, rows_quarantined = ?, "
        "tables = ? WHERE ingest_id = ?",
        [
            _now(),
            counts.rows_read,
            counts.rows_loaded,
            counts.rows_quarantined,
            ",".join(tables),
            ctx.ingest_ids[path],
        ],
    )
    return IngestResult(
        str(path),
        format,
        counts.rows_read,
        counts.rows_loaded,
        counts.rows_quarantined,
        ctx.ingest_ids[path],
        "loaded",
        ctx.notes.get(path, []),
    )


def _already_ingested(
    workspace: Workspace, format: str, digests: dict[Path, str], options: str
) -> dict[Path, int]:
    found: dict[Path, int] = {}
    for path, digest in digests.items():
        row = workspace.con.execute(
            "SELECT min(ingest_id) FROM ingests WHERE format = ? AND file_sha256 = ? "
            "AND options_sha256 = ? AND finished_at IS NOT NULL",
            [format, digest, options],
        ).fetchone()
        if row and row[0] is not None:
            found[path] = int(row[0])
    return found


def _check_file(path: Path) -> Path:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory; expected a file")
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    return path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _version() -> str:
    from greymap import __version__

    return __version__
